package connector

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// runOrder is the order a tenant's streams run in: the org first (cheap, and
// a wrong domain shows at once), the directory before the System Log so the
// first events' targeted refreshes find a finished listing to compare to.
var runOrder = []string{
	StreamOrganizations, StreamEmployees, StreamGroups, StreamApps, StreamActivity,
}

// DefaultIntervals are the daemon's poll intervals per stream.
var DefaultIntervals = map[string]time.Duration{
	StreamActivity:      30 * time.Second,
	StreamEmployees:     5 * time.Minute,
	StreamGroups:        5 * time.Minute,
	StreamApps:          15 * time.Minute,
	StreamOrganizations: time.Hour,
}

// EngineConfig is what an Engine runs with.
type EngineConfig struct {
	Tenants   []Tenant
	Store     checkpoint.Store // read by streams; written by Publisher
	Publisher Publisher
	Options   Options
	Logger    *slog.Logger
	// MaxConcurrentTenants bounds how many tenants run a cycle at once.
	MaxConcurrentTenants int // default 8
	// Intervals overrides DefaultIntervals per stream.
	Intervals map[string]time.Duration
	Now       func() time.Time // default time.Now
}

// Engine runs the streams of many tenants. It is safe for concurrent use;
// one tenant's streams never run at the same time (package doc).
type Engine struct {
	cfg   EngineConfig
	locks map[string]*sync.Mutex
}

// NewEngine returns an engine; it makes no network call.
func NewEngine(cfg EngineConfig) *Engine {
	cfg.Options = cfg.Options.withDefaults()
	if cfg.MaxConcurrentTenants <= 0 {
		cfg.MaxConcurrentTenants = 8
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	e := &Engine{cfg: cfg, locks: map[string]*sync.Mutex{}}
	for _, t := range cfg.Tenants {
		e.locks[t.ID] = &sync.Mutex{}
	}
	return e
}

// StreamResult is the outcome of one stream run of one tenant.
type StreamResult struct {
	Tenant, Stream string
	Stats
	Took time.Duration
	Err  error
}

// RunStream runs one stream of one tenant once and logs its outcome.
func (e *Engine) RunStream(ctx context.Context, t Tenant, stream string) StreamResult {
	lock := e.locks[t.ID]
	lock.Lock()
	defer lock.Unlock()
	log := e.cfg.Logger.With("tenant", t.ID, "stream", stream)
	opts := e.cfg.Options
	if t.Reconcile > 0 {
		opts.Reconcile = t.Reconcile
	}
	if t.Lookback > 0 {
		opts.ActivityLookback = t.Lookback
	}
	tr := &tenantRun{Tenant: t, store: e.cfg.Store, pub: e.cfg.Publisher,
		opts: opts, now: e.cfg.Now, log: log}
	start := e.cfg.Now()
	var err error
	switch stream {
	case StreamEmployees:
		err = tr.runEmployees(ctx)
	case StreamGroups:
		err = tr.runGroups(ctx)
	case StreamApps:
		err = tr.runApps(ctx)
	case StreamOrganizations:
		err = tr.runOrganizations(ctx)
	case StreamActivity:
		err = tr.runActivity(ctx)
	}
	res := StreamResult{Tenant: t.ID, Stream: stream, Stats: tr.stats,
		Took: e.cfg.Now().Sub(start), Err: err}
	e.logResult(log, res)
	return res
}

// logResult says what a run did: Info when it published, Debug when it
// found nothing new (quiet when healthy), Warn when it failed and will be
// retried, nothing more when the failure is the shutdown itself.
func (e *Engine) logResult(log *slog.Logger, r StreamResult) {
	attrs := []any{"records", r.Records, "pages", r.Pages,
		"took", r.Took.Round(time.Millisecond).String()}
	switch {
	case r.Err == nil && r.Records > 0:
		log.Info("synced stream", attrs...)
	case r.Err == nil:
		log.Debug("synced stream", attrs...)
	case errors.Is(r.Err, context.Canceled):
		log.Debug("stream stopped by shutdown", attrs...)
	case isAuth(r.Err):
		// Logged once per cycle by the caller, with the advice.
	default:
		log.Warn("stream failed; retrying next cycle", append(attrs, "error", r.Err)...)
	}
}

// cycle runs the given streams of one tenant in runOrder. An auth error
// ends the cycle: every other stream would fail the same way, and one
// actionable line beats one per stream and page.
func (e *Engine) cycle(ctx context.Context, t Tenant, due map[string]bool) []StreamResult {
	var out []StreamResult
	for _, s := range runOrder {
		if !due[s] || !t.enabled(s) || ctx.Err() != nil {
			continue
		}
		r := e.RunStream(ctx, t, s)
		out = append(out, r)
		if isAuth(r.Err) {
			e.logAuth(t, s, r.Err)
			return out
		}
	}
	return out
}

// logAuth writes the one line per cycle a refused credential earns.
func (e *Engine) logAuth(t Tenant, stream string, err error) {
	var oe *okta.Error
	errors.As(err, &oe)
	e.cfg.Logger.Error("okta refused the connector; this tenant waits for the next cycle",
		"tenant", t.ID, "stream", stream, "status", oe.Status, "advice", oe.Advice())
}

// interval returns a stream's poll interval for a tenant.
func (e *Engine) interval(t Tenant, stream string) time.Duration {
	if d := t.Schedules[stream]; d > 0 {
		return d
	}
	if d := e.cfg.Intervals[stream]; d > 0 {
		return d
	}
	return DefaultIntervals[stream]
}
