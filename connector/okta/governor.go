package okta

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Backoff after 429s. A rate 429 waits for the window's reset plus an extra
// that doubles with each 429 in a row, capped; a concurrency 429 (Limit 0)
// has no real window (its Reset is an estimate, API.md §9.2), so it waits a
// short doubling pause instead.
const (
	rateExtraBase = time.Second
	rateExtraCap  = time.Minute
	busyBase      = 250 * time.Millisecond
	busyCap       = 10 * time.Second
	resetJitter   = time.Second
)

// governor paces requests per Okta rate-limit bucket from the
// X-Rate-Limit-* headers of every response, and caps requests in flight.
// It is safe for concurrent use.
type governor struct {
	clock   Clock
	share   float64
	maxWait time.Duration
	gate    *gate
	log     *slog.Logger
	obs     Observer
	// jitter returns a random duration in [0, d); tests make it fixed.
	jitter func(d time.Duration) time.Duration

	mu      sync.Mutex
	buckets map[string]*bucket
}

// bucket is what the governor knows of one rate-limit window. Times are
// on the local clock, converted from Okta's through its Date header.
type bucket struct {
	name       string
	limit      int
	remaining  int
	resetEpoch int64     // X-Rate-Limit-Reset of the current window
	resetAt    time.Time // local time the window ends
	fresh      bool      // limit and remaining describe a window not yet over
	headerless bool      // Okta sent no rate headers: nothing to pace by
	probing    bool      // a request is out to learn a new window
	inflight   int
	penalty    time.Time // no request before this (after a 429)
	strikes    int       // rate 429s in a row
	busy       int       // concurrency 429s in a row
	changed    chan struct{}
}

// ticket is one admitted request, to hand back to release.
type ticket struct {
	b     *bucket
	probe bool
	gated bool
}

// bucket returns the named bucket, creating it.
func (g *governor) bucket(name string) *bucket {
	g.mu.Lock()
	defer g.mu.Unlock()
	b, ok := g.buckets[name]
	if !ok {
		b = &bucket{name: name, changed: make(chan struct{})}
		g.buckets[name] = b
	}
	return b
}

// acquire waits until the bucket has room for one more request of ours,
// then takes a slot of the in-flight gate when gated. Its waits count
// against w, the request's patience (nil: none).
func (g *governor) acquire(ctx context.Context, name string, gated bool,
	w *rateWaits) (ticket, error) {
	b := g.bucket(name)
	for {
		t, wait, changed, ok := g.admit(b)
		if ok {
			if !gated {
				return t, nil
			}
			if err := g.gate.acquire(ctx); err != nil {
				g.release(t, nil)
				return ticket{}, err
			}
			t.gated = true
			return t, nil
		}
		if err := g.wait(ctx, b, wait, changed, w); err != nil {
			return ticket{}, err
		}
	}
}

