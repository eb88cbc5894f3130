package checkpoint

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

// testTimeout bounds every Kafka call of these tests.
const testTimeout = 30 * time.Second

// testTopic returns a topic name of its own for t, so that tests sharing
// an external broker (KAFKA_BROKERS) never read each other's records.
func testTopic(t *testing.T) string {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := strings.NewReplacer("/", "-", " ", "-").Replace(t.Name())
	return "test-checkpoints-" + strings.ToLower(name) + "-" + hex.EncodeToString(b)
}

// openKafka opens a store on brokers and topic, closed at cleanup.
func openKafka(t *testing.T, brokers []string, topic string) *KafkaStore {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	s, err := NewKafkaStore(ctx, KafkaStoreConfig{Brokers: brokers, Topic: topic,
		Partitions: 3})
	if err != nil {
		t.Fatalf("opening kafka store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

func sampleCheckpoint(tenant, stream string) Checkpoint {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	return Checkpoint{
		Version: Version, Tenant: tenant, Stream: stream,
		Watermark: at, AtWatermark: []string{"00u1@1#h"},
		Cursor: "https://acme.okta.com/api/v1/logs?after=x", LastSuccess: at,
		Snapshot:  &Snapshot{ID: "s1", Cursor: "00u9", StartedAt: at, Records: 7},
		UpdatedAt: at, Extra: map[string]string{"k": "v"},
	}
}

func manyIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("00u%07d", i)
	}
	return ids
}

// withSmallChunks makes every set of more than a few ids chunked.
func withSmallChunks(t *testing.T) {
	t.Helper()
	old := chunkBytes
	chunkBytes = 256
	t.Cleanup(func() { chunkBytes = old })
}

func TestKafkaStoreRoundTrip(t *testing.T) {
	withSmallChunks(t)
	brokers := kafkatest.Brokers(t)
	topic := testTopic(t)
	s := openKafka(t, brokers, topic)
	ctx := testCtx(t)

	a, b := sampleCheckpoint("acme", "employees"), sampleCheckpoint("acme", "activity")
	for _, cp := range []Checkpoint{a, b} {
		if err := s.Save(ctx, cp); err != nil {
			t.Fatalf("Save: %v", err)
		}
	}
	got, err := s.Load(ctx, Key{"acme", "employees"})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("Load (-want +got):\n%s", diff)
	}

	small, big := SetKey{"acme", "group_members", "00g1"}, SetKey{"acme", "employees", ""}
	sets := map[SetKey][]string{small: {"00u2", "00u1", "00u1"}, big: manyIDs(500)}
	for k, ids := range sets {
		if err := s.SaveSet(ctx, k, ids); err != nil {
			t.Fatalf("SaveSet %v: %v", k, err)
		}
	}
	checkSet(t, s, small, []string{"00u1", "00u2"})
	checkSet(t, s, big, manyIDs(500))
	owners, err := s.Owners(ctx, "acme", "employees")
	if err != nil || !cmp.Equal(owners, []string{""}) {
		t.Errorf("Owners: got %q, %v, want [\"\"], nil", owners, err)
	}

	// Shrinking a chunked set to an inline one, then deleting another.
	if err := s.SaveSet(ctx, big, []string{"00u9"}); err != nil {
		t.Fatalf("SaveSet shrink: %v", err)
	}
	if err := s.DeleteSet(ctx, small); err != nil {
		t.Fatalf("DeleteSet: %v", err)
	}
	if err := s.Delete(ctx, Key{"acme", "activity"}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	checkSet(t, s, big, []string{"00u9"})
	checkSet(t, s, small, nil)
	if _, err := s.Load(ctx, Key{"acme", "activity"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load after Delete: got %v, want ErrNotFound", err)
	}
	list, err := s.List(ctx)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if diff := cmp.Diff([]Checkpoint{a}, list); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}

	t.Run("restart reads the same state", func(t *testing.T) {
		_ = s.Close()
		r := openKafka(t, brokers, topic)
		got, err := r.Load(ctx, Key{"acme", "employees"})
		if err != nil {
			t.Fatalf("Load after restart: %v", err)
		}
		if diff := cmp.Diff(a, got); diff != "" {
			t.Errorf("Load after restart (-want +got):\n%s", diff)
		}
		checkSet(t, r, big, []string{"00u9"})
		checkSet(t, r, small, nil)
		if _, err := r.Load(ctx, Key{"acme", "activity"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted checkpoint after restart: got %v, want ErrNotFound", err)
		}
	})
}

func checkSet(t *testing.T, s Store, k SetKey, want []string) {
	t.Helper()
	got, err := s.LoadSet(context.Background(), k)
	if err != nil {
		t.Fatalf("LoadSet %v: %v", k, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LoadSet %v (-want +got):\n%s", k, diff)
	}
}

func TestKafkaStoreFollowsOtherWriter(t *testing.T) {
	withSmallChunks(t)
	brokers := kafkatest.Brokers(t)
	topic := testTopic(t)
	running, operator := openKafka(t, brokers, topic), openKafka(t, brokers, topic)
	ctx := testCtx(t)

	if err := running.Save(ctx, sampleCheckpoint("acme", "activity")); err != nil {
		t.Fatalf("Save: %v", err)
	}
	if err := operator.Sync(ctx); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	moved, err := operator.Load(ctx, Key{"acme", "activity"})
	if err != nil {
		t.Fatalf("operator Load: %v", err)
	}
	moved.Cursor, moved.Extra = "", map[string]string{"since": "2026-11-01T00:00:00Z"}
	if err := operator.Save(ctx, moved); err != nil {
		t.Fatalf("operator Save: %v", err)
	}
	if err := operator.SaveSet(ctx, SetKey{"acme", "employees", ""}, manyIDs(300)); err != nil {
		t.Fatalf("operator SaveSet: %v", err)
	}

	if err := running.Sync(ctx); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	got, err := running.Load(ctx, Key{"acme", "activity"})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if diff := cmp.Diff(moved, got); diff != "" {
		t.Errorf("change seen by the running store (-want +got):\n%s", diff)
	}
	checkSet(t, running, SetKey{"acme", "employees", ""}, manyIDs(300))
}

func TestKafkaStoreHidesAbortedAndRefusesUnreadable(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := testTopic(t)
	s := openKafka(t, brokers, topic)
	ctx := testCtx(t)

	// A checkpoint written in a transaction that aborts is never read.
	txn := kafkatest.NewClient(t, brokers, kgo.TransactionalID(topic+"-txn"))
	rec, err := s.EncodeCheckpoint(sampleCheckpoint("acme", "groups"))
	if err != nil {
		t.Fatalf("EncodeCheckpoint: %v", err)
	}
	if err := txn.BeginTransaction(); err != nil {
		t.Fatalf("BeginTransaction: %v", err)
	}
	if err := txn.ProduceSync(ctx, rec).FirstErr(); err != nil {
		t.Fatalf("producing in a transaction: %v", err)
	}
	if err := txn.EndTransaction(ctx, kgo.TryAbort); err != nil {
		t.Fatalf("aborting: %v", err)
	}
	// A value from a later release must fail loudly, not look missing.
	plain := kafkatest.NewClient(t, brokers)
	future := &kgo.Record{Topic: topic, Key: []byte("acme/apps"),
		Value: []byte(`{"version":99,"tenant":"acme","stream":"apps"}`)}
	if err := plain.ProduceSync(ctx, future).FirstErr(); err != nil {
		t.Fatalf("producing: %v", err)
	}

	r := openKafka(t, brokers, topic)
	if _, err := r.Load(ctx, Key{"acme", "groups"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("aborted checkpoint: got %v, want ErrNotFound", err)
	}
	_, err = r.Load(ctx, Key{"acme", "apps"})
	if err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("future version: got %v, want an error naming version 99", err)
	}
	if _, err := r.List(ctx); err == nil {
		t.Errorf("List with an unreadable checkpoint: got nil error, want one")
	}
}
