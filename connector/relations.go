package connector

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/connector/ops"
)

// flushAt is how many pending records a long re-list publishes at once, so
// memory stays flat however large a group (the Everyone group holds every
// user).
const flushAt = 2000

// relisted is what re-listing one group's members or one app's users found.
type relisted struct {
	records []Record // upserts not yet published, then removals' tombstones
	listed  int      // members or users listed, for snapshot counts
}

// relistMode says which of the pairs a re-list finds it publishes. Either
// way the pairs the stored set holds and the listing lacks are tombstoned.
type relistMode int

const (
	// changedOnly publishes the pairs new to the stored set: right for a
	// targeted refresh, the daily reconciliation and a listing resumed
	// after a crash, whose consumers hold the rest already.
	changedOnly relistMode = iota
	// everyPair publishes every pair listed: a full listing started by an
	// operator's reset (ops.ExtraRepublish) is there to rebuild consumers'
	// views, and the stored sets would leave almost nothing to publish.
	everyPair
)

// relistModeOf is the mode of the full listing cp is in or about to
// start.
func relistModeOf(cp checkpoint.Checkpoint) relistMode {
	if republishing(cp) {
		return everyPair
	}
	return changedOnly
}

// republishing reports whether cp carries an operator's reset whose full
// listing has not completed yet (ops.ExtraRepublish).
func republishing(cp checkpoint.Checkpoint) bool {
	return cp.Extra[ops.ExtraRepublish] != ""
}

// relistMembers re-lists a group's members, publishing only changes.
func (t *tenantRun) relistMembers(ctx context.Context, c *setCache, groupID string,
	flush func([]Record) error) (relisted, error) {
	return t.relistGroup(ctx, c, groupID, changedOnly, flush)
}

// relistAppUsers re-lists an app's users, publishing only changes.
func (t *tenantRun) relistAppUsers(ctx context.Context, c *setCache, appID string,
	flush func([]Record) error) (relisted, error) {
	return t.relistApp(ctx, c, appID, changedOnly, flush)
}

// relistGroup lists a group's members and diffs them against the stored
// set: a record for each member mode asks for, a tombstone for each one
// gone, the new set put in cache. Records beyond flushAt go out through
// flush early, after the partial set (partialSet) is put in cache for
// flush to write with them.
func (t *tenantRun) relistGroup(ctx context.Context, c *setCache, groupID string,
	mode relistMode, flush func([]Record) error) (relisted, error) {
	pager := t.Client.GroupMembers(groupID, "")
	r, err := relist(ctx, t, c, listing[okta.User]{
		key:  checkpoint.SetKey{Tenant: t.ID, Stream: StreamGroupMembers, Owner: groupID},
		next: pager.Next, id: func(u okta.User) string { return u.ID },
		toRecord: func(u okta.User) Record {
			return Record{Stream: StreamGroupMembers, Key: PairKey(t.ID, groupID, u.ID),
				Value: t.member(groupID, u, t.now().UTC())}
		},
		flush: flush, mode: mode,
	})
	if err != nil {
		return r, fmt.Errorf("listing members of group %q: %w", groupID, err)
	}
	return r, nil
}

// relistApp does for an app's assigned users what relistGroup does for a
// group's members.
func (t *tenantRun) relistApp(ctx context.Context, c *setCache, appID string,
	mode relistMode, flush func([]Record) error) (relisted, error) {
	pager := t.Client.AppUsers(appID, "")
	r, err := relist(ctx, t, c, listing[okta.AppUser]{
		key:  checkpoint.SetKey{Tenant: t.ID, Stream: StreamAppAssignments, Owner: appID},
		next: pager.Next, id: func(u okta.AppUser) string { return u.ID },
		toRecord: func(u okta.AppUser) Record {
			return Record{Stream: StreamAppAssignments, Key: PairKey(t.ID, appID, u.ID),
				Value: t.assignment(appID, u, t.now().UTC())}
		},
		flush: flush, mode: mode,
	})
	if err != nil {
		return r, fmt.Errorf("listing users of app %q: %w", appID, err)
	}
	return r, nil
}

