package connector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// extraRecentUUIDs keeps the uuids of the last events published, space
// separated, to skip repeats after a fallback to a time (API.md §8.3).
const extraRecentUUIDs = "recent_uuids"

// logRetention is how far back Okta keeps the System Log (API.md §8.4);
// a read starting earlier is moved to just inside it.
const logRetention = 90 * 24 * time.Hour

// runActivity reads the System Log in polling mode (API.md §8.2): from the
// look-back the first time, then from the stored next link, followed
// verbatim, one batch per page, until a page comes back short.
func (t *tenantRun) runActivity(ctx context.Context) error {
	cp, err := t.load(ctx, StreamActivity)
	if err != nil {
		return err
	}
	recent := newRecent(cp.Extra[extraRecentUUIDs], t.opts.MaxUUIDs)
	q := okta.LogQuery{Resume: cp.Cursor}
	if q.Resume == "" {
		q.Since = t.logStart(cp)
	}
	poller, fellBack := t.Client.Logs(q), false
	for {
		events, caughtUp, err := poller.Next(ctx)
		if err != nil && q.Resume != "" && !fellBack && isBadRequest(err) {
			q = okta.LogQuery{Since: t.logStart(cp)}
			t.log.Warn("system log refused the stored cursor; reading again from a time",
				"since", q.Since, "error", err)
			poller, fellBack = t.Client.Logs(q), true
			continue
		}
		if err != nil {
			return fmt.Errorf("reading the system log: %w", err)
		}
		t.stats.Pages++
		if err := t.publishEvents(ctx, &cp, events, recent, poller.Cursor()); err != nil {
			return err
		}
		if caughtUp {
			return nil
		}
	}
}

// logStart is where a read without a cursor begins: the time an operator
// set (checkpoint.ExtraSince), else just before the last event published,
// else the configured look-back; never past retention.
func (t *tenantRun) logStart(cp checkpoint.Checkpoint) time.Time {
	now := t.now().UTC()
	since := now.Add(-t.opts.ActivityLookback)
	if !cp.LastPublished.IsZero() {
		since = cp.LastPublished.Add(-t.opts.ActivityOverlap)
	}
	if set, ok := operatorSince(cp); ok {
		since = set
	} else if cp.Extra[checkpoint.ExtraSince] != "" {
		t.log.Warn("ignoring an unreadable replay time in the checkpoint",
			"since", cp.Extra[checkpoint.ExtraSince])
	}
	edge := now.Add(-logRetention).Add(time.Hour)
	if since.Before(edge) {
		t.log.Warn("system log events before the retention edge are lost",
			"since", since, "edge", edge)
		since = edge
	}
	return since
}

// publishEvents publishes one page: the events not published before, the
// targeted refreshes they call for, and the checkpoint at the page's end.
// The locks the refresh took are released once the batch is published and
// before the run queues for its slot again.
func (t *tenantRun) publishEvents(ctx context.Context, cp *checkpoint.Checkpoint,
	events []okta.LogEvent, recent *recentIDs, cursor string) error {
	if len(events) == 0 && cursor == cp.Cursor {
		return nil
	}
	b, unlock, err := t.refresh(ctx, events)
	if err != nil {
		return err
	}
	now := t.now().UTC()
	for _, e := range events {
		if recent.has(e.UUID) {
			continue
		}
		recent.add(e.UUID)
		b.Records = append(b.Records, Record{Stream: StreamActivity,
			Key: TenantKey(t.ID), Value: t.event(e, now)})
	}
	cp.Cursor = cursor
	if cursor != "" {
		// Okta's cursor now carries the replay on (API.md §8.2).
		delete(cp.Extra, checkpoint.ExtraSince)
	}
	if n := len(events); n > 0 {
		cp.LastPublished, cp.LastUUID = events[n-1].Published, events[n-1].UUID
	}
	if cp.Extra == nil {
		cp.Extra = map[string]string{}
	}
	cp.Extra[extraRecentUUIDs] = recent.String()
	cp.LastSuccess = now
	b.Checkpoints = append(b.Checkpoints, *cp)
	err = t.send(ctx, b)
	unlock()
	if err != nil {
		return err
	}
	return leaseFrom(ctx).yield(ctx)
}

// operatorSince returns the time an operator's reset or set left for the
// stream to read from, if any.
func operatorSince(cp checkpoint.Checkpoint) (time.Time, bool) {
	v := cp.Extra[checkpoint.ExtraSince]
	if v == "" {
		return time.Time{}, false
	}
	at, err := time.Parse(time.RFC3339Nano, v)
	return at.UTC(), err == nil
}

// isBadRequest reports whether Okta answered 400, as it does for a cursor
// it no longer accepts.
func isBadRequest(err error) bool {
	var oe *okta.Error
	return errors.As(err, &oe) && oe.Status == 400
}

// recentIDs is a bounded, ordered set of the last ids added.
type recentIDs struct {
	order []string
	set   map[string]bool
	max   int
}

func newRecent(stored string, max int) *recentIDs {
	r := &recentIDs{set: map[string]bool{}, max: max}
	for _, id := range strings.Fields(stored) {
		r.add(id)
	}
	return r
}

func (r *recentIDs) has(id string) bool { return r.set[id] }

func (r *recentIDs) add(id string) {
	if r.set[id] {
		return
	}
	r.order = append(r.order, id)
	r.set[id] = true
	if len(r.order) > r.max {
		delete(r.set, r.order[0])
		r.order = r.order[1:]
	}
}

func (r *recentIDs) String() string { return strings.Join(r.order, " ") }
