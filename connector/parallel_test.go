package connector

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// TestTenantStreamsOverlap holds the first listing request of each entity
// stream and of the System Log until all four are in flight: run one
// after another, they never would be, and the barrier gives up.
func TestTenantStreamsOverlap(t *testing.T) {
	org := newOrg(t, oktasim.OrgConfig{Seed: 3, Users: 60, Groups: 4, Apps: 3, Events: 80})
	b := newBarrier("/api/v1/users", "/api/v1/groups", "/api/v1/apps", "/api/v1/logs")
	tenant := serveOrg(t, "par", org, b.wrap)
	pub := newMemPublisher(t)
	e := NewEngine(EngineConfig{Tenants: []Tenant{tenant}, Store: pub.store, Publisher: pub,
		Logger: discard()})

	res := syncWithin(t, e)

	if missed, timedOut := b.missed(); timedOut {
		t.Fatalf("got no request to %v while the others waited, want all four in flight",
			missed)
	}
	var got []string
	for _, r := range res {
		got = append(got, r.Stream)
	}
	if diff := cmp.Diff(runOrder, got); diff != "" {
		t.Errorf("results' streams (-want +got):\n%s", diff)
	}
}

// authLines counts the Error lines that say Okta refused the connector.
type authLines struct {
	mu sync.Mutex
	n  int
}

func (a *authLines) Enabled(context.Context, slog.Level) bool { return true }
func (a *authLines) WithAttrs([]slog.Attr) slog.Handler       { return a }
func (a *authLines) WithGroup(string) slog.Handler            { return a }

func (a *authLines) Handle(_ context.Context, r slog.Record) error {
	if r.Level == slog.LevelError {
		a.mu.Lock()
		a.n++
		a.mu.Unlock()
	}
	return nil
}

func (a *authLines) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

// TestAuthErrorOneLinePerCycle: a refused credential ends the cycle at the
// org when the org runs; when it does not, the other streams all meet the
// refusal at once, and the cycle still logs one line.
func TestAuthErrorOneLinePerCycle(t *testing.T) {
	tests := []struct {
		name    string
		streams []string
		want    []string // streams with results, each refused
	}{
		{"org refused first", nil, []string{StreamOrganizations}},
		{"streams refused together",
			[]string{StreamEmployees, StreamGroups, StreamApps, StreamActivity},
			[]string{StreamEmployees, StreamGroups, StreamApps, StreamActivity}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			org := newOrg(t, oktasim.OrgConfig{Seed: 4, Users: 15, Groups: 2, Apps: 2,
				Events: 20})
			bad := simTenant(t, "refused", serveURL(t, org, nil), "not-the-token")
			bad.Streams = tc.streams
			lines := &authLines{}
			pub := newMemPublisher(t)
			e := NewEngine(EngineConfig{Tenants: []Tenant{bad}, Store: pub.store,
				Publisher: pub, Logger: slog.New(lines)})
			for cycle := 1; cycle <= 2; cycle++ {
				var got []string
				for _, r := range e.SyncOnce(context.Background(), "") {
					if !isAuth(r.Err) {
						t.Errorf("stream %s: got %v, want an auth error", r.Stream, r.Err)
					}
					got = append(got, r.Stream)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("cycle %d: streams run (-want +got):\n%s", cycle, diff)
				}
				if n := lines.count(); n != cycle {
					t.Errorf("after cycle %d: got %d error lines, want %d", cycle, n, cycle)
				}
			}
		})
	}
}
