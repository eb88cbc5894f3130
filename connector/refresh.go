package connector

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// System Log event types that change an entity (API.md §4.6, §5.3, §8.6).
var userChangeEvents = map[string]bool{
	"user.lifecycle.create": true, "user.lifecycle.activate": true,
	"user.lifecycle.reactivate": true, "user.lifecycle.deactivate": true,
	"user.lifecycle.suspend": true, "user.lifecycle.unsuspend": true,
	"user.account.update_profile": true, "user.account.lock": true,
	"user.account.unlock": true, "user.account.update_password": true,
	"user.account.reset_password": true,
}

const userDeletedEvent = "user.lifecycle.delete.completed"

// targets collects, from one page of events, the entities to refresh.
type targets struct {
	users, deleted, groups, apps []string
	seen                         map[string]bool
}

// add appends id to list once; kind keeps a user and a group with the same
// id apart.
func (tg *targets) add(list *[]string, kind, id string) {
	if id == "" || tg.seen[kind+id] {
		return
	}
	tg.seen[kind+id] = true
	*list = append(*list, id)
}

// streams returns the entity streams whose checkpoints or sets a refresh
// of tg changes, whose locks it must hold: a deleted user's memberships
// and assignments are in the groups' and apps' sets.
func (tg targets) streams() []string {
	var out []string
	if len(tg.users)+len(tg.deleted) > 0 {
		out = append(out, StreamEmployees)
	}
	if len(tg.groups)+len(tg.deleted) > 0 {
		out = append(out, StreamGroups)
	}
	if len(tg.apps)+len(tg.deleted) > 0 {
		out = append(out, StreamApps)
	}
	return out
}

// refresh builds the part of an activity batch that brings the entities
// its events changed up to date: users fetched and published, deleted
// users tombstoned with their memberships and assignments, groups and apps
// whose members or users changed re-listed. It returns the batch with the
// locks of the streams it changes held, and the function that releases
// them, which the caller calls once the batch is published: the publisher
// saves the sets and checkpoints after the acknowledgements, and an entity
// run that read them before would overwrite the refresh's writes.
//
// Which events need a refresh depends on the entity streams' listings
// (collectTargets), read again each time the locks needed grow: a listing
// that was running when the events were read may have finished since.
func (t *tenantRun) refresh(ctx context.Context, events []okta.LogEvent) (Batch,
	func(), error) {
	var held []string
	for {
		unlock, err := t.lockStreams(ctx, held)
		if err != nil {
			return Batch{}, nil, err
		}
		cps, err := t.refreshCheckpoints(ctx)
		if err != nil {
			unlock()
			return Batch{}, nil, err
		}
		tg := t.collectTargets(events, cps)
		need := tg.streams()
		if !containsAll(held, need) {
			// NOTE: locks are taken in lockOrder only, never added to a
			// held set out of order: release and take the union again.
			unlock()
			held = union(held, need)
			continue
		}
		b, err := t.refreshTargets(ctx, cps, tg)
		if err != nil {
			unlock()
			return b, nil, err
		}
		return b, unlock, nil
	}
}

// refreshTargets builds the refresh of tg, with the locks of tg.streams()
// held and cps read under them.
func (t *tenantRun) refreshTargets(ctx context.Context, cps map[string]checkpoint.Checkpoint,
	tg targets) (Batch, error) {
	var b Batch
	c := newSetCache(t.store)
	if err := t.refreshDeleted(ctx, c, &b, tg.deleted); err != nil {
		return b, err
	}
	emp := cps[StreamEmployees]
	if err := t.refreshUsers(ctx, c, &b, &emp, tg); err != nil {
		return b, err
	}
	for _, id := range tg.groups {
		r, err := t.relistMembers(ctx, c, id, t.recordsOnly(ctx))
		if err != nil && !isNotFound(err) {
			return b, err
		}
		b.Records = append(b.Records, r.records...)
	}
	for _, id := range tg.apps {
		r, err := t.relistAppUsers(ctx, c, id, t.recordsOnly(ctx))
		if err != nil && !isNotFound(err) {
			return b, err
		}
		b.Records = append(b.Records, r.records...)
	}
	b.Sets = c.writes()
	if len(tg.users)+len(tg.deleted) > 0 {
		b.Checkpoints = append(b.Checkpoints, emp)
	}
	return b, nil
}

// refreshCheckpoints loads the checkpoints of the enabled entity streams.
func (t *tenantRun) refreshCheckpoints(ctx context.Context) (map[string]checkpoint.Checkpoint,
	error) {
	out := map[string]checkpoint.Checkpoint{}
	for _, s := range lockOrder {
		if !t.enabled(s) {
			continue
		}
		cp, err := t.load(ctx, s)
		if err != nil {
			return nil, err
		}
		out[s] = cp
	}
	return out, nil
}

