package oktasim

import (
	"bytes"
	"sync/atomic"
)

// The simulator shares the benchmark machine's cores with the connector
// (issue 7), and a full sync renders every user several times over: in
// the user list, in each group's members, in app assignments and as the
// actor of System Log events. Rendered bytes are therefore kept per
// object, stamped with the org's render generation.
//
// NOTE: every mutation of the directory must call renderCache.invalidate
// while it holds the org's write lock (mutate.go does, through
// Org.lockDirectory), or a client sees the object as it was.

// DefaultRenderCache is the byte budget of cached renderings when
// OrgConfig.RenderCache is zero: a 100k-user org fits with room to spare.
const DefaultRenderCache = 256 << 20

// renderCache is an org's generation and budget of cached renderings. It
// is safe for concurrent use; entries are written under the org's read
// lock and invalidated under its write lock.
type renderCache struct {
	gen    atomic.Uint64
	used   atomic.Int64 // bytes held by current and stale entries
	budget int64        // <= 0: cache nothing
}

// cached is one object's rendering for one link base; base is empty for
// renderings with no URL in them. A user's reference slot keeps the ref
// itself too, its JSON in ref.json.
type cached struct {
	gen  uint64
	base string
	b    []byte
	ref  ref
}

func (c *cached) size() int64 { return int64(len(c.b) + len(c.ref.json)) }

// invalidate makes every cached rendering stale. Stale entries keep
// their bytes (and budget) until the object is rendered again.
func (rc *renderCache) invalidate() { rc.gen.Add(1) }

// lookup returns the slot's bytes when they are current for base.
func (rc *renderCache) lookup(slot *atomic.Pointer[cached], base string) ([]byte, bool) {
	c := slot.Load()
	if c == nil || c.gen != rc.gen.Load() || c.base != base {
		return nil, false
	}
	return c.b, true
}

// store keeps c in slot unless that would overspend the budget; the
// replaced entry's bytes are given back. Two stores at once may overspend
// it by an entry each.
func (rc *renderCache) store(slot *atomic.Pointer[cached], c *cached) {
	if rc.budget <= 0 {
		return
	}
	grow := c.size()
	if old := slot.Load(); old != nil {
		grow -= old.size()
	}
	if grow > 0 && rc.used.Load()+grow > rc.budget {
		return
	}
	if prev := slot.Swap(c); prev != nil {
		rc.used.Add(c.size() - prev.size())
		return
	}
	rc.used.Add(c.size())
}

// appendCached appends the slot's rendering for base, rendering it with
// render (which appends to its argument) and keeping it on a miss.
func (rc *renderCache) appendCached(b []byte, slot *atomic.Pointer[cached], base string,
	render func([]byte) ([]byte, error)) ([]byte, error) {
	if c, ok := rc.lookup(slot, base); ok {
		return append(b, c...), nil
	}
	gen := rc.gen.Load()
	n := len(b)
	b, err := render(b)
	if err != nil {
		return b, err
	}
	rc.store(slot, &cached{gen: gen, base: base, b: bytes.Clone(b[n:])})
	return b, nil
}

// userRef returns u's reference as events name it, with its JSON, kept
// until the org changes. Without a cache (rc nil) it is built each time.
func (rc *renderCache) userRef(u *user) ref {
	if rc == nil || u == nil {
		return userRef(u)
	}
	gen := rc.gen.Load()
	if c := u.ref.Load(); c != nil && c.gen == gen {
		return c.ref
	}
	r := userRef(u)
	r.json = appendRef(nil, r)
	rc.store(&u.ref, &cached{gen: gen, ref: r})
	return r
}
