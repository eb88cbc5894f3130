package connector

import (
	"context"
	"slices"
)

// lockOrder is the one order in which a run takes more than one stream
// lock. Only activity refreshes take several; entity runs take their own
// alone, so a fixed order is all it takes to rule out a deadlock.
var lockOrder = []string{StreamEmployees, StreamGroups, StreamApps}

// streamLock keeps the runs that write one stream's checkpoints and sets
// apart. Unlike sync.Mutex, a wait for it ends with the context. The zero
// value is not usable; make it with newStreamLock.
type streamLock chan struct{}

func newStreamLock() streamLock { return make(streamLock, 1) }

// lock waits for the lock or until ctx ends.
func (l streamLock) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case l <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tryLock takes the lock if it is free and reports whether it did.
func (l streamLock) tryLock() bool {
	select {
	case l <- struct{}{}:
		return true
	default:
		return false
	}
}

func (l streamLock) unlock() { <-l }

// tenantPublish names, in place of a stream, the lock that hands a
// tenant's batches to the publisher one at a time, as they went when the
// streams ran one after another. The Okta reads still overlap; what this
// keeps is a fenced shard's refusal reaching the tenant's other streams
// before any of them publishes again: appPublisher checks for a lost
// shard and then publishes, and two batches between those steps would let
// the second re-initialise the shard's producer and fence the instance
// that took it over (txn_shard.go drops the client after an error).
// TxnPublisher runs one transaction per shard at a time anyway.
const tenantPublish = ""

// lockKey names one tenant's stream lock.
type lockKey struct{ tenant, stream string }

// lockOf returns the lock of one tenant's stream. It outlives the tenant's
// removal, so a tenant re-added at once waits for its old run's last batch.
func (e *Engine) lockOf(tenant, stream string) streamLock {
	e.mu.Lock()
	defer e.mu.Unlock()
	k := lockKey{tenant, stream}
	l := e.locks[k]
	if l == nil {
		l = newStreamLock()
		e.locks[k] = l
	}
	return l
}

// enter takes a stream's lock and then, when s is not nil, a slot of s,
// and returns ctx with the run's lease and the function that gives both
// back. The lock comes first: a run waiting for a lock never holds a slot,
// so yielding runs cannot deadlock.
func (e *Engine) enter(ctx context.Context, tenant, stream string,
	s *slots) (context.Context, func(), error) {
	lock := e.lockOf(tenant, stream)
	if err := lock.lock(ctx); err != nil {
		return ctx, nil, err
	}
	if s == nil {
		return ctx, lock.unlock, nil
	}
	l, err := s.take(ctx)
	if err != nil {
		lock.unlock()
		return ctx, nil, err
	}
	return withLease(ctx, l), func() { l.end(); lock.unlock() }, nil
}

// lockStreams takes the locks of streams in lockOrder and returns the
// function that releases them. When one is busy, the run's slot goes back
// before the wait and is taken again after it: a run that waits for a lock
// while it holds a slot could hold every slot that the lock's holder needs
// to finish (fair.go). A run without lock table (tests that build a
// tenantRun by hand) takes none.
func (t *tenantRun) lockStreams(ctx context.Context, streams []string) (func(), error) {
	if t.lockOf == nil {
		return func() {}, nil
	}
	var ls []streamLock
	for _, s := range lockOrder {
		if slices.Contains(streams, s) {
			ls = append(ls, t.lockOf(s))
		}
	}
	release := func(n int) {
		for i := n - 1; i >= 0; i-- {
			ls[i].unlock()
		}
	}
	n := 0
	for n < len(ls) && ls[n].tryLock() {
		n++
	}
	if n == len(ls) {
		return func() { release(n) }, nil
	}
	l := leaseFrom(ctx)
	l.drop()
	for ; n < len(ls); n++ {
		if err := ls[n].lock(ctx); err != nil {
			release(n)
			return nil, err
		}
	}
	if err := l.regain(ctx); err != nil {
		release(n)
		return nil, err
	}
	return func() { release(len(ls)) }, nil
}

// containsAll reports whether have holds every stream of want.
func containsAll(have, want []string) bool {
	for _, s := range want {
		if !slices.Contains(have, s) {
			return false
		}
	}
	return true
}

// union returns the streams of a and b, each once.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
