package connector

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/schemas"
)

// txnRig is a transactional publisher's world: topics, store and codec of
// one test, on brokers.
type txnRig struct {
	brokers []string
	topics  TopicsConfig
	ckTopic string
	idPfx   string
	codec   *schemas.SingleObjectCodec
}

func newTxnRig(t testing.TB) txnRig {
	t.Helper()
	return newTxnRigOn(t, kafkatest.Brokers(t))
}

// newTxnRigOn is newTxnRig on given brokers.
func newTxnRigOn(t testing.TB, brokers []string) txnRig {
	t.Helper()
	prefix := kafkatest.UniqueTopicPrefix(t)
	topics := TopicsConfig{Prefix: prefix, Partitions: 3, ReplicationFactor: -1,
		ActivityRetention: time.Hour}
	adm := kadm.NewClient(kafkatest.NewClient(t, brokers))
	if err := EnsureTopics(context.Background(), adm, topics,
		slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("creating topics: %v", err)
	}
	codec, err := schemas.NewSingleObjectCodec()
	if err != nil {
		t.Fatal(err)
	}
	return txnRig{brokers: brokers, topics: topics, ckTopic: prefix + "checkpoints",
		idPfx: prefix + "shard-", codec: codec}
}

// store opens the rig's Kafka checkpoint store, closed at cleanup.
func (r txnRig) store(t testing.TB) *checkpoint.KafkaStore {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := checkpoint.NewKafkaStore(ctx, checkpoint.KafkaStoreConfig{
		Brokers: r.brokers, Topic: r.ckTopic, Partitions: 3})
	if err != nil {
		t.Fatalf("opening kafka store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// publisher returns a transactional publisher on store, closed at cleanup.
func (r txnRig) publisher(t testing.TB, store TxnState,
	hook func(context.Context, int)) *TxnPublisher {
	t.Helper()
	p, err := NewTxnPublisher(TxnConfig{Kafka: KafkaConfig{Brokers: r.brokers},
		Shards: 4, IDPrefix: r.idPfx, Timeout: 20 * time.Second, BeforeCommit: hook},
		r.codec, store, r.topics)
	if err != nil {
		t.Fatalf("creating transactional publisher: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

// employeeKeys returns the keys of the committed employee records, sorted.
func (r txnRig) employeeKeys(t testing.TB) []string {
	t.Helper()
	var keys []string
	for _, rec := range kafkatest.Consume(t, r.brokers,
		[]string{r.topics.Topic(StreamEmployees)}) {
		keys = append(keys, string(rec.Key))
	}
	slices.Sort(keys)
	return keys
}

func employee(tenant, id string, custom string) Record {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	attrs := map[string]*string{}
	if custom != "" {
		attrs["blob"] = &custom
	}
	return Record{Stream: StreamEmployees, Key: EntityKey(tenant, id),
		Value: schemas.Employee{TenantID: tenant, OktaDomain: tenant + ".okta.com", ID: id,
			Status: "ACTIVE", Login: id + "@example.com", Created: at, LastUpdated: at,
			CustomAttributes: attrs, SyncedAt: at}}
}

func employeesBatch(tenant string, wm time.Time, recs ...Record) Batch {
	return Batch{Tenant: tenant, Records: recs,
		Checkpoints: []checkpoint.Checkpoint{{Tenant: tenant, Stream: StreamEmployees,
			Watermark: wm}},
		Sets: []SetWrite{{Key: checkpoint.SetKey{Tenant: tenant, Stream: StreamEmployees},
			IDs: []string{"00u1", "00u2"}}}}
}

func loadWatermark(t *testing.T, s checkpoint.Store, tenant string) time.Time {
	t.Helper()
	cp, err := s.Load(context.Background(), checkpoint.Key{Tenant: tenant,
		Stream: StreamEmployees})
	if errors.Is(err, checkpoint.ErrNotFound) {
		return time.Time{}
	}
	if err != nil {
		t.Fatalf("loading checkpoint: %v", err)
	}
	return cp.Watermark
}

func TestTxnPublisherCommits(t *testing.T) {
	rig := newTxnRig(t)
	store := rig.store(t)
	pub := rig.publisher(t, store, nil)
	wm := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b := employeesBatch("acme", wm, employee("acme", "00u1", ""), employee("acme", "00u2", ""))
	if err := pub.Publish(context.Background(), b); err != nil {
		t.Fatalf("Publish: %v", err)
	}

	if diff := cmp.Diff([]string{"acme/00u1", "acme/00u2"}, rig.employeeKeys(t)); diff != "" {
		t.Errorf("committed employee keys (-want +got):\n%s", diff)
	}
	if got := loadWatermark(t, store, "acme"); !got.Equal(wm) {
		t.Errorf("watermark in the publisher's store: got %v, want %v", got, wm)
	}
	restarted := rig.store(t)
	if got := loadWatermark(t, restarted, "acme"); !got.Equal(wm) {
		t.Errorf("watermark after restart: got %v, want %v", got, wm)
	}
	ids, err := restarted.LoadSet(context.Background(),
		checkpoint.SetKey{Tenant: "acme", Stream: StreamEmployees})
	if err != nil || !cmp.Equal(ids, []string{"00u1", "00u2"}) {
		t.Errorf("set after restart: got %q, %v, want [00u1 00u2], nil", ids, err)
	}
	got := pub.Counts()[rig.topics.Topic(StreamEmployees)]
	if got != (Count{Records: 2}) {
		t.Errorf("Counts: got %+v, want 2 records", got)
	}
}

func TestTxnPublisherAbortsOnFailedRecord(t *testing.T) {
	rig := newTxnRig(t)
	store := rig.store(t)
	pub := rig.publisher(t, store, nil)
	first := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := pub.Publish(context.Background(),
		employeesBatch("acme", first, employee("acme", "00u1", ""))); err != nil {
		t.Fatalf("first Publish: %v", err)
	}

	// A record over the producer's 1 MB batch limit fails on the client,
	// where kgo would still commit its siblings if asked to.
	huge := strings.Repeat("x", 2<<20)
	b := employeesBatch("acme", first.Add(time.Hour),
		employee("acme", "00u2", ""), employee("acme", "00u3", huge))
	err := pub.Publish(context.Background(), b)
	if !errors.Is(err, kerr.MessageTooLarge) {
		t.Fatalf("Publish with an oversized record: got %v, want MESSAGE_TOO_LARGE", err)
	}

	if diff := cmp.Diff([]string{"acme/00u1"}, rig.employeeKeys(t)); diff != "" {
		t.Errorf("committed employee keys (-want +got):\n%s", diff)
	}
	if got := loadWatermark(t, store, "acme"); !got.Equal(first) {
		t.Errorf("watermark after the abort: got %v, want %v", got, first)
	}
	if got := loadWatermark(t, rig.store(t), "acme"); !got.Equal(first) {
		t.Errorf("watermark read back after the abort: got %v, want %v", got, first)
	}
	// The shard's client still works after an abort.
	if err := pub.Publish(context.Background(),
		employeesBatch("acme", first.Add(2*time.Hour), employee("acme", "00u4", ""))); err != nil {
		t.Fatalf("Publish after the abort: %v", err)
	}
}

func TestTxnPublisherFencedOwnerCannotCommit(t *testing.T) {
	rig := newTxnRig(t)
	entered, release := make(chan struct{}), make(chan struct{})
	hold := func(ctx context.Context, shard int) {
		close(entered)
		<-release
	}
	oldStore := rig.store(t)
	old := rig.publisher(t, oldStore, hold)
	wm := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	done := make(chan error, 1)
	go func() {
		done <- old.Publish(context.Background(),
			employeesBatch("acme", wm, employee("acme", "00zombie", "")))
	}()
	<-entered // the old owner's records are acknowledged, its commit pending

	newStore := rig.store(t)
	owner := rig.publisher(t, newStore, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := owner.Claim(ctx, ShardOf("acme", owner.Shards())); err != nil {
		t.Fatalf("Claim: %v", err)
	}
	later := wm.Add(time.Hour)
	if err := owner.Publish(ctx,
		employeesBatch("acme", later, employee("acme", "00u1", ""))); err != nil {
		t.Fatalf("new owner's Publish: %v", err)
	}
	close(release)
	err := <-done
	if !isFenced(err) {
		t.Fatalf("old owner's Publish: got %v, want a fencing error", err)
	}

	if diff := cmp.Diff([]string{"acme/00u1"}, rig.employeeKeys(t)); diff != "" {
		t.Errorf("committed employee keys (-want +got):\n%s", diff)
	}
	if got := loadWatermark(t, rig.store(t), "acme"); !got.Equal(later) {
		t.Errorf("watermark: got %v, want the new owner's %v", got, later)
	}
}

func TestShardOfIsStable(t *testing.T) {
	tests := []struct {
		tenant string
		want   int
	}{
		// FNV-1a is fixed by its spec (values computed outside Go): they
		// must never change, or every tenant moves to another
		// transactional id on upgrade.
		{"acme", 15},
		{"globex.okta.com", 14},
		{"initech:8443", 8},
	}
	for _, tt := range tests {
		t.Run(tt.tenant, func(t *testing.T) {
			if got := ShardOf(tt.tenant, 16); got != tt.want {
				t.Errorf("ShardOf(%q, 16): got %d, want %d", tt.tenant, got, tt.want)
			}
		})
	}
}

func TestTxnIDPrefix(t *testing.T) {
	for topic, want := range map[string]string{
		"okta-connector.checkpoints": DefaultTxnIDPrefix,
		"acme.checkpoints":           "acme.shard-",
		"offsets":                    "offsets.shard-",
	} {
		if got := TxnIDPrefix(topic); got != want {
			t.Errorf("TxnIDPrefix(%q) = %q, want %q", topic, got, want)
		}
	}
}
