package connector

import (
	"maps"
	"slices"
)

// TenantChanges says what SetTenants did, by tenant id.
type TenantChanges struct {
	Added, Removed, Changed []string
}

// Empty reports whether nothing changed.
func (c TenantChanges) Empty() bool {
	return len(c.Added)+len(c.Removed)+len(c.Changed) == 0
}

// SetTenants replaces the engine's tenant set. While Run runs, an added
// tenant starts its first pass at once; a removed one stops: its stream in
// flight is cancelled, so its batch either finished (checkpoint moved with
// it) or is abandoned before producing (checkpoint kept), and its
// checkpoints stay in the store; a changed one (domain, client, streams or
// schedules) stops and starts again with the new settings. Unchanged
// tenants are not touched.
func (e *Engine) SetTenants(ts []Tenant) TenantChanges {
	e.mu.Lock()
	defer e.mu.Unlock()
	old := map[string]Tenant{}
	for _, t := range e.tenants {
		old[t.ID] = t
	}
	var ch TenantChanges
	fresh := map[string]bool{}
	for _, t := range ts {
		fresh[t.ID] = true
		prev, ok := old[t.ID]
		switch {
		case !ok:
			ch.Added = append(ch.Added, t.ID)
		case !sameTenant(prev, t):
			ch.Changed = append(ch.Changed, t.ID)
		}
	}
	for _, t := range e.tenants {
		if !fresh[t.ID] {
			ch.Removed = append(ch.Removed, t.ID)
		}
	}
	e.tenants = append([]Tenant(nil), ts...)
	if e.live != nil {
		e.restart(ch, ts)
	}
	return ch
}

// restart applies ch to the running loops. Each stream of a restarted
// tenant's new loop waits on that stream's lock until the old run's last
// batch is done, so the two never overlap. Call it with e.mu held.
func (e *Engine) restart(ch TenantChanges, ts []Tenant) {
	live := e.live
	for _, id := range slices.Concat(ch.Removed, ch.Changed) {
		if cancel := live.loops[id]; cancel != nil {
			cancel()
			delete(live.loops, id)
		}
	}
	for _, t := range ts {
		if slices.Contains(ch.Added, t.ID) || slices.Contains(ch.Changed, t.ID) {
			e.startLoop(live, t)
		}
	}
}

// sameTenant reports whether a and b would run the same way. Clients are
// compared by identity: the reloader keeps a tenant's client while its
// domain and credentials stay the same.
func sameTenant(a, b Tenant) bool {
	return a.ID == b.ID && a.Domain == b.Domain && a.Client == b.Client &&
		slices.Equal(a.Streams, b.Streams) && maps.Equal(a.Schedules, b.Schedules) &&
		a.Reconcile == b.Reconcile && a.Lookback == b.Lookback
}
