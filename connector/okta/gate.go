package okta

import (
	"context"
	"sync"
)

// growAfter is how many successes in a row let the gate reopen one slot
// after a concurrency 429 closed it.
const growAfter = 20

// gate caps requests in flight for the tenant. Okta also caps simultaneous
// requests per org (API.md §9.2) and answers a 429 with Limit 0 past it;
// each such 429 closes one slot (down to one), and a run of successes
// reopens it, up to the configured maximum.
type gate struct {
	slots chan struct{}

	mu     sync.Mutex
	max    int // configured cap
	total  int // slots in existence, in the channel or held
	debt   int // slots to destroy on release instead of returning
	streak int // successes since the last change
}

// newGate returns a gate with n open slots.
func newGate(n int) *gate {
	g := &gate{slots: make(chan struct{}, n), max: n, total: n}
	for range n {
		g.slots <- struct{}{}
	}
	return g
}

// acquire takes a slot or gives up when ctx ends.
func (g *gate) acquire(ctx context.Context) error {
	select {
	case <-g.slots:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release returns a slot, or destroys it while the gate is shrinking.
func (g *gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.debt > 0 {
		g.debt--
		g.total--
		return
	}
	g.slots <- struct{}{}
}

// shrink closes one slot, keeping at least one.
func (g *gate) shrink() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.streak = 0
	if g.total-g.debt > 1 {
		g.debt++
	}
}

// succeed counts a success and reopens a slot after a run of them.
func (g *gate) succeed() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.total-g.debt == g.max {
		return
	}
	if g.streak++; g.streak < growAfter {
		return
	}
	g.streak = 0
	if g.debt > 0 {
		g.debt--
		return
	}
	g.total++
	g.slots <- struct{}{}
}

// capacity returns the slots currently allowed, for tests and metrics.
func (g *gate) capacity() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.total - g.debt
}
