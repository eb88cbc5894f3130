package connector

import (
	"context"
	"time"
)

// loop runs each of t's enabled streams whenever it is due and not running,
// each in a goroutine of its own, so that a long full listing never holds
// back the System Log poll. A run's end makes its stream due again one
// interval later. The organizations stream, when due, runs first and alone
// (startDue), on the first pass too: a wrong domain or token shows at
// once, and its auth error delays every stream. When ctx ends, loop waits
// for its running streams.
func (e *Engine) loop(ctx context.Context, t Tenant) {
	l := &tenantLoop{e: e, t: t, next: map[string]time.Time{},
		running: map[string]bool{}, ends: make(chan streamEnd, len(runOrder))}
	defer l.wait()
	for ctx.Err() == nil {
		timer := time.NewTimer(l.startDue(ctx))
		select {
		case end := <-l.ends:
			l.finish(end)
		case <-timer.C:
		case <-ctx.Done():
		}
		timer.Stop()
	}
}

// streamEnd is how one stream run of a tenant's loop ended.
type streamEnd struct {
	stream string
	err    error
}

// tenantLoop is one tenant's schedule in the daemon. Only its loop's
// goroutine touches it; runs report their end on ends, whose buffer holds
// one end per stream, so a run never blocks on a loop that is waiting.
type tenantLoop struct {
	e       *Engine
	t       Tenant
	next    map[string]time.Time // zero: due now
	running map[string]bool
	ends    chan streamEnd
	// authLogged is when a refused credential was last logged; zero when
	// never.
	authLogged time.Time
}

// startDue starts every due stream that is not running and returns how
// long until the next idle one is due. With none waiting for a time (all
// running, or held back behind the org) it returns an hour: a run's end
// wakes the loop before that.
//
// A due org runs first and alone: no other stream starts until it ends
// (those running go on). It is cheap, and a refused credential then costs
// one request rather than one per stream, and a full listing of a tenant
// Okta refuses publishes no begin marker: after a refusal every stream
// waits its interval from the same moment, so with equal intervals the
// org is due with the others and goes first.
func (l *tenantLoop) startDue(ctx context.Context) time.Duration {
	now := l.e.cfg.Now()
	const org = StreamOrganizations
	if l.t.enabled(org) && (l.running[org] || !l.next[org].After(now)) {
		if !l.running[org] {
			l.start(ctx, org)
		}
		return time.Hour
	}
	wake := now.Add(time.Hour)
	for _, s := range runOrder {
		switch {
		case !l.t.enabled(s) || l.running[s]:
		case !l.next[s].After(now):
			l.start(ctx, s)
		case l.next[s].Before(wake):
			wake = l.next[s]
		}
	}
	return wake.Sub(now)
}

// start runs stream s in a goroutine of its own, in a slot of the engine.
func (l *tenantLoop) start(ctx context.Context, s string) {
	l.running[s] = true
	go func() {
		r := l.e.runStream(ctx, l.t, s, l.e.slots)
		l.ends <- streamEnd{stream: s, err: r.Err}
	}()
}

// finish makes a stream that ended due again one interval later. A
// refused credential makes every stream of the tenant wait its interval:
// retrying at once, or with the next stream due, would only repeat the
// refusal against Okta.
func (l *tenantLoop) finish(end streamEnd) {
	delete(l.running, end.stream)
	now := l.e.cfg.Now()
	l.next[end.stream] = now.Add(l.e.interval(l.t, end.stream))
	if !isAuth(end.err) {
		return
	}
	for _, s := range runOrder {
		if due := now.Add(l.e.interval(l.t, s)); due.After(l.next[s]) {
			l.next[s] = due
		}
	}
	l.logAuth(now, end)
}

// logAuth logs a refused credential at most once per the tenant's shortest
// interval: the streams that meet it together, and the runs that retry it,
// earn one actionable line, not one each.
func (l *tenantLoop) logAuth(now time.Time, end streamEnd) {
	if !l.authLogged.IsZero() && now.Sub(l.authLogged) < l.shortest() {
		return
	}
	l.authLogged = now
	l.e.logAuth(l.t, end.stream, end.err)
}

// shortest returns the shortest interval of the tenant's enabled streams.
func (l *tenantLoop) shortest() time.Duration {
	var d time.Duration
	for _, s := range runOrder {
		if i := l.e.interval(l.t, s); l.t.enabled(s) && (d == 0 || i < d) {
			d = i
		}
	}
	return d
}

// wait waits for the loop's running streams to end.
func (l *tenantLoop) wait() {
	for len(l.running) > 0 {
		delete(l.running, (<-l.ends).stream)
	}
}
