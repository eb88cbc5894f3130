package connector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// extraSnapshotMax keeps, in an unfinished snapshot's checkpoint, the
// largest lastUpdated listed so far, so a resumed listing ends with the
// right watermark.
const extraSnapshotMax = "snapshot_max_last_updated"

// allUsersKey names the set of every user id seen by the last full listing.
func (t *tenantRun) allUsersKey() checkpoint.SetKey {
	return checkpoint.SetKey{Tenant: t.ID, Stream: StreamEmployees}
}

// runEmployees publishes users: a full listing the first time, after a
// reconciliation interval, or to finish an interrupted one; otherwise the
// users changed since the watermark.
func (t *tenantRun) runEmployees(ctx context.Context) error {
	cp, err := t.load(ctx, StreamEmployees)
	if err != nil {
		return err
	}
	if cp.Snapshot != nil || t.fullDue(cp) {
		return t.employeesFull(ctx, cp)
	}
	return t.employeesSince(ctx, cp)
}

// employeesFull lists every user of every status (the client sends
// search=status pr: a plain list hides DEPROVISIONED users, API.md §4.2),
// one batch per page, each moving the snapshot's resume cursor.
func (t *tenantRun) employeesFull(ctx context.Context, cp checkpoint.Checkpoint) error {
	resumed := cp.Snapshot != nil
	if !resumed {
		cp.Snapshot = newSnapshot(t.now().UTC())
		begin := t.beginMarker(StreamEmployees, cp.Snapshot)
		err := t.publish(ctx, Batch{Records: []Record{begin},
			Checkpoints: []checkpoint.Checkpoint{cp}})
		if err != nil {
			return err
		}
	}
	var listed idBuilder
	vers := newVersions(cp.AtWatermark)
	maxSeen := extraTime(cp, extraSnapshotMax)
	pager := t.Client.Users(okta.UserQuery{Resume: cp.Snapshot.Cursor})
	for {
		users, err := pager.Next(ctx)
		done := errors.Is(err, io.EOF)
		if err != nil && !done {
			return fmt.Errorf("listing users: %w", err)
		}
		if !done {
			t.stats.Pages++
		}
		now := t.now().UTC()
		recs := make([]Record, 0, len(users))
		for _, u := range users {
			listed.add(u.ID)
			maxSeen = later(maxSeen, u.LastUpdated)
			vers.add(versionKey(u.ID, u.LastUpdated, contentHash(u)), u.LastUpdated)
			recs = append(recs, Record{Stream: StreamEmployees,
				Key: EntityKey(t.ID, u.ID), Value: t.employee(u, now)})
		}
		cp.Snapshot.Cursor = pager.Cursor()
		cp.Snapshot.Records += int64(len(users))
		setExtraTime(&cp, extraSnapshotMax, maxSeen)
		cp.AtWatermark = vers.list(maxSeen.Add(-t.opts.Overlap), t.opts.MaxVersions)
		if done || cp.Snapshot.Cursor == "" {
			return t.finishEmployees(ctx, cp, recs, listed.list(), resumed)
		}
		err = t.publish(ctx, Batch{Records: recs, Checkpoints: []checkpoint.Checkpoint{cp}})
		if err != nil {
			return err
		}
	}
}

// finishEmployees publishes the last page with the completed marker, the
// tombstones of users that vanished since the previous full listing, the
// new id set and the watermark.
func (t *tenantRun) finishEmployees(ctx context.Context, cp checkpoint.Checkpoint,
	recs []Record, listed idList, resumed bool) error {
	unlisted, err := t.unlistedUsers(ctx, listed)
	if err != nil {
		return err
	}
	if !resumed {
		var gone []string
		unlisted, gone, err = t.confirmDeleted(ctx, unlisted)
		if err != nil {
			return err
		}
		for _, id := range gone {
			recs = append(recs, Tombstone(StreamEmployees, EntityKey(t.ID, id)))
		}
	}
	snap := cp.Snapshot
	recs = append(recs, t.completedMarker(StreamEmployees, snap, snap.Records))

	// NOTE: the watermark is capped at the snapshot's start: a user changed
	// after its page was listed may carry a lastUpdated below later users'
	// (DESIGN §4), and the next pass must still find it.
	max := extraTime(cp, extraSnapshotMax)
	cp.Watermark = later(cp.Watermark, earlier(max, snap.StartedAt))
	cp.LastFullSync, cp.LastSuccess = snap.StartedAt, t.now().UTC()
	cp.Snapshot = nil
	delete(cp.Extra, extraSnapshotMax)
	known := mergeLists(listed, unlisted).strings()
	return t.publish(ctx, Batch{
		Records:     recs,
		Checkpoints: []checkpoint.Checkpoint{cp},
		Sets:        []SetWrite{{Key: t.allUsersKey(), IDs: known}},
	})
}

