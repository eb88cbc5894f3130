package connector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/connector/ops"
)

// allGroupsKey names the set of every group id known.
func (t *tenantRun) allGroupsKey() checkpoint.SetKey {
	return checkpoint.SetKey{Tenant: t.ID, Stream: StreamGroups}
}

// runGroups publishes groups and their memberships (streams groups and
// group_members, one checkpoint: the groups one).
func (t *tenantRun) runGroups(ctx context.Context) error {
	cp, err := t.load(ctx, StreamGroups)
	if err != nil {
		return err
	}
	if cp.Snapshot != nil || t.fullDue(cp) || republishing(cp) {
		return t.groupsFull(ctx, cp)
	}
	return t.groupsSince(ctx, cp)
}

// groupVersion is a group's version entry; its hash part is the
// lastMembershipUpdated, so a version tells whether members moved.
func groupVersion(g okta.Group) string {
	lmu := strconv.FormatInt(g.LastMembershipUpdated.UnixMilli(), 10)
	return versionKey(g.ID, g.LastUpdated, lmu)
}

// groupTime is the later of a group's two change times, its watermark.
func groupTime(g okta.Group) time.Time { return later(g.LastUpdated, g.LastMembershipUpdated) }

// membershipTimes maps group id → lastMembershipUpdated (unix ms text) of
// the stored versions.
func membershipTimes(entries []string) map[string]string {
	m := make(map[string]string, len(entries))
	for _, e := range entries {
		at, hash := strings.IndexByte(e, '@'), strings.LastIndexByte(e, '#')
		if at > 0 && hash > at {
			m[e[:at]] = e[hash+1:]
		}
	}
	return m
}

// groupsFull lists every group, then the members of every group, diffed
// against the stored sets, bracketed by markers for both streams. A restart
// starts the listing again under the same snapshot; the snapshot's progress
// set skips the groups already published, and the stored sets, written
// with every batch of members (a big group's early pages included), skip
// the members already published: under the Kafka store nothing repeats.
// After an operator's reset every member listed is published (everyPair),
// until the completed markers clear the mark, so a restart publishes them
// all again rather than leave out those published before it: there a
// restart repeats memberships, never groups.
func (t *tenantRun) groupsFull(ctx context.Context, cp checkpoint.Checkpoint) error {
	if cp.Snapshot == nil {
		cp.Snapshot = newSnapshot(t.now().UTC())
		err := t.publish(ctx, Batch{
			Records: []Record{t.beginMarker(StreamGroups, cp.Snapshot),
				t.beginMarker(StreamGroupMembers, cp.Snapshot)},
			Checkpoints: []checkpoint.Checkpoint{cp},
		})
		if err != nil {
			return err
		}
	}
	prog, err := t.loadGroupProgress(ctx, cp.Snapshot)
	if err != nil {
		return err
	}
	groups, err := t.listGroups(ctx, okta.GroupQuery{}, func(okta.Group) bool { return true },
		prog)
	if err != nil {
		return err
	}
	c := newSetCache(t.store)
	vers := newVersions(nil)
	listed, members := map[string]bool{}, int64(0)
	maxSeen := cp.Watermark
	pending := t.newCoalescer(c)
	mode := relistModeOf(cp)
	for _, g := range groups {
		listed[g.ID] = true
		vers.add(groupVersion(g), groupTime(g))
		maxSeen = later(maxSeen, groupTime(g))
		r, err := t.relistGroup(ctx, c, g.ID, mode, pending.publishWith(ctx))
		if err != nil {
			return err
		}
		members += int64(r.listed)
		if err := pending.add(ctx, r.records); err != nil {
			return err
		}
	}
	if err := pending.flush(ctx); err != nil {
		return err
	}
	recs, err := t.dropVanished(ctx, c, t.allGroupsKey(), listed, StreamGroups,
		StreamGroupMembers)
	if err != nil {
		return err
	}
	snap := cp.Snapshot
	recs = append(recs, t.completedMarker(StreamGroups, snap, int64(len(groups))),
		t.completedMarker(StreamGroupMembers, snap, members))
	cp.Watermark = later(cp.Watermark, earlier(maxSeen, snap.StartedAt))
	cp.AtWatermark = vers.list(cp.Watermark.Add(-t.opts.Overlap), t.opts.MaxVersions)
	cp.LastFullSync, cp.LastSuccess, cp.Snapshot = snap.StartedAt, t.now().UTC(), nil
	delete(cp.Extra, ops.ExtraRepublish)
	c.put(t.allGroupsKey(), listed)
	if err := t.dropGroupProgress(ctx, c); err != nil {
		return err
	}
	return t.publish(ctx, Batch{Records: recs, Sets: c.writes(),
		Checkpoints: []checkpoint.Checkpoint{cp}})
}

