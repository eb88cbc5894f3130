package connector

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/schemas"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// testPublisher wires a publisher to brokers with fresh topics and store.
type testPublisher struct {
	pub     *KafkaPublisher
	store   checkpoint.Store
	topics  TopicsConfig
	brokers []string
	codec   *schemas.SingleObjectCodec
}

func newTestPublisher(t *testing.T, brokers []string, create bool,
	delivery time.Duration) testPublisher {
	t.Helper()
	ctx := context.Background()
	cl, err := NewProducer(KafkaConfig{Brokers: brokers, DeliveryTimeout: delivery})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	topics := TopicsConfig{Prefix: kafkatest.UniqueTopicPrefix(t), Partitions: 3,
		ReplicationFactor: -1, ActivityRetention: time.Hour}
	if create {
		if err := EnsureTopics(ctx, kadm.NewClient(cl), topics, discard()); err != nil {
			t.Fatalf("creating topics: %v", err)
		}
	}
	store, err := checkpoint.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	codec, err := schemas.NewSingleObjectCodec()
	if err != nil {
		t.Fatal(err)
	}
	return testPublisher{pub: NewKafkaPublisher(cl, codec, store, topics), store: store,
		topics: topics, brokers: brokers, codec: codec}
}

func TestPublisherKeysHeadersAndCheckpoint(t *testing.T) {
	tp := newTestPublisher(t, kafkatest.Brokers(t), true, 0)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	emp := schemas.Employee{TenantID: "acme", OktaDomain: "acme.okta.com", ID: "00u1",
		Status: "ACTIVE", Login: "a@example.com", Created: at, LastUpdated: at,
		CustomAttributes: map[string]*string{}, SyncedAt: at}
	cp := checkpoint.Checkpoint{Tenant: "acme", Stream: StreamEmployees, Watermark: at}
	set := SetWrite{Key: checkpoint.SetKey{Tenant: "acme", Stream: StreamGroupMembers,
		Owner: "00g1"}, IDs: []string{"00u1"}}
	err := tp.pub.Publish(context.Background(), Batch{
		Tenant: "acme",
		Records: []Record{
			{Stream: StreamEmployees, Key: EntityKey("acme", "00u1"), Value: emp},
			Tombstone(StreamGroupMembers, PairKey("acme", "00g1", "00u2")),
		},
		Checkpoints: []checkpoint.Checkpoint{cp},
		Sets:        []SetWrite{set},
	})
	if err != nil {
		t.Fatalf("publishing: %v", err)
	}

	recs := kafkatest.Consume(t, tp.brokers, []string{tp.topics.Topic(StreamEmployees),
		tp.topics.Topic(StreamGroupMembers)})
	type got struct {
		Topic, Key string
		Headers    map[string]string
		Tombstone  bool
	}
	var gots []got
	for _, r := range recs {
		h := map[string]string{}
		for _, kv := range r.Headers {
			h[kv.Key] = string(kv.Value)
		}
		gots = append(gots, got{r.Topic, string(r.Key), h, r.Value == nil})
	}
	want := []got{
		{tp.topics.Topic(StreamEmployees), "acme/00u1", map[string]string{"tenant": "acme",
			"stream": "employees", "schema": tp.codec.SchemaID(StreamEmployees)}, false},
		{tp.topics.Topic(StreamGroupMembers), "acme/00g1/00u2", map[string]string{
			"tenant": "acme", "stream": "group_members",
			"schema": tp.codec.SchemaID(StreamGroupMembers)}, true},
	}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	var back schemas.Employee
	if err := tp.codec.Decode(recs[0].Value, StreamEmployees, &back); err != nil {
		t.Fatalf("decoding the employee: %v", err)
	}
	if back.ID != "00u1" || back.Login != "a@example.com" {
		t.Errorf("decoded employee: got %+v, want id 00u1 login a@example.com", back)
	}
	saved, err := tp.store.Load(context.Background(), checkpoint.Key{Tenant: "acme",
		Stream: StreamEmployees})
	if err != nil || !saved.Watermark.Equal(at) {
		t.Errorf("checkpoint: got %v (err %v), want watermark %v", saved.Watermark, err, at)
	}
	ids, err := tp.store.LoadSet(context.Background(), set.Key)
	if diff := cmp.Diff(set.IDs, ids); diff != "" || err != nil {
		t.Errorf("set (-want +got, err %v):\n%s", err, diff)
	}
}

// A record that cannot be delivered (its topic does not exist and the
// broker does not create topics) fails the batch, and the checkpoint the
// batch carries is not saved.
func TestPublisherFailedProduceKeepsCheckpoint(t *testing.T) {
	tp := newTestPublisher(t, kafkatest.Brokers(t), false, time.Second)
	cp := checkpoint.Checkpoint{Tenant: "acme", Stream: StreamActivity, Cursor: "next-1"}
	err := tp.pub.Publish(context.Background(), Batch{
		Tenant:      "acme",
		Records:     []Record{Tombstone(StreamEmployees, EntityKey("acme", "00u1"))},
		Checkpoints: []checkpoint.Checkpoint{cp},
	})
	if err == nil {
		t.Fatal("publishing to a missing topic: got no error, want one")
	}
	_, err = tp.store.Load(context.Background(), checkpoint.Key{Tenant: "acme",
		Stream: StreamActivity})
	if !errors.Is(err, checkpoint.ErrNotFound) {
		t.Errorf("checkpoint after a failed batch: got err %v, want ErrNotFound", err)
	}
	if n := tp.pub.Counts()[tp.topics.Topic(StreamEmployees)].Records; n != 0 {
		t.Errorf("counted records after a failed batch: got %d, want 0", n)
	}
}

func TestEnsureTopicsCleanupPolicies(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	tp := newTestPublisher(t, brokers, true, 0)
	for _, stream := range schemas.Published() {
		got := kafkatest.TopicConfig(t, brokers, tp.topics.Topic(stream))["cleanup.policy"]
		want := "compact"
		if stream == StreamActivity {
			want = "delete"
		}
		if got != want {
			t.Errorf("topic %s cleanup.policy: got %q, want %q", stream, got, want)
		}
	}
	// A second run finds every topic and creates nothing.
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := EnsureTopics(context.Background(), kadm.NewClient(cl), tp.topics,
		discard()); err != nil {
		t.Errorf("second EnsureTopics: %v", err)
	}
}