// listedFrom returns the time from which a stream's listings may have
// missed a change: the start of its full listing in progress, else of its
// last completed one. It reports false for a stream that never listed and
// is not listing: its first listing will see every change.
func listedFrom(cp checkpoint.Checkpoint) (time.Time, bool) {
	if cp.Snapshot != nil {
		return cp.Snapshot.StartedAt, true
	}
	return cp.LastFullSync, !cp.LastFullSync.IsZero()
}

// collectTargets picks the entities named by events at or after their
// stream's listedFrom, minus the overlap (for clock skew); an older event
// is one that listing saw. In a first sync the look-back's events are all
// older than the listings, so the System Log runs beside them without a
// lock. A user deleted after a listing in progress started may already be
// listed, and that listing would keep it: its event is refreshed, and
// waits for the listing's end.
func (t *tenantRun) collectTargets(events []okta.LogEvent,
	cps map[string]checkpoint.Checkpoint) targets {
	tg := targets{seen: map[string]bool{}}
	fresh := func(stream string, e okta.LogEvent) bool {
		from, ok := listedFrom(cps[stream])
		return ok && !e.Published.Before(from.Add(-t.opts.Overlap))
	}
	for _, e := range events {
		typ := e.EventType
		switch {
		case typ == userDeletedEvent && fresh(StreamEmployees, e):
			tg.add(&tg.deleted, "d:", targetID(e, "User"))
		case userChangeEvents[typ] && fresh(StreamEmployees, e):
			tg.add(&tg.users, "u:", targetID(e, "User"))
		case strings.HasPrefix(typ, "group.user_membership.") && fresh(StreamGroups, e):
			tg.add(&tg.groups, "g:", targetID(e, "UserGroup"))
		case (strings.HasPrefix(typ, "application.user_membership.") ||
			strings.HasPrefix(typ, "group.application_assignment.")) &&
			fresh(StreamApps, e):
			tg.add(&tg.apps, "a:", targetID(e, "AppInstance"))
		}
	}
	return tg
}

// targetID returns the id of an event's first target of type typ.
func targetID(e okta.LogEvent, typ string) string {
	for _, tg := range e.Target {
		if tg.Type == typ {
			return tg.ID
		}
	}
	return ""
}

// refreshDeleted tombstones deleted users, their memberships and their
// assignments, and drops them from the set of known users. Okta lists a
// deleted user nowhere (API.md §4.6): this event is the signal.
func (t *tenantRun) refreshDeleted(ctx context.Context, c *setCache, b *Batch,
	ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	all, err := c.get(ctx, t.allUsersKey())
	if err != nil {
		return err
	}
	for _, id := range ids {
		b.Records = append(b.Records, Tombstone(StreamEmployees, EntityKey(t.ID, id)))
		pairs, err := t.dropUser(ctx, c, id)
		if err != nil {
			return err
		}
		b.Records = append(b.Records, pairs...)
		delete(all, id)
	}
	c.put(t.allUsersKey(), all)
	return nil
}

// refreshUsers fetches each changed user and publishes it unless this very
// version was published already or is older than the directory stream's
// watermark window; the versions join the employees checkpoint so the next
// directory pass skips them too.
func (t *tenantRun) refreshUsers(ctx context.Context, c *setCache, b *Batch,
	cp *checkpoint.Checkpoint, tg targets) error {
	if len(tg.users) == 0 && len(tg.deleted) == 0 {
		return nil
	}
	gone := map[string]bool{}
	for _, id := range tg.deleted {
		gone[id] = true
	}
	vers := newVersions(cp.AtWatermark)
	floor := cp.Watermark.Add(-t.opts.Overlap)
	var published []string
	for _, id := range tg.users {
		if gone[id] {
			continue
		}
		u, err := t.Client.User(ctx, id)
		if isNotFound(err) {
			continue // deleted since; its delete event follows
		}
		if err != nil {
			return fmt.Errorf("refreshing user %q: %w", id, err)
		}
		t.stats.Pages++
		if u.LastUpdated.Before(floor) {
			// The directory stream already published every version older
			// than its watermark's overlap window; an event can name a user
			// whose last change is older than the event itself.
			continue
		}
		b.Records = append(b.Records, t.changedEmployees([]okta.User{u}, vers)...)
		published = append(published, u.ID)
	}
	if err := addKnownUsers(ctx, c, t.allUsersKey(), published); err != nil {
		return err
	}
	cp.AtWatermark = vers.list(cp.Watermark.Add(-t.opts.Overlap), t.opts.MaxVersions)
	return nil
}

// addKnownUsers adds ids to the set of every user known, and writes the
// set only when one of them is new: most refreshes name users the set
// already holds, and the set holds every user of the org.
func addKnownUsers(ctx context.Context, c *setCache, key checkpoint.SetKey,
	ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	known, err := c.sorted(ctx, key)
	if err != nil {
		return err
	}
	var fresh []string
	for _, id := range ids {
		if _, found := slices.BinarySearch(known, id); !found {
			fresh = append(fresh, id)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	merged := append(slices.Clone(known), fresh...)
	slices.Sort(merged)
	c.putSorted(key, slices.Compact(merged))
	return nil
}