// unlistedUsers returns the ids of the set of every user known that the
// listing did not return. The set is read at the end of the listing, so
// that users a System Log refresh added meanwhile count too, and streamed
// where the store can: only the listing's ids are held whole.
func (t *tenantRun) unlistedUsers(ctx context.Context, listed idList) (idList, error) {
	var out idBuilder
	err := scanSet(ctx, t.store, t.allUsersKey(), func(id string) error {
		if _, ok := listed.index(id); !ok {
			out.add(id)
		}
		return nil
	})
	if err != nil {
		return idList{}, fmt.Errorf("loading user id set: %w", err)
	}
	return out.list(), nil
}

// confirmDeleted splits ids, users the listing missed, into those Okta
// still has and those it answers 404 for. The search index is eventually
// consistent (API.md §10.1), so a user missing from one listing is asked
// for by id before it is tombstoned. A resumed listing skips this: the ids
// of pages listed before the restart are gone, so a missing id proves
// nothing (package doc).
func (t *tenantRun) confirmDeleted(ctx context.Context, ids idList) (idList, []string, error) {
	var kept idBuilder
	var gone []string
	for i := range ids.Len() {
		id := ids.at(i)
		_, err := t.Client.User(ctx, id)
		switch {
		case isNotFound(err):
			gone = append(gone, id)
		case err != nil:
			return idList{}, nil, fmt.Errorf("confirming deletion of user %q: %w", id, err)
		default:
			kept.add(id)
		}
	}
	return kept.list(), gone, nil
}

// employeesSince publishes users whose lastUpdated is at or after the
// watermark minus the overlap, skipping versions already published. The
// watermark and the version list move only with the last page: a crash
// mid-listing repeats the pass rather than skipping users on later pages.
func (t *tenantRun) employeesSince(ctx context.Context, cp checkpoint.Checkpoint) error {
	start := t.now().UTC()
	vers := newVersions(cp.AtWatermark)
	maxSeen := cp.Watermark
	pager := t.Client.Users(okta.UserQuery{UpdatedSince: cp.Watermark.Add(-t.opts.Overlap)})
	for {
		users, err := pager.Next(ctx)
		done := errors.Is(err, io.EOF)
		if err != nil && !done {
			return fmt.Errorf("listing users updated since %s: %w",
				cp.Watermark.Format(time.RFC3339), err)
		}
		if !done {
			t.stats.Pages++
		}
		recs := t.changedEmployees(users, vers)
		for _, u := range users {
			maxSeen = later(maxSeen, u.LastUpdated)
		}
		b := Batch{Records: recs}
		last := done || pager.Cursor() == ""
		if last {
			cp.Watermark = later(cp.Watermark, earlier(maxSeen, start))
			cp.AtWatermark = vers.list(cp.Watermark.Add(-t.opts.Overlap),
				t.opts.MaxVersions)
			cp.LastSuccess = t.now().UTC()
			b.Checkpoints = []checkpoint.Checkpoint{cp}
		}
		if err := t.publish(ctx, b); err != nil {
			return err
		}
		if last {
			return nil
		}
	}
}

// changedEmployees returns the records of users whose version is new and
// remembers those versions.
func (t *tenantRun) changedEmployees(users []okta.User, vers *versions) []Record {
	now := t.now().UTC()
	var recs []Record
	for _, u := range users {
		key := versionKey(u.ID, u.LastUpdated, contentHash(u))
		if vers.seen(key) {
			continue
		}
		vers.add(key, u.LastUpdated)
		recs = append(recs, Record{Stream: StreamEmployees,
			Key: EntityKey(t.ID, u.ID), Value: t.employee(u, now)})
	}
	return recs
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// extraTime reads a time kept in a checkpoint's Extra map.
func extraTime(cp checkpoint.Checkpoint, key string) time.Time {
	at, _ := time.Parse(time.RFC3339Nano, cp.Extra[key])
	return at
}

func setExtraTime(cp *checkpoint.Checkpoint, key string, at time.Time) {
	if cp.Extra == nil {
		cp.Extra = map[string]string{}
	}
	cp.Extra[key] = at.UTC().Format(time.RFC3339Nano)
}

func sortedIDs(set map[string]bool) []string {
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
