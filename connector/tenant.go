package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// Tenant is one Okta org the engine syncs.
type Tenant struct {
	ID      string       // stable tenant id, the first part of every key
	Domain  string       // the org's host, written into every record
	Client  *okta.Client // the org's API client
	Streams []string     // enabled streams; empty means all seven
	// Schedules maps a stream to its poll interval in the daemon; a stream
	// missing from it uses Options' default.
	Schedules map[string]time.Duration
	// Reconcile and Lookback override Options' for this tenant when set.
	Reconcile, Lookback time.Duration
}

// enabled reports whether the tenant syncs stream.
func (t Tenant) enabled(stream string) bool {
	if len(t.Streams) == 0 {
		return true
	}
	for _, s := range t.Streams {
		if s == stream {
			return true
		}
	}
	return false
}

// Options tunes the streams. The zero value of a field takes its default.
type Options struct {
	// Overlap is subtracted from the users and groups watermarks, because
	// Okta's search index is eventually consistent (API.md §4.3, §10.1).
	Overlap time.Duration // default 2m
	// ActivityLookback is how far back the first System Log read starts.
	ActivityLookback time.Duration // default 7 days
	// ActivityOverlap is how far before the last published event a
	// rejected cursor restarts (API.md §8.3).
	ActivityOverlap time.Duration // default 5m
	// Reconcile is how often a full re-listing runs.
	Reconcile time.Duration // default 24h
	// MaxVersions bounds the versions kept to skip repeats.
	MaxVersions int // default 5,000
	// MaxUUIDs bounds the recent System Log uuids kept to skip repeats.
	MaxUUIDs int // default 1,000
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Overlap, 2*time.Minute)
	def(&o.ActivityLookback, 7*24*time.Hour)
	def(&o.ActivityOverlap, 5*time.Minute)
	def(&o.Reconcile, 24*time.Hour)
	if o.MaxVersions <= 0 {
		o.MaxVersions = 5000
	}
	if o.MaxUUIDs <= 0 {
		o.MaxUUIDs = 1000
	}
	return o
}

// Stats is what one stream run did.
type Stats struct {
	Records int // records published, tombstones and markers included
	Pages   int // Okta pages read
}

// tenantRun is one tenant's streams with their shared services.
type tenantRun struct {
	Tenant
	store checkpoint.Store // read here, written only by the publisher
	pub   Publisher
	opts  Options
	now   func() time.Time
	log   *slog.Logger
	stats Stats
	prog  *streamProgress // nil outside runStream
	// lockOf returns the lock of one of the tenant's streams; nil (a run
	// built by hand in a test) means none is taken.
	lockOf func(stream string) streamLock
	// publishing is held around each Publish of the tenant's batches; nil
	// means none is taken (streamlocks.go).
	publishing streamLock
}

// run dispatches to the stream's code.
func (t *tenantRun) run(ctx context.Context, stream string) error {
	if err := t.beforeCycle(ctx, stream); err != nil {
		return err
	}
	switch stream {
	case StreamEmployees:
		return t.runEmployees(ctx)
	case StreamGroups:
		return t.runGroups(ctx)
	case StreamApps:
		return t.runApps(ctx)
	case StreamOrganizations:
		return t.runOrganizations(ctx)
	case StreamActivity:
		return t.runActivity(ctx)
	}
	return fmt.Errorf("running stream %q of tenant %q: no such stream", stream, t.ID)
}

// load returns a stream's checkpoint, or a fresh one when none was saved.
func (t *tenantRun) load(ctx context.Context, stream string) (checkpoint.Checkpoint, error) {
	cp, err := t.store.Load(ctx, checkpoint.Key{Tenant: t.ID, Stream: stream})
	if errors.Is(err, checkpoint.ErrNotFound) {
		return checkpoint.Checkpoint{Tenant: t.ID, Stream: stream}, nil
	}
	if err != nil {
		return cp, fmt.Errorf("loading checkpoint %s/%s: %w", t.ID, stream, err)
	}
	return cp, nil
}

// publish sends one batch and counts what it carried. A batch is the unit
// of fair scheduling: after one, the run gives its slot to a waiting
// tenant, if any, and queues again (fair.go), with its checkpoint moved.
func (t *tenantRun) publish(ctx context.Context, b Batch) error {
	if emptyBatch(b) {
		return nil
	}
	if err := t.send(ctx, b); err != nil {
		return err
	}
	return leaseFrom(ctx).yield(ctx)
}

// send is publish without the yield, for a caller that must release the
// stream locks its batch was built under before it queues for a slot.
func (t *tenantRun) send(ctx context.Context, b Batch) error {
	b.Tenant = t.ID
	if emptyBatch(b) {
		return nil
	}
	if t.publishing != nil {
		if err := t.publishing.lock(ctx); err != nil {
			return err
		}
		defer t.publishing.unlock()
	}
	if err := t.pub.Publish(ctx, b); err != nil {
		return err
	}
	t.stats.Records += len(b.Records)
	t.prog.add(b.Records)
	return nil
}

// emptyBatch reports whether b carries nothing to publish.
func emptyBatch(b Batch) bool {
	return len(b.Records) == 0 && len(b.Checkpoints) == 0 && len(b.Sets) == 0
}

// fullDue reports whether a stream needs a full listing: never done, or
// older than the reconciliation interval.
func (t *tenantRun) fullDue(cp checkpoint.Checkpoint) bool {
	return cp.LastFullSync.IsZero() || t.now().Sub(cp.LastFullSync) >= t.opts.Reconcile
}

// isNotFound reports whether err is Okta's 404.
func isNotFound(err error) bool {
	var oe *okta.Error
	return errors.As(err, &oe) && oe.Status == 404
}

// isAuth reports whether err is Okta refusing the credentials or their
// permissions, which no retry within the cycle can fix.
func isAuth(err error) bool {
	var oe *okta.Error
	return errors.As(err, &oe) && (oe.Status == 401 || oe.Status == 403)
}
