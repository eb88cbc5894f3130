package connector

import (
	"context"
	"errors"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/admin"
	"github.com/okta-connector/okta-connector/connector/metrics"
)

// StreamObserver hears of every stream run of the engine, for /status and
// the sync metrics. App implements it.
type StreamObserver interface {
	// StreamStarted is called when a stream run of tenant begins.
	StreamStarted(tenant, stream string)
	// StreamDone is called with the run's result when it ends.
	StreamDone(ctx context.Context, r StreamResult)
}

var _ StreamObserver = (*App)(nil)

// Metrics returns the app's metrics, served on /metrics.
func (a *App) Metrics() *metrics.Metrics { return a.metrics }

// Board returns the status board that /status shows.
func (a *App) Board() *admin.StatusBoard { return a.board }

// StreamStarted puts the stream on the board as syncing.
func (a *App) StreamStarted(tenant, stream string) { a.board.Start(tenant, stream) }

// StreamDone records a run's outcome on the board and in the metrics. A
// run cancelled by shutdown or a tenant's removal is no sync at all.
func (a *App) StreamDone(ctx context.Context, r StreamResult) {
	if r.Err != nil {
		a.board.Failure(r.Tenant, r.Stream, r.Err)
		if !errors.Is(r.Err, context.Canceled) {
			a.metrics.SyncDone(r.Tenant, r.Stream, r.Took, r.Err)
		}
		return
	}
	covered := a.covered(ctx, r.Tenant, r.Stream)
	a.board.Success(r.Tenant, r.Stream, covered)
	a.metrics.SyncDone(r.Tenant, r.Stream, r.Took, nil)
	if !covered.IsZero() {
		a.metrics.Watermark(r.Tenant, r.Stream, covered)
	}
}

// covered is the time of the newest data the stream's checkpoint covers:
// the last event's published time for the System Log, the last successful
// pass for a directory stream (it listed everything changed until then).
// Zero when unknown.
func (a *App) covered(ctx context.Context, tenant, stream string) time.Time {
	// A run that ended with the process still reads its checkpoint.
	ctx = context.WithoutCancel(ctx)
	cp, err := a.Store.Load(ctx, checkpoint.Key{Tenant: tenant, Stream: stream})
	if err != nil {
		return time.Time{}
	}
	if stream == StreamActivity {
		return cp.LastPublished
	}
	return cp.LastSuccess
}

// ServeAdmin serves /healthz, /readyz, /status and /metrics on ADMIN_ADDR
// until ctx ends; it returns nil at once when ADMIN_ADDR is empty. Ready
// means the broker answers and the checkpoints are loaded.
func (a *App) ServeAdmin(ctx context.Context) error {
	if a.ac.Config.AdminAddr == "" {
		return nil
	}
	return a.adminServer().ListenAndServe(ctx)
}

// adminServer is the admin endpoint of the app.
func (a *App) adminServer() *admin.Server {
	return admin.New(admin.Config{
		Addr: a.ac.Config.AdminAddr, Board: a.board, Metrics: a.metrics.Handler(),
		Ready: map[string]admin.Readiness{
			"broker":      admin.ReadyFunc(a.Producer.Ping),
			"checkpoints": &a.loaded,
		},
		Logger: a.log,
	})
}
