package connector

import (
	"context"
	"slices"
	"sync"
)

// slots bounds how many stream runs work at once (MAX_CONCURRENT_TENANTS)
// and hands a freed slot to the longest waiter. A run gives its slot back
// between batches when someone waits (lease.yield), so it rejoins the queue
// behind the tenants that were waiting: a long full listing advances a page
// per round instead of holding the slot until it ends. It is safe for
// concurrent use.
type slots struct {
	mu    sync.Mutex
	free  int
	queue []chan struct{} // waiters, first come first served
}

func newSlots(n int) *slots { return &slots{free: n} }

// acquire waits for a slot in arrival order, or until ctx ends.
func (s *slots) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	if s.free > 0 && len(s.queue) == 0 {
		s.free--
		s.mu.Unlock()
		return nil
	}
	grant := make(chan struct{})
	s.queue = append(s.queue, grant)
	s.mu.Unlock()
	select {
	case <-grant:
		return nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	i := slices.Index(s.queue, grant)
	if i >= 0 {
		s.queue = slices.Delete(s.queue, i, i+1)
	}
	s.mu.Unlock()
	if i < 0 {
		// The slot was granted as ctx ended: pass it on, not lose it.
		s.release()
	}
	return ctx.Err()
}

// release hands the slot to the first waiter, or frees it.
func (s *slots) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 {
		s.free++
		return
	}
	close(s.queue[0])
	s.queue = s.queue[1:]
}

// waiting reports whether any run waits for a slot.
func (s *slots) waiting() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue) > 0
}

// lease is one stream run's hold on a slot. A nil lease (a run outside the
// scheduler, such as RunStream) never waits. Its methods are safe for the
// concurrent requests of one run.
type lease struct {
	s    *slots
	mu   sync.Mutex // held while (re)acquiring, so one request does it
	held bool
}

// take waits for a slot for a new run.
func (s *slots) take(ctx context.Context) (*lease, error) {
	if err := s.acquire(ctx); err != nil {
		return nil, err
	}
	return &lease{s: s, held: true}, nil
}

// yield gives the slot to a waiting run and queues for it again; it costs
// nothing when nobody waits.
func (l *lease) yield(ctx context.Context) error {
	if l == nil || !l.s.waiting() {
		return nil
	}
	l.drop()
	return l.regain(ctx)
}

// drop gives the slot back, if held; a nil lease holds none.
func (l *lease) drop() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held {
		l.held = false
		l.s.release()
	}
}

// regain waits for a slot again, unless one is already held or the lease
// is nil.
func (l *lease) regain(ctx context.Context) error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held {
		return nil
	}
	if err := l.s.acquire(ctx); err != nil {
		return err
	}
	l.held = true
	return nil
}

// end releases the slot for good when the run finishes.
func (l *lease) end() { l.drop() }

// leaseKey carries a run's lease in its context, where SlotClock finds it.
type leaseKey struct{}

func withLease(ctx context.Context, l *lease) context.Context {
	return context.WithValue(ctx, leaseKey{}, l)
}

func leaseFrom(ctx context.Context) *lease {
	l, _ := ctx.Value(leaseKey{}).(*lease)
	return l
}
