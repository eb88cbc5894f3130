package connector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/connector/ops"
)

// allAppsKey names the set of every app id known.
func (t *tenantRun) allAppsKey() checkpoint.SetKey {
	return checkpoint.SetKey{Tenant: t.ID, Stream: StreamApps}
}

// runApps lists every app each cycle, since /apps has no lastUpdated filter
// (DESIGN §4), publishing those whose version is new. App users are listed
// for every app at a full sync and for new apps otherwise: the apps bucket
// is Okta's tightest (API.md §10.18), so day-to-day assignment changes
// come from System Log events instead. A full sync after an operator's
// reset publishes every assignment listed, not only changes (everyPair).
func (t *tenantRun) runApps(ctx context.Context) error {
	cp, err := t.load(ctx, StreamApps)
	if err != nil {
		return err
	}
	full := cp.Snapshot != nil || t.fullDue(cp) || republishing(cp)
	if full && cp.Snapshot == nil {
		cp.Snapshot = newSnapshot(t.now().UTC())
		err := t.publish(ctx, Batch{
			Records: []Record{t.beginMarker(StreamApps, cp.Snapshot),
				t.beginMarker(StreamAppAssignments, cp.Snapshot)},
			Checkpoints: []checkpoint.Checkpoint{cp},
		})
		if err != nil {
			return err
		}
	}
	c := newSetCache(t.store)
	known, err := c.get(ctx, t.allAppsKey())
	if err != nil {
		return err
	}
	apps, vers, err := t.listApps(ctx, &cp)
	if err != nil {
		return err
	}
	listed, assigned := map[string]bool{}, int64(0)
	pending := t.newCoalescer(c)
	mode := relistModeOf(cp)
	for _, a := range apps {
		listed[a.ID] = true
		if !full && known[a.ID] {
			continue
		}
		r, err := t.relistApp(ctx, c, a.ID, mode, pending.publishWith(ctx))
		if err != nil {
			return err
		}
		assigned += int64(r.listed)
		if err := pending.add(ctx, r.records); err != nil {
			return err
		}
	}
	if err := pending.flush(ctx); err != nil {
		return err
	}
	recs, err := t.dropVanished(ctx, c, t.allAppsKey(), listed, StreamApps,
		StreamAppAssignments)
	if err != nil {
		return err
	}
	c.put(t.allAppsKey(), listed)
	cp.AtWatermark = vers.list(time.Time{}, t.opts.MaxVersions)
	cp.LastSuccess = t.now().UTC()
	if full {
		snap := cp.Snapshot
		recs = append(recs, t.completedMarker(StreamApps, snap, int64(len(apps))),
			t.completedMarker(StreamAppAssignments, snap, assigned))
		cp.LastFullSync, cp.Snapshot = snap.StartedAt, nil
		delete(cp.Extra, ops.ExtraRepublish)
	}
	return t.publish(ctx, Batch{Records: recs, Sets: c.writes(),
		Checkpoints: []checkpoint.Checkpoint{cp}})
}

// listApps walks the app listing, publishing the apps whose version is not
// among cp's published versions, and returns every app with the versions
// of this listing. Each page's batch carries cp with that page's versions
// added, so a listing cut by a crash does not publish them again.
func (t *tenantRun) listApps(ctx context.Context, cp *checkpoint.Checkpoint) ([]okta.App,
	*versions, error) {
	old := newVersions(cp.AtWatermark)
	pager := t.Client.Apps("")
	vers := newVersions(nil)
	var apps []okta.App
	for {
		page, err := pager.Next(ctx)
		if errors.Is(err, io.EOF) {
			return apps, vers, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("listing apps: %w", err)
		}
		t.stats.Pages++
		now := t.now().UTC()
		var recs []Record
		for _, a := range page {
			apps = append(apps, a)
			key := versionKey(a.ID, a.LastUpdated, contentHash(a))
			vers.add(key, a.LastUpdated)
			if old.seen(key) {
				continue
			}
			recs = append(recs, Record{Stream: StreamApps, Key: EntityKey(t.ID, a.ID),
				Value: t.app(a, now)})
			old.add(key, a.LastUpdated)
		}
		if len(recs) == 0 {
			continue
		}
		cp.AtWatermark = old.list(time.Time{}, t.opts.MaxVersions)
		err = t.publish(ctx, Batch{Records: recs, Checkpoints: []checkpoint.Checkpoint{*cp}})
		if err != nil {
			return nil, nil, err
		}
	}
}
