package kafkatest_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

// TestBrokerEndToEnd runs on the in-process fake, or on the real broker when
// KAFKA_BROKERS is set: a compacted topic, idempotent and transactional
// writes, and a read_committed read that must leave the aborted write out.
func TestBrokerEndToEnd(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	t.Logf("brokers %v (from %s: %v)", brokers, kafkatest.BrokersEnv, kafkatest.FromEnv())
	topic := kafkatest.UniqueTopicPrefix(t) + "entities"
	kafkatest.CreateTopic(t, brokers, topic, 3, map[string]*string{
		"cleanup.policy": kafkatest.StringPtr("compact"),
	})

	if got := kafkatest.TopicConfig(t, brokers, topic)["cleanup.policy"]; got != "compact" {
		t.Errorf("cleanup.policy: got %q, want %q", got, "compact")
	}
	if got := kafkatest.Partitions(t, brokers, topic); got != 3 {
		t.Errorf("partitions: got %d, want 3", got)
	}

	hdr := []kgo.RecordHeader{{Key: "tenant", Value: []byte("acme")}}
	plain := []*kgo.Record{
		{Topic: topic, Key: []byte("a"), Value: []byte("a1"), Headers: hdr},
		{Topic: topic, Key: []byte("b"), Value: nil},
	}
	produceIdempotent(t, brokers, plain)
	produceTxn(t, brokers, topic, kgo.TryCommit, "c", "d")
	produceTxn(t, brokers, topic, kgo.TryAbort, "aborted")

	got := kafkatest.Consume(t, brokers, []string{topic})
	want := []kv{{"a", "a1", true}, {"b", "", false}, {"c", "c", true}, {"d", "d", true}}
	if diff := cmp.Diff(want, keyValues(got)); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	for _, r := range got {
		if string(r.Key) == "a" && !cmp.Equal(r.Headers, hdr) {
			t.Errorf("headers of %q: got %v, want %v", r.Key, r.Headers, hdr)
		}
	}
}

// TestConsumeDoesNotWaitForOpenTransaction proves Consume stops at the last
// stable offset captured at the call: a transaction left open must neither
// show up nor hold Consume until its timeout.
func TestConsumeDoesNotWaitForOpenTransaction(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := kafkatest.UniqueTopicPrefix(t) + "events"
	kafkatest.CreateTopic(t, brokers, topic, 1, nil)
	produceTxn(t, brokers, topic, kgo.TryCommit, "committed")

	open := kafkatest.NewClient(t, brokers,
		kgo.TransactionalID(kafkatest.UniqueTopicPrefix(t)+"open"),
		kgo.DefaultProduceTopic(topic))
	ctx := context.Background()
	if err := open.BeginTransaction(); err != nil {
		t.Fatalf("beginning a transaction: %v", err)
	}
	if err := open.ProduceSync(ctx, kgo.StringRecord("pending")).FirstErr(); err != nil {
		t.Fatalf("producing in a transaction: %v", err)
	}
	t.Cleanup(func() { _ = open.EndTransaction(ctx, kgo.TryAbort) })

	got := keyValues(kafkatest.Consume(t, brokers, []string{topic}))
	want := []kv{{"committed", "committed", true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

type kv struct {
	Key, Value string
	HasValue   bool
}

// keyValues flattens records for comparison, sorted by key since the
// partition a key lands on is not the test's concern.
func keyValues(rs []kafkatest.Record) []kv {
	out := make([]kv, 0, len(rs))
	for _, r := range rs {
		out = append(out, kv{string(r.Key), string(r.Value), r.Value != nil})
	}
	slicesSortByKey(out)
	return out
}

func produceIdempotent(t *testing.T, brokers []string, rs []*kgo.Record) {
	t.Helper()
	cl := kafkatest.NewClient(t, brokers, kgo.RequiredAcks(kgo.AllISRAcks()))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, rs...).FirstErr(); err != nil {
		t.Fatalf("producing idempotently: %v", err)
	}
}

func produceTxn(
	t *testing.T, brokers []string, topic string, end kgo.TransactionEndTry, keys ...string,
) {
	t.Helper()
	cl := kafkatest.NewClient(t, brokers,
		kgo.TransactionalID(kafkatest.UniqueTopicPrefix(t)+"txn"),
		kgo.DefaultProduceTopic(topic))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatalf("beginning a transaction: %v", err)
	}
	// Commit only when every record was acknowledged: kgo commits the
	// others even when one failed (KAFKA-NOTES TL;DR 4).
	promise := kgo.AbortingFirstErrPromise(cl)
	for _, k := range keys {
		cl.Produce(ctx, kgo.KeyStringRecord(k, k), promise.Promise())
	}
	if err := promise.Err(); err != nil {
		t.Fatalf("producing in a transaction: %v", err)
	}
	if err := cl.EndTransaction(ctx, end); err != nil {
		t.Fatalf("ending a transaction (commit %v): %v", end, err)
	}
}
