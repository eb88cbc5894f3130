package kafkatest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// consumeTimeout bounds Consume, so a broker that stops answering fails the
// test with what was read so far instead of hanging it.
const consumeTimeout = 60 * time.Second

// Record is one record read back, in a form go-cmp compares directly. Value
// is nil for a tombstone and empty, not nil, for an empty value.
type Record struct {
	Topic     string
	Partition int32
	Offset    int64
	Key       []byte
	Value     []byte
	Headers   []kgo.RecordHeader
}

// Consume reads every committed record of topics, from the start of each
// partition up to its last stable offset captured when Consume is called,
// with read_committed isolation, and returns them ordered by topic,
// partition and offset. Records of aborted transactions are left out;
// records written after the call, or in a transaction still open at the
// call, are not waited for. opts are added to the consumer's options.
func Consume(t testing.TB, brokers, topics []string, opts ...kgo.Opt) []Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), consumeTimeout)
	defer cancel()
	ends := stableEnds(ctx, t, brokers, topics)
	if len(ends) == 0 {
		return nil
	}
	all := append([]kgo.Opt{
		kgo.SeedBrokers(brokers...),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumePartitions(startOffsets(ends)),
		// Control records (transaction markers) are kept so that every
		// offset below the end is seen, even one only a marker fills;
		// they are dropped before returning.
		kgo.KeepControlRecords(),
	}, opts...)
	cl, err := kgo.NewClient(all...)
	if err != nil {
		t.Fatalf("creating a consumer: %v", err)
	}
	defer cl.Close()
	return readUntil(ctx, t, cl, ends)
}

type partition struct {
	topic string
	index int32
}

// stableEnds returns, for every partition holding committed records, the
// offset past its last stable one.
func stableEnds(ctx context.Context, t testing.TB, brokers, topics []string) map[partition]int64 {
	t.Helper()
	adm := newAdmin(t, brokers)
	starts, err := adm.ListStartOffsets(ctx, topics...)
	if err == nil {
		err = starts.Error()
	}
	if err != nil {
		t.Fatalf("listing start offsets of %q: %v", topics, err)
	}
	lso, err := adm.ListCommittedOffsets(ctx, topics...)
	if err == nil {
		err = lso.Error()
	}
	if err != nil {
		t.Fatalf("listing stable offsets of %q: %v", topics, err)
	}
	ends := make(map[partition]int64)
	lso.Each(func(o kadm.ListedOffset) {
		s, _ := starts.Lookup(o.Topic, o.Partition)
		if o.Offset > s.Offset {
			ends[partition{o.Topic, o.Partition}] = o.Offset
		}
	})
	return ends
}

func startOffsets(ends map[partition]int64) map[string]map[int32]kgo.Offset {
	m := make(map[string]map[int32]kgo.Offset)
	for p := range ends {
		if m[p.topic] == nil {
			m[p.topic] = make(map[int32]kgo.Offset)
		}
		m[p.topic][p.index] = kgo.NewOffset().AtStart()
	}
	return m
}

func readUntil(
	ctx context.Context, t testing.TB, cl *kgo.Client, ends map[partition]int64,
) []Record {
	t.Helper()
	done := make(map[partition]bool, len(ends))
	var out []Record
	for len(done) < len(ends) {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consuming: %d of %d partitions unfinished after %v (%d records read)",
				len(ends)-len(done), len(ends), consumeTimeout, len(out))
		}
		fs.EachError(func(topic string, p int32, err error) {
			t.Fatalf("fetching %s[%d]: %v", topic, p, err)
		})
		fs.EachRecord(func(r *kgo.Record) {
			p := partition{r.Topic, r.Partition}
			end := ends[p]
			// A record at or past end-1 finishes the partition, even when
			// compaction removed the one at end-1 itself.
			if r.Offset >= end-1 {
				done[p] = true
			}
			if r.Offset >= end {
				return
			}
			if !r.Attrs.IsControl() {
				out = append(out, toRecord(r))
			}
		})
	}
	slices.SortFunc(out, compareRecords)
	return out
}

func toRecord(r *kgo.Record) Record {
	return Record{
		Topic:     r.Topic,
		Partition: r.Partition,
		Offset:    r.Offset,
		Key:       r.Key,
		Value:     r.Value,
		Headers:   r.Headers,
	}
}

func compareRecords(a, b Record) int {
	if c := strings.Compare(a.Topic, b.Topic); c != 0 {
		return c
	}
	if a.Partition != b.Partition {
		return int(a.Partition - b.Partition)
	}
	return int(a.Offset - b.Offset)
}

// newAdmin returns an admin client closed at cleanup.
func newAdmin(t testing.TB, brokers []string, opts ...kgo.Opt) *kadm.Client {
	t.Helper()
	cl := NewClient(t, brokers, opts...)
	return kadm.NewClient(cl)
}

// NewClient returns a client of brokers with opts, closed at cleanup.
func NewClient(t testing.TB, brokers []string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, opts...)...)
	if err != nil {
		t.Fatalf("creating a kafka client of %q: %v", brokers, err)
	}
	t.Cleanup(cl.Close)
	return cl
}
