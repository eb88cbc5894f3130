package connector

import (
	"context"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// memPublisher keeps batches in memory and saves their state in a store,
// in the order KafkaPublisher does, without a broker. It notes when each
// tenant's batches were accepted.
type memPublisher struct {
	store checkpoint.Store
	mu    sync.Mutex
	first map[string]time.Time // tenant -> first batch with records
	last  map[string]time.Time // tenant -> latest batch
	count map[string]int       // tenant -> batches
	recs  map[string]int       // tenant -> records
}

func newMemPublisher(t *testing.T) *memPublisher {
	t.Helper()
	store, err := checkpoint.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return &memPublisher{store: store, first: map[string]time.Time{},
		last: map[string]time.Time{}, count: map[string]int{}, recs: map[string]int{}}
}

func (p *memPublisher) Publish(ctx context.Context, b Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, s := range b.Sets {
		var err error
		if s.Delete {
			err = p.store.DeleteSet(ctx, s.Key)
		} else {
			err = p.store.SaveSet(ctx, s.Key, s.IDs)
		}
		if err != nil {
			return err
		}
	}
	for _, cp := range b.Checkpoints {
		cp.Version = checkpoint.Version
		if err := p.store.Save(ctx, cp); err != nil {
			return err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if _, ok := p.first[b.Tenant]; !ok && len(b.Records) > 0 {
		p.first[b.Tenant] = now
	}
	p.last[b.Tenant] = now
	p.count[b.Tenant]++
	p.recs[b.Tenant] += len(b.Records)
	return nil
}

// batches returns how many batches tenant published.
func (p *memPublisher) batches(tenant string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count[tenant]
}

// firstAt returns when tenant's first records were accepted.
func (p *memPublisher) firstAt(tenant string) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	at, ok := p.first[tenant]
	return at, ok
}

// simOrg serves a small generated org with the given faults and returns
// its base URL.
func simOrg(t *testing.T, seed uint64, cfg oktasim.OrgConfig, f oktasim.Faults) *url.URL {
	t.Helper()
	cfg.Seed, cfg.Token = seed, simToken
	if cfg.Users == 0 {
		cfg.Users, cfg.Groups, cfg.Apps, cfg.Events = 15, 2, 2, 20
	}
	org, srv := oktasim.StartTest(t, cfg)
	if err := org.SetFaults(f); err != nil {
		t.Fatal(err)
	}
	base, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// simTenant returns an engine tenant whose client reaches base with token.
func simTenant(t *testing.T, id string, base *url.URL, token string) Tenant {
	t.Helper()
	cl, err := okta.New(okta.Config{BaseURL: base,
		Credentials: okta.Credentials{Token: okta.NewToken(token)}, RateShare: 1,
		MaxAttempts: 3, Clock: SlotClock{}})
	if err != nil {
		t.Fatalf("creating okta client: %v", err)
	}
	return Tenant{ID: id, Domain: base.Host, Client: cl}
}

// waitFor polls cond every few milliseconds until it holds or the test's
// patience (10s) runs out.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
