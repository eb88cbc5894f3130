package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/okta-connector/okta-connector/schemas"
)

// broker is the Kafka cluster of a run: a kfake-server process of our own,
// or the real one of KAFKA_BROKERS (p is nil then).
type broker struct {
	p     *proc
	addrs []string
}

// startBroker starts kfake-server unless cfg names brokers.
func startBroker(ctx context.Context, cfg Config) (*broker, error) {
	if len(cfg.Brokers) > 0 {
		return &broker{addrs: cfg.Brokers}, nil
	}
	p, err := start(spec{name: "kfake-server",
		// The fake's default cleaner runs every 250 ms, made for tests
		// that watch compaction; over a large compacted topic it costs
		// the broker gigabytes and the benchmark minutes, and measures
		// nothing of the connector. An hour keeps it out of the run.
		argv: []string{filepath.Join(cfg.BinDir, "kfake-server"), "-no-registry",
			"-c", "log.cleaner.backoff.ms=3600000"},
		env: baseEnv(), log: filepath.Join(cfg.WorkDir, "kfake-server.log")})
	if err != nil {
		return nil, err
	}
	line, err := p.ready(ctx, "{", time.Minute)
	if err != nil {
		p.stop()
		return nil, err
	}
	p.drain()
	var a struct {
		Brokers []string `json:"brokers"`
	}
	if err := json.Unmarshal([]byte(line), &a); err != nil || len(a.Brokers) == 0 {
		p.stop()
		return nil, fmt.Errorf("reading kfake-server addresses from %q: %v", line, err)
	}
	return &broker{p: p, addrs: a.Brokers}, nil
}

func (b *broker) stop() {
	if b.p != nil {
		b.p.stop()
	}
}

// topics returns the topic of every published stream under prefix.
func topics(prefix string) []string {
	var out []string
	for _, s := range schemas.Published() {
		out = append(out, prefix+s)
	}
	return out
}

// endOffsets returns the end offset of every partition of the prefix's
// topics; missing topics have none.
func (b *broker) endOffsets(ctx context.Context, prefix string) (kadm.ListedOffsets, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.addrs...))
	if err != nil {
		return nil, fmt.Errorf("connecting to %v: %w", b.addrs, err)
	}
	defer cl.Close()
	offs, err := kadm.NewClient(cl).ListEndOffsets(ctx, topics(prefix)...)
	if err != nil {
		return nil, fmt.Errorf("listing end offsets of %q: %w", prefix, err)
	}
	return offs, nil
}

// countRecords returns records per stream under prefix: end offsets
// minus start offsets, which a fresh topic prefix makes exact.
func (b *broker) countRecords(ctx context.Context, prefix string) (map[string]int64, error) {
	ends, err := b.endOffsets(ctx, prefix)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err == nil {
			out[o.Topic[len(prefix):]] += o.Offset
		}
	})
	return out, nil
}

// scan calls f with every record under prefix up to the end offsets of
// the moment it was called, a fetch at a time.
func (b *broker) scan(ctx context.Context, prefix string,
	f func(stream string, recs []*kgo.Record) error) error {
	ends, err := b.endOffsets(ctx, prefix)
	if err != nil {
		return err
	}
	left := map[string]map[int32]int64{}
	start := map[string]map[int32]kgo.Offset{}
	n := 0
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err != nil || o.Offset == 0 {
			return
		}
		if left[o.Topic] == nil {
			left[o.Topic], start[o.Topic] = map[int32]int64{}, map[int32]kgo.Offset{}
		}
		left[o.Topic][o.Partition] = o.Offset
		start[o.Topic][o.Partition] = kgo.NewOffset().AtStart()
		n++
	})
	if n == 0 {
		return nil
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.addrs...), kgo.ConsumePartitions(start),
		kgo.FetchMaxBytes(64<<20))
	if err != nil {
		return fmt.Errorf("connecting to %v: %w", b.addrs, err)
	}
	defer cl.Close()
	for n > 0 {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return err
		}
		var ferr error
		fs.EachError(func(t string, p int32, err error) { ferr = err })
		if ferr != nil {
			return fmt.Errorf("reading %q: %w", prefix, ferr)
		}
		var err error
		fs.EachTopic(func(t kgo.FetchTopic) {
			var recs []*kgo.Record
			t.EachRecord(func(r *kgo.Record) {
				if r.Offset < left[t.Topic][r.Partition] {
					recs = append(recs, r)
				}
				if r.Offset+1 == left[t.Topic][r.Partition] {
					n--
				}
			})
			if err == nil && len(recs) > 0 {
				err = f(t.Topic[len(prefix):], recs)
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}
