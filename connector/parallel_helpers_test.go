package connector

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// patience bounds every wait of the parallel-run tests: past it, a run
// that should overlap or finish is taken to be stuck, and the test fails.
const patience = 10 * time.Second

// newOrg generates an org without serving it.
func newOrg(t *testing.T, cfg oktasim.OrgConfig) *oktasim.Org {
	t.Helper()
	cfg.Token = simToken
	org, err := oktasim.NewOrg(cfg)
	if err != nil {
		t.Fatalf("generating org: %v", err)
	}
	return org
}

// serveOrg serves org through wrap (nil: as it is) and returns a tenant of
// it named id.
func serveOrg(t *testing.T, id string, org *oktasim.Org,
	wrap func(http.Handler) http.Handler) Tenant {
	t.Helper()
	return simTenant(t, id, serveURL(t, org, wrap), simToken)
}

// serveURL serves org through wrap (nil: as it is) and returns its URL.
func serveURL(t *testing.T, org *oktasim.Org, wrap func(http.Handler) http.Handler) *url.URL {
	t.Helper()
	h := org.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// barrier holds the first request to each of its paths until a request to
// every one of them is in flight, or until patience runs out, which it
// notes. Later requests pass at once.
type barrier struct {
	mu       sync.Mutex
	pending  []string
	all      chan struct{}
	timedOut bool
}

func newBarrier(paths ...string) *barrier {
	return &barrier{pending: slices.Clone(paths), all: make(chan struct{})}
}

func (b *barrier) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.arrive(r.Context(), r.URL.Path)
		next.ServeHTTP(w, r)
	})
}

func (b *barrier) arrive(ctx context.Context, path string) {
	b.mu.Lock()
	i := slices.Index(b.pending, path)
	if i < 0 {
		b.mu.Unlock()
		return
	}
	b.pending = slices.Delete(b.pending, i, i+1)
	if len(b.pending) == 0 {
		close(b.all)
	}
	b.mu.Unlock()
	select {
	case <-b.all:
	case <-ctx.Done():
	case <-time.After(patience):
		b.mu.Lock()
		b.timedOut = true
		b.mu.Unlock()
	}
}

// missed returns the paths no request reached while others waited, if
// the barrier gave up.
func (b *barrier) missed() ([]string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.pending), b.timedOut
}

// gate holds every request to one path, once armed, until released. A
// test releases it in a cleanup registered after the server's, so that
// the server's Close does not wait for a held request.
type gate struct {
	path     string
	mu       sync.Mutex
	armed    bool
	reached  chan struct{} // closed when the first held request arrives
	open     chan struct{}
	once     sync.Once
	openOnce sync.Once
}

func newGate(path string) *gate {
	return &gate{path: path, reached: make(chan struct{}), open: make(chan struct{})}
}

func (g *gate) arm() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.armed = true
}

func (g *gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.armed = false
	g.openOnce.Do(func() { close(g.open) })
}

func (g *gate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		hold := g.armed && r.URL.Path == g.path
		g.mu.Unlock()
		if hold {
			g.once.Do(func() { close(g.reached) })
			select {
			case <-g.open:
			case <-r.Context().Done():
			}
		}
		next.ServeHTTP(w, r)
	})
}

// orderPublisher is a memPublisher that keeps every batch in the order it
// was accepted.
type orderPublisher struct {
	*memPublisher
	mu      sync.Mutex
	batches []Batch
}

func (p *orderPublisher) Publish(ctx context.Context, b Batch) error {
	if err := p.memPublisher.Publish(ctx, b); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.batches = append(p.batches, b)
	return nil
}

// last returns the index of the last batch from index from on that match
// accepts, or -1.
func (p *orderPublisher) last(from int, match func(Batch) bool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.batches) - 1; i >= from; i-- {
		if match(p.batches[i]) {
			return i
		}
	}
	return -1
}

func (p *orderPublisher) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.batches)
}

// savesCheckpoint returns a match for batches that save stream's checkpoint.
func savesCheckpoint(stream string) func(Batch) bool {
	return func(b Batch) bool {
		return slices.ContainsFunc(b.Checkpoints, func(cp checkpoint.Checkpoint) bool {
			return cp.Stream == stream
		})
	}
}

// syncWithin runs SyncOnce within patience and fails the test on any stream
// error or on a run that does not end.
func syncWithin(t *testing.T, e *Engine) []StreamResult {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan []StreamResult, 1)
	go func() { done <- e.SyncOnce(ctx, "") }()
	select {
	case res := <-done:
		for _, r := range res {
			if r.Err != nil {
				t.Fatalf("tenant %s stream %s: %v", r.Tenant, r.Stream, r.Err)
			}
		}
		return res
	case <-time.After(patience):
		cancel()
		<-done
		t.Fatalf("sync did not end within %v: a deadlock", patience)
		return nil
	}
}

// receive waits within patience for a value on c.
func receive[T any](t *testing.T, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(patience):
		t.Fatalf("gave up waiting for %s", what)
		var zero T
		return zero
	}
}
