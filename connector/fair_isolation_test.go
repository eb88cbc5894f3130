package connector

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// failLog records when each tenant's stream failures were logged.
type failLog struct {
	mu   sync.Mutex
	when map[string]time.Time // tenant -> first failure
}

func (f *failLog) Enabled(context.Context, slog.Level) bool { return true }
func (f *failLog) WithGroup(string) slog.Handler            { return f }

func (f *failLog) WithAttrs(attrs []slog.Attr) slog.Handler {
	for _, a := range attrs {
		if a.Key == "tenant" {
			return &tenantFailLog{f, a.Value.String()}
		}
	}
	return f
}

func (f *failLog) Handle(context.Context, slog.Record) error { return nil }

// tenantFailLog is failLog scoped to one tenant by Logger.With.
type tenantFailLog struct {
	*failLog
	tenant string
}

func (h *tenantFailLog) Handle(_ context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.when[h.tenant]; !ok {
		h.when[h.tenant] = r.Time
	}
	return nil
}

// TestFailingTenantsDoNotStallOthers runs healthy tenants next to tenants
// that Okta refuses (401, 403) or fails (every request a 500, every body
// malformed) with one slot, taken first by the outage tenant. It retries
// with backoff, and every healthy tenant must finish before its first
// failure is even logged, which they could not if it kept the slot while
// sleeping (SlotClock).
func TestFailingTenantsDoNotStallOthers(t *testing.T) {
	healthy := []string{"ok1", "ok2", "ok3", "ok4"}
	var tenants []Tenant
	for i, id := range healthy {
		tenants = append(tenants, simTenant(t, id, simOrg(t, uint64(i+1),
			oktasim.OrgConfig{}, oktasim.Faults{}), simToken))
	}
	short := []string{StreamOrganizations, StreamActivity}
	outage := simTenant(t, "outage", simOrg(t, 11, oktasim.OrgConfig{},
		oktasim.Faults{ServerErrors: 1}), simToken)
	outage.Streams = short
	malformed := simTenant(t, "malformed", simOrg(t, 12, oktasim.OrgConfig{},
		oktasim.Faults{Malformed: 1}), simToken)
	malformed.Streams = short
	revoked := simTenant(t, "revoked", simOrg(t, 13, oktasim.OrgConfig{},
		oktasim.Faults{}), "not-the-token")
	denied := simTenant(t, "denied", simOrg(t, 14, oktasim.OrgConfig{
		Deny: []string{"users", "groups", "apps", "logs", "org"}}, oktasim.Faults{}), simToken)
	tenants = append([]Tenant{outage, malformed, revoked, denied}, tenants...)

	pub := newMemPublisher(t)
	fails := &failLog{when: map[string]time.Time{}}
	e := NewEngine(EngineConfig{Tenants: tenants, Store: pub.store, Publisher: pub,
		Logger: slog.New(fails), MaxConcurrentTenants: 1})
	// The outage takes the only slot first; everyone else queues behind it.
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		failed = map[string]bool{}
	)
	syncTenant := func(id string) {
		defer wg.Done()
		for _, r := range e.SyncOnce(context.Background(), id) {
			if r.Err != nil {
				mu.Lock()
				failed[r.Tenant] = true
				mu.Unlock()
			}
		}
	}
	wg.Add(1)
	go syncTenant("outage")
	waitFor(t, "the outage tenant to hold the slot", func() bool { return len(e.Progress()) > 0 })
	for _, tn := range tenants[1:] {
		wg.Add(1)
		go syncTenant(tn.ID)
	}
	wg.Wait()
	for _, id := range []string{"outage", "malformed", "revoked", "denied"} {
		if !failed[id] {
			t.Errorf("tenant %s: got no failed stream, want its faults to fail it", id)
		}
	}
	outageFailed, ok := fails.when["outage"]
	if !ok {
		t.Fatal("got no failure logged for the outage tenant")
	}
	for _, id := range healthy {
		if failed[id] {
			t.Errorf("tenant %s: got a failed stream, want none", id)
		}
		pub.mu.Lock()
		last, recs := pub.last[id], pub.recs[id]
		pub.mu.Unlock()
		if recs == 0 {
			t.Errorf("tenant %s: got no records, want its org published", id)
		}
		if !last.Before(outageFailed) {
			t.Errorf("tenant %s: finished %v after the outage's first failure, want before",
				id, last.Sub(outageFailed))
		}
	}
}

// TestLargeTenantYieldsItsSlot gives one slot to a tenant with a long
// full listing, then queues small tenants: each one's first records must
// land before the large one finishes, which only yielding between batches
// allows.
func TestLargeTenantYieldsItsSlot(t *testing.T) {
	bigOrg := simOrg(t, 1, oktasim.OrgConfig{Users: 3000, Groups: 2, Apps: 1, Events: 10,
		Limits: oktasim.RateLimits{Off: true}},
		oktasim.Faults{Latency: 5 * time.Millisecond})
	big := simTenant(t, "large", bigOrg, simToken)
	big.Streams = []string{StreamEmployees}
	tenants := []Tenant{big}
	for i := range 5 {
		id := fmt.Sprintf("small%d", i)
		tenants = append(tenants, simTenant(t, id, simOrg(t, uint64(10+i),
			oktasim.OrgConfig{}, oktasim.Faults{}), simToken))
	}
	pub := newMemPublisher(t)
	e := NewEngine(EngineConfig{Tenants: tenants, Store: pub.store, Publisher: pub,
		Logger: discard(), MaxConcurrentTenants: 1})
	var wg sync.WaitGroup
	wg.Go(func() { e.SyncOnce(context.Background(), "large") })
	waitFor(t, "the large tenant to hold the slot", func() bool { return len(e.Progress()) > 0 })
	for _, tn := range tenants[1:] {
		wg.Go(func() { e.SyncOnce(context.Background(), tn.ID) })
	}
	wg.Wait()
	pub.mu.Lock()
	defer pub.mu.Unlock()
	for _, tn := range tenants[1:] {
		if !pub.first[tn.ID].Before(pub.last["large"]) {
			t.Errorf("tenant %s: first records %v after the large one finished, want before",
				tn.ID, pub.first[tn.ID].Sub(pub.last["large"]))
		}
	}
}
