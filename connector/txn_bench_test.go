package connector

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

// BenchmarkPublishers compares records per second of the transactional
// publisher with the Kafka store against the at-least-once publisher with
// the file store, on the same broker, with batches of one Okta page (200
// employees and their checkpoint). DESIGN's budget: at most 15 % slower.
func BenchmarkPublishers(b *testing.B) {
	const page = 200
	batch := func(i int) Batch {
		recs := make([]Record, page)
		for j := range recs {
			recs[j] = employee("acme", fmt.Sprintf("00u%d-%d", i, j), "")
		}
		return Batch{Tenant: "acme", Records: recs,
			Checkpoints: []checkpoint.Checkpoint{{Tenant: "acme", Stream: StreamEmployees,
				Watermark: time.Unix(int64(i), 0)}}}
	}
	run := func(b *testing.B, pub Publisher) {
		ctx := context.Background()
		i := 0
		for b.Loop() {
			if err := pub.Publish(ctx, batch(i)); err != nil {
				b.Fatal(err)
			}
			i++
		}
		b.ReportMetric(float64(i*page)/b.Elapsed().Seconds(), "records/s")
	}
	brokers := kafkatest.Brokers(b)
	if !kafkatest.FromEnv() {
		// NOTE: the fake's 250 ms compaction timer (kafkatest's default)
		// rescans every compacted log under its lock; after a few hundred
		// thousand records produce stalls for seconds. An hour's timer, the
		// broker default, measures the publishers instead.
		brokers = kafkatest.Fake(b, kfake.BrokerConfigs(map[string]string{
			"log.cleaner.backoff.ms": "3600000"})).ListenAddrs()
	}
	rig := newTxnRigOn(b, brokers)
	b.Run("file", func(b *testing.B) {
		cl, err := NewProducer(KafkaConfig{Brokers: rig.brokers})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(cl.Close)
		store, err := checkpoint.NewFileStore(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = store.Close() })
		run(b, NewKafkaPublisher(cl, rig.codec, store, rig.topics))
	})
	b.Run("kafka-txn", func(b *testing.B) {
		run(b, rig.publisher(b, rig.store(b), nil))
	})
}
