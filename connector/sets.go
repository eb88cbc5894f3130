package connector

import (
	"context"
	"fmt"
	"sort"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// setCache reads stored id sets and holds the changes a batch will write,
// so that two steps of one batch (a member re-list and a user deletion, say)
// see each other's changes. A set leaves memory once writes handed it to a
// batch, so a full sync holds one group's members at a time, not every
// group's. Not safe for concurrent use.
type setCache struct {
	store   checkpoint.Store
	sets    map[checkpoint.SetKey]*cachedSet
	changed map[checkpoint.SetKey]bool
}

// cachedSet holds one set in the form its last user wanted: ids, sorted
// and packed, as the store gives it and a re-list walks it (idList: about
// 24 bytes an id), or m, once a caller asked to look up and edit single
// ids (about four times that).
type cachedSet struct {
	ids     idList
	m       map[string]bool
	deleted bool
}

func newSetCache(store checkpoint.Store) *setCache {
	return &setCache{
		store:   store,
		sets:    map[checkpoint.SetKey]*cachedSet{},
		changed: map[checkpoint.SetKey]bool{},
	}
}

// entry returns the cached set under k, loading it from the store first,
// streamed into the packed form where the store can (scanSet).
func (c *setCache) entry(ctx context.Context, k checkpoint.SetKey) (*cachedSet, error) {
	if e, ok := c.sets[k]; ok {
		return e, nil
	}
	var b idBuilder
	err := scanSet(ctx, c.store, k, func(id string) error {
		b.add(id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("loading id set %s/%s/%s: %w", k.Tenant, k.Stream, k.Owner, err)
	}
	e := &cachedSet{ids: b.list()}
	c.sets[k] = e
	return e, nil
}

// get returns the set under k as a map (empty when none); the caller may
// change it and must then call put.
func (c *setCache) get(ctx context.Context, k checkpoint.SetKey) (map[string]bool, error) {
	e, err := c.entry(ctx, k)
	if err != nil {
		return nil, err
	}
	if e.m == nil {
		e.m = make(map[string]bool, e.ids.Len())
		for i := range e.ids.Len() {
			e.m[e.ids.at(i)] = true
		}
		e.ids = idList{}
	}
	return e.m, nil
}

// sorted returns the ids of the set under k in order, without duplicates;
// the caller must not change the slice.
func (c *setCache) sorted(ctx context.Context, k checkpoint.SetKey) ([]string, error) {
	l, err := c.list(ctx, k)
	if err != nil {
		return nil, err
	}
	return l.strings(), nil
}

// list returns the set under k packed; a set held as a map is packed for
// the caller, the cache keeps the map.
func (c *setCache) list(ctx context.Context, k checkpoint.SetKey) (idList, error) {
	e, err := c.entry(ctx, k)
	if err != nil {
		return idList{}, err
	}
	if e.m != nil {
		return packIDs(sortedIDs(e.m)), nil
	}
	return e.ids, nil
}

// put replaces the set under k; a nil set deletes it.
func (c *setCache) put(k checkpoint.SetKey, s map[string]bool) {
	c.sets[k] = &cachedSet{m: s, deleted: s == nil}
	c.changed[k] = true
}

// putSorted replaces the set under k with ids, sorted and without
// duplicates.
func (c *setCache) putSorted(k checkpoint.SetKey, ids []string) {
	c.putList(k, packIDs(ids))
}

// putList replaces the set under k with l.
func (c *setCache) putList(k checkpoint.SetKey, l idList) {
	c.sets[k] = &cachedSet{ids: l}
	c.changed[k] = true
}

// release forgets the set under k unless it holds changes not yet handed
// to a batch; a later read loads it again.
func (c *setCache) release(k checkpoint.SetKey) {
	if !c.changed[k] {
		delete(c.sets, k)
	}
}

// writes returns the changes made since the last call, in a stable order,
// and forgets the sets they carry: a later get reads them back from the
// store.
// NOTE: publish the returned writes before reading any of those sets
// again, or the read sees the store's older copy. Every caller publishes
// them at once.
func (c *setCache) writes() []SetWrite {
	keys := make([]checkpoint.SetKey, 0, len(c.changed))
	for k := range c.changed {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.Stream != b.Stream {
			return a.Stream < b.Stream
		}
		return a.Owner < b.Owner
	})
	out := make([]SetWrite, 0, len(keys))
	for _, k := range keys {
		e := c.sets[k]
		if e.deleted {
			out = append(out, SetWrite{Key: k, Delete: true})
			c.sets[k] = &cachedSet{}
			continue
		}
		ids := e.ids.strings()
		if e.m != nil {
			ids = sortedIDs(e.m)
		}
		out = append(out, SetWrite{Key: k, IDs: ids})
		delete(c.sets, k)
	}
	clear(c.changed)
	return out
}
