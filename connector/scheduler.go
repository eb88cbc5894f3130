package connector

import (
	"context"
	"strings"
	"sync"
	"time"
)

// SyncOnce runs every enabled stream of every tenant (or only of the tenant
// named, when only is not empty) once, with fair shares of the concurrency
// bound, and returns every stream's result. It logs one line per tenant
// as it starts: a first full sync may publish nothing for a while, and
// without a terminal's progress bar the log is all an operator sees.
func (e *Engine) SyncOnce(ctx context.Context, only string) []StreamResult {
	stop := e.reportProgress(ctx)
	defer stop()
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		all []StreamResult
	)
	due := map[string]bool{}
	for _, s := range runOrder {
		due[s] = true
	}
	for _, t := range e.Tenants() {
		if only != "" && t.ID != only {
			continue
		}
		e.cfg.Logger.Info("syncing tenant", "tenant", t.ID, "okta_domain", t.Domain,
			"streams", strings.Join(t.enabledStreams(), ","))
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := e.cycle(ctx, t, due)
			mu.Lock()
			all = append(all, res...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all
}

// StreamRuns returns how many stream runs SyncOnce(ctx, only) makes when
// none fails, for a progress bar's total. A tenant's System Log may run
// once more when its listings published (catchUpDue), so Finished can
// pass it by one per tenant.
func (e *Engine) StreamRuns(only string) int {
	n := 0
	for _, t := range e.Tenants() {
		if only != "" && t.ID != only {
			continue
		}
		for _, s := range runOrder {
			if t.enabled(s) {
				n++
			}
		}
	}
	return n
}

// liveSet is the tenants' loops while Run runs.
type liveSet struct {
	ctx   context.Context
	wg    sync.WaitGroup
	loops map[string]context.CancelFunc
}

// Run is the daemon: every tenant's streams on their intervals until ctx
// ends; SetTenants starts and stops tenants meanwhile. A failing tenant
// only delays itself; the others keep their slots. It returns when every
// in-flight stream has finished its batch.
func (e *Engine) Run(ctx context.Context) {
	stop := e.reportProgress(ctx)
	defer stop()
	live := &liveSet{ctx: ctx, loops: map[string]context.CancelFunc{}}
	e.mu.Lock()
	e.live = live
	for _, t := range e.tenants {
		e.startLoop(live, t)
	}
	e.mu.Unlock()
	<-ctx.Done()
	e.mu.Lock()
	e.live = nil // no loop starts after this
	e.mu.Unlock()
	live.wg.Wait()
}

// startLoop runs t's loop under a context of its own, so that removing or
// changing t stops only t. Call it with e.mu held.
func (e *Engine) startLoop(live *liveSet, t Tenant) {
	ctx, cancel := context.WithCancel(live.ctx)
	live.loops[t.ID] = cancel
	live.wg.Add(1)
	go func() {
		defer live.wg.Done()
		defer cancel()
		e.loop(ctx, t)
	}()
}

// sleep waits d or until ctx ends; it reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}
