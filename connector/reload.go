package connector

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"sync"
	"time"

	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// DefaultReloadPoll is how often Watch looks at the tenants file.
const DefaultReloadPoll = 3 * time.Second

// Reloader keeps an engine's tenants in step with the tenants file:
// Reload reads it again and applies the difference; Watch calls Reload on
// SIGHUP and when the file changes. A tenant whose domain and credentials
// are unchanged keeps its Okta client, and with it its rate-limit budget.
// A file that does not load is logged with its file and line and changes
// nothing. A tenant whose credentials cannot be read (a token file
// missing, say) does not stop the others: it is reported (log, /status,
// metrics), a running one keeps the credentials read before, and Watch
// retries it every poll until it starts. It is safe for concurrent use.
//
// Known limits: Watch notices a change of the tenants file, and retries
// failed tenants; a rotated token file of running tenants is read again
// on SIGHUP (or on such a reload). A token_env variable is the process's
// own: only a restart sees it set.
type Reloader struct {
	engine TenantSet
	ac     AppConfig
	log    *slog.Logger

	mu      sync.Mutex
	known   map[string]knownTenant // by id: what the engine runs now
	failed  map[string]string      // by id: the credential error last reported
	stamp   fileStamp              // the tenants file as last looked at
	stat    string                 // the last stat error, logged once
	lastErr string                 // the last error of the file, logged once on retries
}

// knownTenant is a tenant as configured and as handed to the engine.
type knownTenant struct {
	cfg config.Tenant
	run Tenant
}

// fileStamp identifies a version of the tenants file.
type fileStamp struct {
	mod  time.Time
	size int64
	sum  [sha256.Size]byte
}

// NewReloader returns a reloader for e (an Engine, or the Cluster in front
// of one), which ac (its tenants included) built. The engine's tenants are
// matched to ac.Tenants by id, so their clients are kept while unchanged.
func NewReloader(e TenantSet, ac AppConfig) *Reloader {
	log := ac.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	running := map[string]Tenant{}
	for _, t := range e.Tenants() {
		running[t.ID] = t
	}
	known := map[string]knownTenant{}
	failed := map[string]string{} // Open reported these
	for _, ct := range ac.Tenants {
		if t, ok := running[ct.ID]; ok && ct.Err == nil {
			known[ct.ID] = knownTenant{cfg: ct, run: t}
		}
		if ct.Err != nil {
			failed[ct.ID] = ct.Err.Error()
		}
	}
	return &Reloader{engine: e, ac: ac, log: log, known: known, failed: failed}
}

// Reload reads the tenants again and applies what changed to the engine.
// On an error of the file the engine keeps the tenants it runs.
func (r *Reloader) Reload() (TenantChanges, error) { return r.reload(false) }

// reload is Reload; a retry of failed tenants logs only what is new, so
// that a tenant still failing, or a file still broken, is not logged on
// every poll.
func (r *Reloader) reload(retry bool) (TenantChanges, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cts, err := r.ac.Config.AllTenants()
	if err == nil {
		r.lastErr = ""
		return r.apply(cts, retry)
	}
	if !retry || err.Error() != r.lastErr {
		r.log.Error("reloading tenants; keeping the running set", "error", err)
	}
	r.lastErr = err.Error()
	return TenantChanges{}, fmt.Errorf("reloading tenants: %w", err)
}

// apply hands the engine the tenants of cts that can run, and reports
// those that cannot. Call it with r.mu held.
func (r *Reloader) apply(cts []config.Tenant, retry bool) (TenantChanges, error) {
	next := make(map[string]knownTenant, len(cts))
	ts := make([]Tenant, 0, len(cts))
	failed := map[string]string{}
	for _, ct := range cts {
		k, ok := r.known[ct.ID]
		if ct.Err != nil {
			failed[ct.ID] = r.noteFailed(ct, ok)
			if ok { // keep it running as it was
				next[ct.ID] = k
				ts = append(ts, k.run)
			}
			continue
		}
		cl := k.run.Client
		if !ok || !sameConnection(k.cfg, ct) {
			var err error
			if cl, err = NewOktaClient(r.ac, ct); err != nil {
				r.log.Error("reloading tenants; keeping the running set", "error", err)
				return TenantChanges{}, fmt.Errorf("reloading tenants: %w", err)
			}
		}
		t := engineTenant(ct, cl)
		next[ct.ID] = knownTenant{cfg: ct, run: t}
		ts = append(ts, t)
	}
	ch := r.engine.SetTenants(ts)
	r.known = next
	r.settle(cts, failed, ch)
	switch {
	case !ch.Empty():
		r.log.Info("tenants reloaded", "tenants", len(ts), "added", ch.Added,
			"removed", ch.Removed, "changed", ch.Changed, "failed", len(failed))
	case !retry:
		r.log.Debug("tenants reloaded; nothing changed", "tenants", len(ts))
	}
	return ch, nil
}

// Watch reloads on every value from hup and whenever the tenants file's
// content changes, looked at every poll (DefaultReloadPoll when not
// positive), until ctx ends.
func (r *Reloader) Watch(ctx context.Context, hup <-chan os.Signal, poll time.Duration) {
	if poll <= 0 {
		poll = DefaultReloadPoll
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			r.log.Info("reloading tenants on SIGHUP")
			_, _ = r.Reload() // logged by Reload
		case <-tick.C:
			switch {
			case r.fileChanged():
				r.log.Info("reloading tenants: the tenants file changed",
					"file", r.ac.Config.TenantsFile)
				_, _ = r.Reload()
			case r.retrying():
				_, _ = r.reload(true) // a token file may have appeared
			}
		}
	}
}

// fileChanged reports whether the tenants file's content differs from the
// last look. The hash is taken only when the modification time or size
// moved, and a touch that leaves the content alone is no change.
func (r *Reloader) fileChanged() bool {
	path := r.ac.Config.TenantsFile
	if path == "" {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fi, err := os.Stat(path)
	if err != nil {
		if err.Error() != r.stat {
			r.stat = err.Error()
			r.log.Warn("watching tenants file; keeping the running set", "error", err)
		}
		return false
	}
	r.stat = ""
	if fi.ModTime().Equal(r.stamp.mod) && fi.Size() == r.stamp.size {
		return false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		r.log.Warn("watching tenants file; keeping the running set", "error", err)
		return false
	}
	sum := sha256.Sum256(data)
	changed := sum != r.stamp.sum
	r.stamp = fileStamp{mod: fi.ModTime(), size: fi.Size(), sum: sum}
	return changed
}

// sameConnection reports whether two versions of a tenant reach Okta the
// same way. Credentials are compared in memory (DeepEqual follows the
// token's pointer); they are never printed or hashed into anything kept.
func sameConnection(a, b config.Tenant) bool {
	if a.BaseURL == nil || b.BaseURL == nil {
		return false
	}
	return a.BaseURL.String() == b.BaseURL.String() &&
		reflect.DeepEqual(a.Credentials, b.Credentials)
}

// engineTenant is the engine's view of a configured tenant.
func engineTenant(t config.Tenant, cl *okta.Client) Tenant {
	return Tenant{
		ID: t.ID, Domain: t.BaseURL.Host, Client: cl, Streams: t.Streams,
		Schedules: intervals(t.Schedules),
		Reconcile: t.Schedules.Reconcile, Lookback: t.Schedules.ActivityLookback,
	}
}