// wait sleeps d, or until the bucket changes when d is zero, and counts
// the time against w. A wait past w's patience is refused before it
// begins: sleeping first would only delay the same failure.
func (g *governor) wait(ctx context.Context, b *bucket, d time.Duration,
	changed <-chan struct{}, w *rateWaits) error {
	if changed != nil {
		// A probe is out; it ends within one request's timeout.
		start := g.clock.Now()
		defer func() { w.spent(g.clock.Now().Sub(start)) }()
		select {
		case <-changed:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if d > g.maxWait {
		return fmt.Errorf("%w: %s bucket wants %s, cap %s",
			ErrRateWaitTooLong, b.name, d.Round(time.Second), g.maxWait)
	}
	if !w.allows(d) {
		g.log.Debug("rate-limit wait past the request's patience", "bucket", b.name,
			"wait", d, "waited", w.waited)
		return w.giveUp(d)
	}
	g.log.Debug("waiting for rate limit", "bucket", b.name, "wait", d)
	g.obs.RateLimitWait(b.name, d)
	w.spent(d)
	return g.clock.Sleep(ctx, d)
}

// admit decides under the lock whether one more request fits. When it
// does not, it returns how long to sleep, or a channel to wait on while a
// probe is out.
func (g *governor) admit(b *bucket) (ticket, time.Duration, <-chan struct{}, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.clock.Now()
	if now.Before(b.penalty) {
		return ticket{}, b.penalty.Sub(now), nil, false
	}
	if b.fresh && !now.Before(b.resetAt) {
		b.fresh = false
	}
	switch {
	case b.headerless:
		b.inflight++
		return ticket{b: b}, 0, nil, true
	case !b.fresh && b.probing:
		return ticket{}, 0, b.changed, false
	case !b.fresh:
		// A new window: what other clients spent in it is unknown until
		// Okta answers, so one request goes first and the rest wait for it.
		b.probing = true
		b.inflight++
		return ticket{b: b, probe: true}, 0, nil, true
	}
	// Our calls may take Remaining down to the reserve and no further: the
	// rest of the bucket belongs to the org's other integrations, whose
	// spending shows up as Remaining falling faster than our own calls.
	if b.remaining-b.inflight-g.reserve(b.limit) >= 1 {
		b.inflight++
		return ticket{b: b}, 0, nil, true
	}
	return ticket{}, b.resetAt.Sub(now) + g.jitter(resetJitter), nil, false
}

// reserve is the part of a bucket of size limit this client leaves alone:
// all but its share, rounded so that the share is at least one call.
func (g *governor) reserve(limit int) int {
	ours := max(1, int(math.Floor(float64(limit)*g.share+1e-9)))
	return limit - ours
}

// release hands back a ticket and learns from the response, when there is
// one (nil after a transport error).
func (g *governor) release(t ticket, resp *http.Response) {
	if t.gated {
		defer g.gate.release()
	}
	if t.b == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	b := t.b
	b.inflight--
	if t.probe {
		b.probing = false
	}
	if resp != nil {
		g.observe(b, resp)
	}
	close(b.changed)
	b.changed = make(chan struct{})
}

// observe updates the bucket from a response's rate-limit headers. Called
// with g.mu held.
func (g *governor) observe(b *bucket, resp *http.Response) {
	now := g.clock.Now()
	lim, rem, reset, ok := rateHeaders(resp.Header)
	limited := resp.StatusCode == http.StatusTooManyRequests
	if !ok {
		b.headerless = true
		if limited {
			b.strikes++
			b.penalty = now.Add(g.extra(b.strikes))
		}
		return
	}
	b.headerless = false
	// Okta's Reset is on Okta's clock; the distance from its Date header is
	// what survives a skewed local clock (API.md §9.3).
	resetAt := now.Add(time.Unix(reset, 0).Sub(serverNow(resp.Header, now)))
	switch {
	case limited && lim == 0:
		g.busy(b, now)
		return
	case limited:
		b.strikes++
		b.penalty = now.Add(max(resetAt.Sub(now), 0) + g.extra(b.strikes))
		g.log.Warn("rate limited by okta", "bucket", b.name, "limit", lim,
			"strikes", b.strikes, "wait", b.penalty.Sub(now))
	default:
		b.strikes, b.busy = 0, 0
		g.gate.succeed()
	}
	switch {
	case b.fresh && reset == b.resetEpoch:
		b.remaining = min(b.remaining, rem)
	case !b.fresh || reset > b.resetEpoch:
		b.limit, b.remaining = lim, rem
		b.resetEpoch, b.resetAt, b.fresh = reset, resetAt, true
	}
	g.obs.RateLimitBudget(b.name, b.remaining)
}

// busy handles a concurrency 429: fewer requests in flight, short pause.
func (g *governor) busy(b *bucket, now time.Time) {
	b.busy++
	g.gate.shrink()
	d := min(busyBase<<min(b.busy-1, 16), busyCap)
	b.penalty = now.Add(d/2 + g.jitter(d/2))
	g.log.Warn("okta concurrency limit reached", "bucket", b.name,
		"in_flight_cap", g.gate.capacity(), "wait", b.penalty.Sub(now))
}

// extra is the added wait after the n-th rate 429 in a row: doubling from
// rateExtraBase, capped at rateExtraCap, half of it random.
func (g *governor) extra(n int) time.Duration {
	d := min(rateExtraBase<<min(n-1, 16), rateExtraCap)
	return d/2 + g.jitter(d/2)
}

// rateHeaders reads X-Rate-Limit-Limit, -Remaining and -Reset; ok is false
// unless all three are present and numeric.
func rateHeaders(h http.Header) (limit, remaining int, reset int64, ok bool) {
	limit, err1 := strconv.Atoi(h.Get("X-Rate-Limit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("X-Rate-Limit-Remaining"))
	reset, err3 := strconv.ParseInt(h.Get("X-Rate-Limit-Reset"), 10, 64)
	return limit, remaining, reset, err1 == nil && err2 == nil && err3 == nil
}

// serverNow is Okta's time from the Date header, or the local time when the
// header is missing or unreadable.
func serverNow(h http.Header, local time.Time) time.Time {
	if t, err := http.ParseTime(h.Get("Date")); err == nil {
		return t
	}
	return local
}
