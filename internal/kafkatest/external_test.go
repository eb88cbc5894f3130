package kafkatest_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

const testSchema = `{"type":"record","name":"T","fields":[{"name":"a","type":"string"}]}`

// TestExternal writes and reads through the broker and registry External
// returns: without KAFKA_BROKERS they live in a kfake-server process.
func TestExternal(t *testing.T) {
	brokers, registry := kafkatest.External(t)
	topic := kafkatest.UniqueTopicPrefix(t) + "t"
	kafkatest.CreateTopic(t, brokers, topic, 1, nil)
	cl := kafkatest.NewClient(t, brokers, kgo.DefaultProduceTopic(topic))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, kgo.KeyStringRecord("k", "v")).FirstErr(); err != nil {
		t.Fatalf("producing: %v", err)
	}
	got := keyValues(kafkatest.Consume(t, brokers, []string{topic}))
	if diff := cmp.Diff([]kv{{"k", "v", true}}, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	assertRegistryRoundTrip(ctx, t, registry, topic+"-value")
}

// TestRegistry registers a schema over HTTP and reads it back by id.
func TestRegistry(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	assertRegistryRoundTrip(ctx, t, kafkatest.Registry(t), "x-value")
}

func assertRegistryRoundTrip(ctx context.Context, t *testing.T, url, subject string) {
	t.Helper()
	rc, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatalf("creating a registry client of %q: %v", url, err)
	}
	ss, err := rc.CreateSchema(ctx, subject, sr.Schema{Schema: testSchema, Type: sr.TypeAvro})
	if err != nil {
		t.Fatalf("registering under %q: %v", subject, err)
	}
	got, err := rc.SchemaByID(ctx, ss.ID)
	if err != nil {
		t.Fatalf("reading schema %d: %v", ss.ID, err)
	}
	if got.Schema != testSchema {
		t.Errorf("schema %d: got %q, want %q", ss.ID, got.Schema, testSchema)
	}
}
