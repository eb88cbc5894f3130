package admin

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"
)

// StatusBoard is what the engine last reported of each tenant's streams,
// for /status. It is safe for concurrent use; the zero value is not
// usable, call NewStatusBoard.
type StatusBoard struct {
	now func() time.Time

	mu      sync.Mutex
	streams map[key]*entry
	configs map[string]configError // by tenant
}

// configError is why a tenant's configuration cannot be used, and since
// when.
type configError struct {
	message string
	since   time.Time
}

// key names one stream of one tenant.
type key struct{ tenant, stream string }

// entry is one stream's record on the board.
type entry struct {
	state       State
	prev        State // the state before Start, restored on a cancelled sync
	since       time.Time
	lastSuccess time.Time
	watermark   time.Time
	lastError   string
	errorDetail string
	lastErrorAt time.Time
}

// NewStatusBoard returns an empty board on clock now (nil: time.Now).
func NewStatusBoard(now func() time.Time) *StatusBoard {
	if now == nil {
		now = time.Now
	}
	return &StatusBoard{now: now, streams: map[key]*entry{},
		configs: map[string]configError{}}
}

// Start records that a sync of tenant's stream began.
func (b *StatusBoard) Start(tenant, stream string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.entry(tenant, stream)
	e.prev = e.state
	b.set(e, StateSyncing)
}

// Success records that a sync of tenant's stream finished and its
// checkpoint now covers data up to watermark (zero when unknown: /status
// then shows no lag).
func (b *StatusBoard) Success(tenant, stream string, watermark time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.entry(tenant, stream)
	b.set(e, StateOK)
	e.lastSuccess = b.now()
	if !watermark.IsZero() {
		e.watermark = watermark
	}
}

// Failure records that a sync of tenant's stream failed with err; see
// Classify for the state it leads to. A cancellation (the process or the
// tenant stopping) is not a failure: the stream goes back to the state it
// had before Start.
func (b *StatusBoard) Failure(tenant, stream string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	k := key{tenant, stream}
	e := b.entry(tenant, stream)
	if errors.Is(err, context.Canceled) {
		if e.prev == "" {
			delete(b.streams, k)
			return
		}
		b.set(e, e.prev)
		return
	}
	state, words := Classify(err)
	b.set(e, state)
	e.lastError, e.errorDetail, e.lastErrorAt = words, err.Error(), b.now()
}

// ConfigError records that tenant's configuration cannot be used, err
// saying why and how to fix it: /status shows the tenant in
// StateConfigError until ConfigFixed or Remove. err must hold no secret.
func (b *StatusBoard) ConfigError(tenant string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.configs[tenant]
	if !ok || c.message != err.Error() {
		c = configError{message: err.Error(), since: b.now()}
	}
	b.configs[tenant] = c
}

// ConfigFixed records that tenant's configuration is usable again.
func (b *StatusBoard) ConfigFixed(tenant string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.configs, tenant)
}

// Remove forgets every stream, and the configuration error, of a tenant
// that was removed.
func (b *StatusBoard) Remove(tenant string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.configs, tenant)
	for k := range b.streams {
		if k.tenant == tenant {
			delete(b.streams, k)
		}
	}
}

// entry returns the stream's entry, creating it. Called with b.mu held.
func (b *StatusBoard) entry(tenant, stream string) *entry {
	k := key{tenant, stream}
	e, ok := b.streams[k]
	if !ok {
		e = &entry{}
		b.streams[k] = e
	}
	return e
}

// set moves e to state, noting when it entered a new one. Called with
// b.mu held.
func (b *StatusBoard) set(e *entry, s State) {
	if e.state != s {
		e.since = b.now()
	}
	e.state = s
}

// Snapshot returns the board as /status shows it, tenants and streams
// sorted by name.
func (b *StatusBoard) Snapshot() Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	byTenant := map[string]*TenantStatus{}
	tenant := func(id string) *TenantStatus {
		t, ok := byTenant[id]
		if !ok {
			t = &TenantStatus{Tenant: id, State: StateOK, Streams: []StreamStatus{}}
			byTenant[id] = t
		}
		return t
	}
	for k, e := range b.streams {
		t := tenant(k.tenant)
		t.Streams = append(t.Streams, e.status(k.stream, now))
		if rank[e.state] > rank[t.State] {
			t.State = e.state
		}
	}
	for id, c := range b.configs {
		t := tenant(id)
		since := c.since // a copy: the snapshot outlives the lock
		t.State, t.ConfigError, t.ConfigErrorAt = StateConfigError, c.message, &since
	}
	st := Status{Time: now, Tenants: []TenantStatus{}}
	for _, t := range byTenant {
		slices.SortFunc(t.Streams, func(a, b StreamStatus) int {
			return strings.Compare(a.Stream, b.Stream)
		})
		st.Tenants = append(st.Tenants, *t)
	}
	slices.SortFunc(st.Tenants, func(a, b TenantStatus) int {
		return strings.Compare(a.Tenant, b.Tenant)
	})
	return st
}
