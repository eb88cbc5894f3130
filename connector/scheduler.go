package connector

import (
	"context"
	"sync"
	"time"
)

// SyncOnce runs every enabled stream of every tenant (or only of the tenant
// named, when only is not empty) once, tenants in parallel up to the
// concurrency bound, and returns every stream's result.
func (e *Engine) SyncOnce(ctx context.Context, only string) []StreamResult {
	sem := make(chan struct{}, e.cfg.MaxConcurrentTenants)
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		all []StreamResult
	)
	due := map[string]bool{}
	for _, s := range runOrder {
		due[s] = true
	}
	for _, t := range e.cfg.Tenants {
		if only != "" && t.ID != only {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res := e.cycle(ctx, t, due)
			mu.Lock()
			all = append(all, res...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all
}

// Run is the daemon: every tenant's streams on their intervals until ctx
// ends. A failing tenant only delays itself; the others keep their slots.
// It returns when every in-flight stream has finished its batch.
func (e *Engine) Run(ctx context.Context) {
	sem := make(chan struct{}, e.cfg.MaxConcurrentTenants)
	var wg sync.WaitGroup
	for _, t := range e.cfg.Tenants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.loop(ctx, t, sem)
		}()
	}
	wg.Wait()
}

// loop runs one tenant's due streams, then sleeps until the next is due.
func (e *Engine) loop(ctx context.Context, t Tenant, sem chan struct{}) {
	next := map[string]time.Time{} // zero: due now
	for {
		now := e.cfg.Now()
		due, wake := map[string]bool{}, now.Add(time.Hour)
		for _, s := range runOrder {
			if !next[s].After(now) {
				due[s] = true
			} else if next[s].Before(wake) {
				wake = next[s]
			}
		}
		if len(due) == 0 {
			if !sleep(ctx, wake.Sub(now)) {
				return
			}
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		results := e.cycle(ctx, t, due)
		<-sem
		// A stream the cycle never reached (after an auth error) waits
		// its interval too: retrying at once would only repeat the error.
		for s := range due {
			next[s] = e.cfg.Now().Add(e.interval(t, s))
		}
		_ = results
		if ctx.Err() != nil {
			return
		}
	}
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
