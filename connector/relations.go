package connector

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
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

// relistMembers lists a group's members and diffs them against the stored
// set: a record for each new member, a tombstone for each one gone, the new
// set put in cache. Records beyond flushAt go out through flush early.
func (t *tenantRun) relistMembers(ctx context.Context, c *setCache, groupID string,
	flush func([]Record) error) (relisted, error) {
	key := checkpoint.SetKey{Tenant: t.ID, Stream: StreamGroupMembers, Owner: groupID}
	pager := t.Client.GroupMembers(groupID, "")
	toRecord := func(u okta.User) Record {
		return Record{Stream: StreamGroupMembers, Key: PairKey(t.ID, groupID, u.ID),
			Value: t.member(groupID, u, t.now().UTC())}
	}
	r, err := relist(ctx, t, c, key, pager.Next, func(u okta.User) string { return u.ID },
		toRecord, flush)
	if err != nil {
		return r, fmt.Errorf("listing members of group %q: %w", groupID, err)
	}
	return r, nil
}

// relistAppUsers does for an app's assigned users what relistMembers does
// for a group's members.
func (t *tenantRun) relistAppUsers(ctx context.Context, c *setCache, appID string,
	flush func([]Record) error) (relisted, error) {
	key := checkpoint.SetKey{Tenant: t.ID, Stream: StreamAppAssignments, Owner: appID}
	pager := t.Client.AppUsers(appID, "")
	toRecord := func(u okta.AppUser) Record {
		return Record{Stream: StreamAppAssignments, Key: PairKey(t.ID, appID, u.ID),
			Value: t.assignment(appID, u, t.now().UTC())}
	}
	r, err := relist(ctx, t, c, key, pager.Next, func(u okta.AppUser) string { return u.ID },
		toRecord, flush)
	if err != nil {
		return r, fmt.Errorf("listing users of app %q: %w", appID, err)
	}
	return r, nil
}

// relist walks one listing and diffs its ids against the set under key,
// held packed (idList) with a bit per id marking those listed: the
// Everyone group holds every user, so its re-list costs about 24 bytes an
// id, where a map of the listing would cost four times that. Only ids new
// to the set are collected while the listing runs.
func relist[T any](ctx context.Context, t *tenantRun, c *setCache, key checkpoint.SetKey,
	next func(context.Context) ([]T, error), id func(T) string, toRecord func(T) Record,
	flush func([]Record) error) (relisted, error) {
	var r relisted
	old, err := c.list(ctx, key)
	if err != nil {
		return r, err
	}
	diff := newIDDiff(old)
	for {
		items, err := next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return r, err
		}
		t.stats.Pages++
		for _, it := range items {
			if diff.see(id(it)) {
				r.records = append(r.records, toRecord(it))
			}
		}
		r.listed += len(items)
		if len(r.records) >= flushAt {
			if err := flush(r.records); err != nil {
				return r, err
			}
			r.records = nil
		}
	}
	for _, i := range diff.missing() {
		r.records = append(r.records, Tombstone(key.Stream, PairKey(t.ID, key.Owner, old.at(i))))
	}
	c.putList(key, diff.result())
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
