package connector

import (
	"errors"
	"fmt"
)

// ErrShardReleased is wrapped by the error of a batch whose shard this
// instance gave up (Release): the shard's next owner may already have
// claimed it, and a transaction from here would fence that owner.
var ErrShardReleased = errors.New("shard released by this instance")

// Release gives up shards: it waits for each one's transaction in flight
// to end, closes its client and refuses every later batch of its tenants
// until Claim takes it again. Call it after the shards' tenants were
// stopped and before another instance may claim them, so that no
// transaction of this instance is open or starts when the next owner's
// Claim runs (which would fence the next owner, not this one).
func (p *TxnPublisher) Release(shards ...int) error {
	for _, n := range shards {
		if n < 0 || n >= len(p.shards) {
			return fmt.Errorf("releasing shard %d: not in 0..%d", n, len(p.shards)-1)
		}
	}
	for _, n := range shards {
		sh := p.shards[n]
		sh.mu.Lock()
		sh.drop()
		sh.claimed, sh.released = false, true
		sh.mu.Unlock()
	}
	return nil
}

// Claimed returns the shards this publisher claimed and has not released
// since, in order: what this instance owns.
func (p *TxnPublisher) Claimed() []int {
	var out []int
	for _, sh := range p.shards {
		sh.mu.Lock()
		if sh.claimed {
			out = append(out, sh.n)
		}
		sh.mu.Unlock()
	}
	return out
}
