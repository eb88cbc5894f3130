package connector

import (
	"context"
	"errors"
	"log/slog"
	"slices"
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
// their results in runOrder; the System Log may then run once more
// (catchUpDue). An auth error of the org ends the cycle:
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
	if i := slices.Index(rest, StreamActivity); i >= 0 && e.catchUpDue(ctx, results, i) {
		results[i] = e.catchUp(ctx, t, results[i])
	}
	return append(out, results...)
}

// entityStreams are the streams whose listings an event met during a
// cycle may have missed.
var entityStreams = []string{StreamEmployees, StreamGroups, StreamApps}

// catchUpDue reports whether the System Log, whose run is results[act],
// must be read once more before the cycle ends: it succeeded, and an
// entity stream published while it ran. The streams overlap, so a user
// deleted or a member removed during a listing may be listed live after
// the System Log run that could have tombstoned it has ended; without a
// second read a one-shot sync would leave it live until the next one.
// When the listings published nothing, the one read suffices, which
// keeps an idle cycle at one System Log call.
func (e *Engine) catchUpDue(ctx context.Context, results []StreamResult, act int) bool {
	if ctx.Err() != nil || results[act].Err != nil {
		return false
	}
	return slices.ContainsFunc(results, func(r StreamResult) bool {
		return slices.Contains(entityStreams, r.Stream) && r.Records > 0
	})
}

// catchUp reads the System Log once more and returns first with the
// second run's counts, time and error added: a cycle has one result per
// stream.
func (e *Engine) catchUp(ctx context.Context, t Tenant, first StreamResult) StreamResult {
	r := e.runStream(ctx, t, StreamActivity, e.slots)
	first.Records += r.Records
	first.Pages += r.Pages
	first.Took += r.Took
	first.Err = r.Err
	return first
}

// enabledStreams returns t's enabled streams in runOrder.
func (t Tenant) enabledStreams() []string {
	var out []string
	for _, s := range runOrder {
		if t.enabled(s) {
			out = append(out, s)
		}
	}
	return out
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
