package pipelinetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/okta-connector/okta-connector/schemas"
)

// topicWait bounds how long Follow waits for the connector to create the
// topic it follows.
const topicWait = 30 * time.Second

// Arrival is a record a Follower read, with the time it reached the test.
type Arrival struct {
	At time.Time
	Record
}

// Follower reads one stream's topic while it grows, read_committed, from
// its start, and keeps every record with the time it arrived: what a
// downstream consumer sees, and when. Safe for concurrent use; it stops
// at the test's cleanup.
type Follower struct {
	mu   sync.Mutex
	got  []Arrival
	err  error
	done chan struct{}
}

// Follow waits until the topic of stream under prefix exists (the
// connector creates it), then follows it until cleanup. Values are
// decoded as ReadTopics decodes them.
func Follow(t testing.TB, brokers []string, registryURL, prefix, stream string) *Follower {
	t.Helper()
	topic := prefix + stream
	waitForTopic(t, brokers, topic)
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.FetchMaxWait(100*time.Millisecond))
	if err != nil {
		t.Fatalf("creating a consumer of %q: %v", topic, err)
	}
	dec := newDecoder(t, registryURL)
	ctx, cancel := context.WithCancel(context.Background())
	f := &Follower{done: make(chan struct{})}
	go f.run(ctx, cl, dec, stream)
	t.Cleanup(func() {
		cancel()
		<-f.done
		cl.Close()
	})
	return f
}

// run polls until ctx ends, stamping each fetch with its arrival time.
func (f *Follower) run(ctx context.Context, cl *kgo.Client, dec *schemas.Decoder,
	stream string) {
	defer close(f.done)
	for {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return
		}
		at := time.Now()
		var errs []error
		fs.EachError(func(topic string, p int32, err error) {
			errs = append(errs, fmt.Errorf("fetching %s[%d]: %w", topic, p, err))
		})
		var batch []Arrival
		fs.EachRecord(func(r *kgo.Record) {
			a := Arrival{At: at, Record: Record{Stream: stream, Partition: r.Partition,
				Offset: r.Offset, Key: string(r.Key)}}
			if r.Value != nil {
				a.Value = schemas.NewRecord(stream)
				if err := dec.Decode(ctx, r.Value, stream, a.Value); err != nil {
					errs = append(errs, fmt.Errorf("decoding %s[%d]@%d: %w", r.Topic,
						r.Partition, r.Offset, err))
				}
			}
			batch = append(batch, a)
		})
		f.mu.Lock()
		f.got = append(f.got, batch...)
		f.err = errors.Join(append([]error{f.err}, errs...)...)
		f.mu.Unlock()
	}
}

// Arrivals returns what arrived so far, in arrival order, and fails the
// test if a fetch or a decode failed.
func (f *Follower) Arrivals(t testing.TB) []Arrival {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		t.Fatalf("following the topic: %v", f.err)
	}
	return append([]Arrival(nil), f.got...)
}

// waitForTopic waits until topic exists, at most topicWait.
func waitForTopic(t testing.TB, brokers []string, topic string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatalf("creating a kafka client of %q: %v", brokers, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	ctx, cancel := context.WithTimeout(context.Background(), topicWait)
	defer cancel()
	for {
		details, err := adm.ListTopics(ctx, topic)
		if err == nil && details.Has(topic) && details[topic].Err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("topic %q did not appear within %v (last error: %v)", topic, topicWait,
				err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