// listing is one re-list: the set it is diffed against, its pages, how an
// item becomes an id and a record, where early records go, and which of
// them to publish.
type listing[T any] struct {
	key      checkpoint.SetKey
	next     func(context.Context) ([]T, error)
	id       func(T) string
	toRecord func(T) Record
	flush    func([]Record) error
	mode     relistMode
}

// relist walks one listing and diffs its ids against the set under l.key,
// held packed (idList) with a bit per id marking those listed: the
// Everyone group holds every user, so its re-list costs about 24 bytes an
// id, where a map of the listing would cost four times that. Only the
// records to publish are collected while the listing runs: ids new to the
// set, or every id in mode everyPair.
//
// Before an early flush in mode changedOnly, the set stored ∪ listed so far
// is put in cache, so a flush that writes sets keeps the set in step with
// the records published. Mode everyPair republishes every pair on a
// restart anyway, so it skips that cost.
func relist[T any](ctx context.Context, t *tenantRun, c *setCache,
	l listing[T]) (relisted, error) {
	var r relisted
	old, err := c.list(ctx, l.key)
	if err != nil {
		return r, err
	}
	diff := newIDDiff(old)
	var part *partialSet
	if l.mode == changedOnly {
		part = &partialSet{ids: old}
	}
	for {
		items, err := l.next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return r, err
		}
		t.stats.Pages++
		for _, it := range items {
			// NOTE: see marks the id listed, so it runs for every item.
			id := l.id(it)
			fresh := diff.see(id)
			if fresh && part != nil {
				part.add(id)
			}
			if fresh || l.mode == everyPair {
				r.records = append(r.records, l.toRecord(it))
			}
		}
		r.listed += len(items)
		if len(r.records) >= flushAt {
			if part != nil {
				c.putList(l.key, part.merged())
			}
			if err := l.flush(r.records); err != nil {
				return r, err
			}
			r.records = nil
		}
	}
	for _, i := range diff.missing() {
		r.records = append(r.records,
			Tombstone(l.key.Stream, PairKey(t.ID, l.key.Owner, old.at(i))))
	}
	c.putList(l.key, diff.result())
	return r, nil
}

// dropOwner tombstones every pair of a deleted group or app and forgets its
// set.
func (t *tenantRun) dropOwner(ctx context.Context, c *setCache, stream,
	owner string) ([]Record, error) {
	key := checkpoint.SetKey{Tenant: t.ID, Stream: stream, Owner: owner}
	old, err := c.list(ctx, key)
	if err != nil {
		return nil, err
	}
	recs := make([]Record, 0, old.Len())
	for i := range old.Len() {
		recs = append(recs, Tombstone(stream, PairKey(t.ID, owner, old.at(i))))
	}
	c.put(key, nil)
	return recs, nil
}

// dropUser tombstones a deleted user's memberships and assignments as the
// stored sets record them. Each set is read, edited when it holds the user,
// and otherwise released at once: a tenant's sets together hold every
// membership, more than one batch should keep in memory.
func (t *tenantRun) dropUser(ctx context.Context, c *setCache, userID string) ([]Record, error) {
	var recs []Record
	for _, stream := range []string{StreamGroupMembers, StreamAppAssignments} {
		owners, err := t.store.Owners(ctx, t.ID, stream)
		if err != nil {
			return nil, fmt.Errorf("listing %s sets: %w", stream, err)
		}
		for _, owner := range owners {
			key := checkpoint.SetKey{Tenant: t.ID, Stream: stream, Owner: owner}
			l, err := c.list(ctx, key)
			if err != nil {
				return nil, err
			}
			i, found := l.index(userID)
			if !found {
				c.release(key)
				continue
			}
			c.putList(key, l.without(i))
			recs = append(recs, Tombstone(stream, PairKey(t.ID, owner, userID)))
		}
	}
	return recs, nil
}
