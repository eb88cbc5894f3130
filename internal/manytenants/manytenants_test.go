package manytenants

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/schemas"
)

const (
	token        = "many-tenants-test-token"
	smallTenants = 200
	large        = "large"
	// slots is MAX_CONCURRENT_TENANTS, half the default; the connector
	// package's TestLargeTenantYieldsItsSlot shows the same with one.
	slots = 4
)

// acks notes, per tenant, when Kafka acknowledged its first and its last
// batch of records, and how many records it published.
type acks struct {
	connector.Publisher
	mu          sync.Mutex
	first, last map[string]time.Time
	records     map[string]int64
}

func (a *acks) Publish(ctx context.Context, b connector.Batch) error {
	if err := a.Publisher.Publish(ctx, b); err != nil {
		return err
	}
	if len(b.Records) == 0 {
		return nil
	}
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.first[b.Tenant]; !ok {
		a.first[b.Tenant] = now
	}
	a.last[b.Tenant] = now
	a.records[b.Tenant] += int64(len(b.Records))
	return nil
}

// want counts the records a first full sync of org publishes: every user,
// group, membership, app and assignment, the org, each event inside the
// look-back and a begin and a completed marker for five snapshots.
func want(org *oktasim.Org, since time.Time) int64 {
	n := int64(len(org.Users())) + 1 + 10
	for _, g := range org.Groups() {
		n += 1 + int64(len(g.Members))
	}
	for _, a := range org.Apps() {
		n += 1 + int64(len(org.AppUserIDs(a.ID)))
	}
	for e := range org.Events() {
		if !e.Persisted.Before(since) {
			n++
		}
	}
	return n
}

// TestManyTenants is Must-show 1 of issue 6: 200 small tenants and a large
// one, one simulator serving them all, one engine with four slots, the
// large tenant taking one first. All complete with every record, and every
// small tenant's first record is acknowledged before the large tenant's
// last.
func TestManyTenants(t *testing.T) {
	since := time.Now().Add(-7 * 24 * time.Hour)
	orgs := make([]*oktasim.Org, 0, smallTenants+1)
	ids := make([]string, 0, smallTenants+1)
	big, err := oktasim.NewOrg(oktasim.OrgConfig{Seed: 1, Users: 20_000, Groups: 8,
		Apps: 3, Events: 100_000, Token: token,
		Limits: oktasim.RateLimits{Off: true}})
	if err != nil {
		t.Fatal(err)
	}
	orgs, ids = append(orgs, big), append(ids, large)
	for i := range smallTenants {
		org, err := oktasim.NewOrg(oktasim.OrgConfig{Seed: uint64(100 + i), Users: 20,
			Groups: 3, Apps: 2, Events: 15, Token: token})
		if err != nil {
			t.Fatal(err)
		}
		orgs, ids = append(orgs, org), append(ids, fmt.Sprintf("small-%03d", i))
	}
	// Latency makes the large sync span seconds, as a real large org's does.
	if err := big.SetFaults(oktasim.Faults{Latency: 5 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	srv, err := oktasim.Start(oktasim.ServerConfig{}, orgs...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })

	tenants := make([]connector.Tenant, 0, len(orgs))
	for i, u := range srv.URLs() {
		base, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		cl, err := okta.New(okta.Config{BaseURL: base,
			Credentials: okta.Credentials{Token: okta.NewToken(token)},
			RateShare:   1, Clock: connector.SlotClock{}})
		if err != nil {
			t.Fatal(err)
		}
		tenants = append(tenants, connector.Tenant{ID: ids[i], Domain: base.Host, Client: cl})
	}

	pub := newPublisher(t)
	e := connector.NewEngine(connector.EngineConfig{Tenants: tenants, Store: pub.store,
		Publisher: pub, MaxConcurrentTenants: slots})
	start := time.Now()
	results := syncLargeFirst(t, e, ids)
	t.Logf("%d tenants synced in %v; the large one in %v", len(tenants),
		time.Since(start).Round(time.Millisecond),
		pub.last[large].Sub(start).Round(time.Millisecond))
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("tenant %s, stream %s: %v", r.Tenant, r.Stream, r.Err)
		}
	}
	got, wantRecs := map[string]int64{}, map[string]int64{}
	for i, org := range orgs {
		wantRecs[ids[i]] = want(org, since)
		got[ids[i]] = pub.records[ids[i]]
	}
	if diff := cmp.Diff(wantRecs, got); diff != "" {
		t.Errorf("records per tenant (-want +got):\n%s", diff)
	}
	bigDone, latest := pub.last[large], time.Time{}
	for _, id := range ids[1:] {
		first := pub.first[id]
		if first.After(latest) {
			latest = first
		}
		if !first.Before(bigDone) {
			t.Errorf("tenant %s: first record %v after the large tenant finished, want before",
				id, first.Sub(bigDone))
		}
	}
	t.Logf("the last small tenant's first record landed %v before the large one finished",
		bigDone.Sub(latest).Round(time.Millisecond))
}

// syncLargeFirst runs one pass over every tenant, the large one's started
// first and holding the slot before the small ones queue, and returns
// every stream's result.
func syncLargeFirst(t *testing.T, e *connector.Engine, ids []string) []connector.StreamResult {
	t.Helper()
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		all []connector.StreamResult
	)
	syncOne := func(id string) {
		defer wg.Done()
		res := e.SyncOnce(context.Background(), id)
		mu.Lock()
		all = append(all, res...)
		mu.Unlock()
	}
	wg.Add(1)
	go syncOne(large)
	for deadline := time.Now().Add(10 * time.Second); len(e.Progress()) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the large tenant never started")
		}
		time.Sleep(time.Millisecond)
	}
	for _, id := range ids[1:] {
		wg.Add(1)
		go syncOne(id)
	}
	wg.Wait()
	return all
}

// publisher is a Kafka publisher with a file store, wrapped by acks.
type publisher struct {
	*acks
	store checkpoint.Store
}

func newPublisher(t *testing.T) publisher {
	t.Helper()
	ctx := context.Background()
	cl, err := connector.NewProducer(connector.KafkaConfig{Brokers: kafkatest.Brokers(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	topics := connector.TopicsConfig{Prefix: kafkatest.UniqueTopicPrefix(t), Partitions: 3,
		ReplicationFactor: -1, ActivityRetention: time.Hour}
	if err := connector.EnsureTopics(ctx, kadm.NewClient(cl), topics,
		slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("creating topics: %v", err)
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
	kp := connector.NewKafkaPublisher(cl, codec, store, topics)
	return publisher{store: store, acks: &acks{Publisher: kp, first: map[string]time.Time{},
		last: map[string]time.Time{}, records: map[string]int64{}}}
}
