package connector

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// pageHold holds the nth request to one path, and only that one, until
// released. Release it in a cleanup registered after the server's, so
// that the server's Close does not wait for the held request.
type pageHold struct {
	path    string
	nth     int
	mu      sync.Mutex
	seen    int
	reached chan struct{} // closed when the nth request arrives
	open    chan struct{}
	once    sync.Once
}

func newPageHold(path string, nth int) *pageHold {
	return &pageHold{path: path, nth: nth, reached: make(chan struct{}),
		open: make(chan struct{})}
}

func (h *pageHold) release() { h.once.Do(func() { close(h.open) }) }

func (h *pageHold) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		if r.URL.Path == h.path {
			h.seen++
		}
		hold := r.URL.Path == h.path && h.seen == h.nth
		h.mu.Unlock()
		if hold {
			close(h.reached)
			select {
			case <-h.open:
			case <-r.Context().Done():
			}
		}
		next.ServeHTTP(w, r)
	})
}

// streamEnds tells, on ended, the first end of one stream's runs.
type streamEnds struct {
	stream string
	ended  chan StreamResult
	once   sync.Once
}

func (s *streamEnds) StreamStarted(string, string) {}

func (s *streamEnds) StreamDone(_ context.Context, r StreamResult) {
	if r.Stream == s.stream {
		s.once.Do(func() { s.ended <- r })
	}
}

// logCalls counts the org's System Log calls so far.
func logCalls(org *oktasim.Org) int {
	n := 0
	for _, r := range org.Requests() {
		if strings.HasPrefix(r.Path, "/api/v1/logs") {
			n++
		}
	}
	return n
}

// TestSyncOnceEndsWithTheSystemLog deletes a user that the employees
// listing has already published, after the cycle's System Log run has
// ended and while the listing's second page is held. SyncOnce must not
// return with the user live on Kafka: the System Log is read once more
// after the listings. A second, idle SyncOnce must read it once only.
func TestSyncOnceEndsWithTheSystemLog(t *testing.T) {
	org := newOrg(t, oktasim.OrgConfig{Seed: 5, Users: 300, Groups: 4, Apps: 2, Events: 40})
	hold := newPageHold("/api/v1/users", 2)
	tenant := serveOrg(t, "catch", org, hold.wrap)
	t.Cleanup(hold.release)
	tp := newTestPublisher(t, kafkatest.Brokers(t), true, 0)
	rec := &recordingPublisher{Publisher: tp.pub}
	obs := &streamEnds{stream: StreamActivity, ended: make(chan StreamResult, 1)}
	e := NewEngine(EngineConfig{Tenants: []Tenant{tenant}, Store: tp.store,
		Publisher: rec, Logger: discard(), Observer: obs})

	done := make(chan []StreamResult, 1)
	go func() { done <- e.SyncOnce(context.Background(), "") }()
	receive(t, hold.reached, "the second page of users")
	if r := receive(t, obs.ended, "the System Log run"); r.Err != nil {
		t.Fatalf("System Log run: %v", r.Err)
	}
	early := rec.take()
	id := publishedUser(t, org, early)
	for range 2 { // the first deactivates, the second deletes (API.md §4.6)
		if _, err := org.DeleteUser(id); err != nil {
			t.Fatal(err)
		}
	}
	hold.release()
	res := receive(t, done, "the sync")
	failOn(t, res)

	key, live := EntityKey("catch", id), false
	for _, r := range append(early, rec.take()...) {
		if r.Stream == StreamEmployees && r.Key == key {
			live = r.Value != nil
		}
	}
	if live {
		t.Errorf("deleted user %s: got a live last record, want a tombstone", id)
	}
}

// TestIdleSyncOnceReadsTheSystemLogOnce: a cycle whose listings publish
// nothing reads the System Log once, as internal/bench's idle target
// counts, while a first, full cycle reads it again after the listings.
func TestIdleSyncOnceReadsTheSystemLogOnce(t *testing.T) {
	org := newOrg(t, oktasim.OrgConfig{Seed: 6, Users: 40, Groups: 3, Apps: 2, Events: 30})
	pub := newMemPublisher(t)
	e := NewEngine(EngineConfig{Tenants: []Tenant{serveOrg(t, "idle", org, nil)},
		Store: pub.store, Publisher: pub, Logger: discard()})
	tests := []struct {
		name    string
		records bool // whether the cycle publishes
		calls   int  // System Log calls
	}{
		{"full", true, 2},
		{"idle", false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			org.ResetRequests()
			before := pub.records("idle")
			failOn(t, e.SyncOnce(context.Background(), ""))
			if got := pub.records("idle") > before; got != tc.records {
				t.Errorf("got published %t, want %t", got, tc.records)
			}
			if got := logCalls(org); got != tc.calls {
				t.Errorf("got %d System Log calls, want %d", got, tc.calls)
			}
		})
	}
}

// publishedUser returns a user of org whose live record is among recs.
func publishedUser(t *testing.T, org *oktasim.Org, recs []Record) string {
	t.Helper()
	live := map[string]bool{}
	for _, r := range recs {
		if r.Stream == StreamEmployees && r.Value != nil {
			live[r.Key] = true
		}
	}
	for _, u := range org.Users() {
		if live[EntityKey("catch", u.ID)] {
			return u.ID
		}
	}
	t.Fatalf("got no user published before the held page, want the first page's")
	return ""
}

// failOn fails the test on any stream's error.
func failOn(t *testing.T, res []StreamResult) {
	t.Helper()
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("tenant %s stream %s: %v", r.Tenant, r.Stream, r.Err)
		}
	}
}

// records returns how many records tenant published.
func (p *memPublisher) records(tenant string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.recs[tenant]
}
