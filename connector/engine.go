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

// runOrder is the order of a tenant's streams in a cycle's results: the
// org first, since it runs alone before the others (cheap, and a wrong
// domain or a refused credential shows at once), then the rest, which run
// at the same time.
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

// defaultProgressInterval is how often a long stream run logs progress.
const defaultProgressInterval = 30 * time.Second

// EngineConfig is what an Engine runs with.
type EngineConfig struct {
	Tenants   []Tenant
	Store     checkpoint.Store // read by streams; written by Publisher
	Publisher Publisher
	Options   Options
	Logger    *slog.Logger
	// MaxConcurrentTenants bounds how many stream runs work at once, over
	// all tenants; a run gives its slot to a waiting one between batches
	// (fair.go).
	MaxConcurrentTenants int // default 8
	// Intervals overrides DefaultIntervals per stream.
	Intervals map[string]time.Duration
	// ProgressInterval is how often a running stream logs its progress
	// once it has run that long.
	ProgressInterval time.Duration    // default 30s
	Now              func() time.Time // default time.Now
	// Observer hears of every stream run; nil means none.
	Observer StreamObserver
}

// Engine runs the streams of many tenants. It is safe for concurrent use.
// A tenant's streams run at the same time, each under a lock of its own,
// so one stream never runs twice at once; an activity refresh also takes
// the locks of the streams whose state it changes (refresh.go). Its
// tenant set can change while it runs (SetTenants).
type Engine struct {
	cfg   EngineConfig
	slots *slots
	board *progressBoard

	mu      sync.Mutex
	tenants []Tenant
	locks   map[lockKey]streamLock // one per tenant and stream ever seen
	live    *liveSet               // set while Run runs
}

// NewEngine returns an engine; it makes no network call.
func NewEngine(cfg EngineConfig) *Engine {
	cfg.Options = cfg.Options.withDefaults()
	if cfg.MaxConcurrentTenants <= 0 {
		cfg.MaxConcurrentTenants = 8
	}
	if cfg.ProgressInterval <= 0 {
		cfg.ProgressInterval = defaultProgressInterval
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Engine{
		cfg: cfg, slots: newSlots(cfg.MaxConcurrentTenants), board: newProgressBoard(),
		tenants: append([]Tenant(nil), cfg.Tenants...), locks: map[lockKey]streamLock{},
	}
}

// Tenants returns the tenants the engine runs now.
func (e *Engine) Tenants() []Tenant {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Tenant(nil), e.tenants...)
}

// StreamResult is the outcome of one stream run of one tenant.
type StreamResult struct {
	Tenant, Stream string
	Stats
	Took time.Duration
	Err  error
}

// RunStream runs one stream of one tenant once, outside the concurrency
// bound, and logs its outcome.
func (e *Engine) RunStream(ctx context.Context, t Tenant, stream string) StreamResult {
	return e.runStream(ctx, t, stream, nil)
}

// runStream runs one stream with the stream's lock held and, when s is not
// nil, a slot of s (enter).
func (e *Engine) runStream(ctx context.Context, t Tenant, stream string,
	s *slots) StreamResult {
	log := e.cfg.Logger.With("tenant", t.ID, "stream", stream)
	ctx, leave, err := e.enter(ctx, t.ID, stream, s)
	if err != nil {
		res := StreamResult{Tenant: t.ID, Stream: stream, Err: err}
		e.logResult(log, res)
		return res
	}
	defer leave()
	tr := e.newRun(t, log)
	if o := e.cfg.Observer; o != nil {
		o.StreamStarted(t.ID, stream)
	}
	start := e.cfg.Now()
	tr.prog = e.board.start(t.ID, stream, start)
	defer e.board.finish(tr.prog)
	tr.prog.total.Store(tr.expectedRecords(ctx, stream))
	err = tr.run(ctx, stream)
	res := StreamResult{Tenant: t.ID, Stream: stream, Stats: tr.stats,
		Took: e.cfg.Now().Sub(start), Err: err}
	if o := e.cfg.Observer; o != nil {
		o.StreamDone(ctx, res)
	}
	e.logResult(log, res)
	return res
}

// newRun prepares a tenant's stream run with the engine's services.
func (e *Engine) newRun(t Tenant, log *slog.Logger) *tenantRun {
	opts := e.cfg.Options
	if t.Reconcile > 0 {
		opts.Reconcile = t.Reconcile
	}
	if t.Lookback > 0 {
		opts.ActivityLookback = t.Lookback
	}
	return &tenantRun{Tenant: t, store: e.cfg.Store, pub: e.cfg.Publisher,
		opts: opts, now: e.cfg.Now, log: log,
		lockOf:     func(stream string) streamLock { return e.lockOf(t.ID, stream) },
		publishing: e.lockOf(t.ID, tenantPublish)}
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
		// Logged by the caller, with the advice: once per cycle
		// (SyncOnce) or per shortest interval (the daemon's loop).
	default:
		log.Warn("stream failed; retrying at its next run", append(attrs, "error", r.Err)...)
	}
}

// cycle runs the given streams of one tenant: the org alone first, then
// the others at the same time, each in a slot of its own, and returns
// their results in runOrder. An auth error of the org ends the cycle:
// every other stream would fail the same way. Auth errors earn one line
// per cycle however many streams met them, since one actionable line
// beats one per stream and page.
func (e *Engine) cycle(ctx context.Context, t Tenant, due map[string]bool) []StreamResult {
	runs := func(s string) bool { return due[s] && t.enabled(s) && ctx.Err() == nil }
	var out []StreamResult
	if runs(StreamOrganizations) {
		r := e.runStream(ctx, t, StreamOrganizations, e.slots)
		out = append(out, r)
		if isAuth(r.Err) {
			e.logAuth(t, r.Stream, r.Err)
			return out
		}
	}
	var rest []string
	for _, s := range runOrder {
		if s != StreamOrganizations && runs(s) {
			rest = append(rest, s)
		}
	}
	results := make([]StreamResult, len(rest))
	var wg sync.WaitGroup
	for i, s := range rest {
		wg.Go(func() { results[i] = e.runStream(ctx, t, s, e.slots) })
	}
	wg.Wait()
	for _, r := range results {
		if isAuth(r.Err) {
			e.logAuth(t, r.Stream, r.Err)
			break
		}
	}
	return append(out, results...)
}

// logAuth writes the one line a refused credential earns per cycle, or in
// the daemon per the tenant's shortest interval.
func (e *Engine) logAuth(t Tenant, stream string, err error) {
	var oe *okta.Error
	errors.As(err, &oe)
	e.cfg.Logger.Error("okta refused the connector; this tenant's streams wait an interval",
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