// groupsSince publishes the groups whose lastUpdated or
// lastMembershipUpdated moved past the watermark minus the overlap, and
// re-lists members only of those whose lastMembershipUpdated moved (API.md
// §5.1): an unchanged group costs no member-list call.
func (t *tenantRun) groupsSince(ctx context.Context, cp checkpoint.Checkpoint) error {
	start := t.now().UTC()
	since := cp.Watermark.Add(-t.opts.Overlap)
	vers := newVersions(cp.AtWatermark)
	known := membershipTimes(cp.AtWatermark)
	groups, err := t.listGroups(ctx, okta.GroupQuery{UpdatedSince: since},
		func(g okta.Group) bool { return !vers.seen(groupVersion(g)) }, nil)
	if err != nil {
		return err
	}
	c := newSetCache(t.store)
	all, err := c.get(ctx, t.allGroupsKey())
	if err != nil {
		return err
	}
	maxSeen := cp.Watermark
	pending := t.newCoalescer(c)
	for _, g := range groups {
		vers.add(groupVersion(g), groupTime(g))
		maxSeen = later(maxSeen, groupTime(g))
		lmu := strconv.FormatInt(g.LastMembershipUpdated.UnixMilli(), 10)
		moved := g.LastMembershipUpdated.After(since) && known[g.ID] != lmu
		if all[g.ID] && !moved {
			continue
		}
		all[g.ID] = true
		c.put(t.allGroupsKey(), all)
		r, err := t.relistMembers(ctx, c, g.ID, pending.publishWith(ctx))
		if err != nil {
			return err
		}
		if err := pending.add(ctx, r.records); err != nil {
			return err
		}
	}
	if err := pending.flush(ctx); err != nil {
		return err
	}
	cp.Watermark = later(cp.Watermark, earlier(maxSeen, start))
	cp.AtWatermark = vers.list(cp.Watermark.Add(-t.opts.Overlap), t.opts.MaxVersions)
	cp.LastSuccess = t.now().UTC()
	return t.publish(ctx, Batch{Checkpoints: []checkpoint.Checkpoint{cp}})
}

// listGroups walks a group listing, publishes a record for each group keep
// accepts, page by page, and returns those groups. Given a snapshot's
// progress, it leaves out the groups that snapshot published before a
// restart and writes the progress with each page's records.
func (t *tenantRun) listGroups(ctx context.Context, q okta.GroupQuery,
	keep func(okta.Group) bool, prog *groupProgress) ([]okta.Group, error) {
	pager := t.Client.Groups(q)
	var out []okta.Group
	for {
		page, err := pager.Next(ctx)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("listing groups: %w", err)
		}
		t.stats.Pages++
		now := t.now().UTC()
		var recs []Record
		for _, g := range page {
			if !keep(g) {
				continue
			}
			out = append(out, g)
			if !prog.publish(g) {
				continue
			}
			recs = append(recs, Record{Stream: StreamGroups, Key: EntityKey(t.ID, g.ID),
				Value: t.group(g, now)})
		}
		if err := t.publish(ctx, Batch{Records: recs, Sets: prog.writes()}); err != nil {
			return nil, err
		}
	}
}

// dropVanished tombstones the owners (groups or apps) in the set under key
// that the full listing did not return, with all their pairs.
func (t *tenantRun) dropVanished(ctx context.Context, c *setCache, key checkpoint.SetKey,
	listed map[string]bool, stream, pairStream string) ([]Record, error) {
	old, err := c.sorted(ctx, key)
	if err != nil {
		return nil, err
	}
	var recs []Record
	for _, id := range old {
		if listed[id] {
			continue
		}
		pairs, err := t.dropOwner(ctx, c, pairStream, id)
		if err != nil {
			return nil, err
		}
		recs = append(recs, Tombstone(stream, EntityKey(t.ID, id)))
		recs = append(recs, pairs...)
	}
	return recs, nil
}

// recordsOnly returns a flush function publishing records without state.
func (t *tenantRun) recordsOnly(ctx context.Context) func([]Record) error {
	return func(recs []Record) error { return t.publish(ctx, Batch{Records: recs}) }
}
