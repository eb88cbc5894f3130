package connector

import (
	"context"
	"fmt"
	"sort"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// setCache reads stored id sets and holds the changes a batch will write,
// so that two steps of one batch (a member re-list and a user deletion, say)
// see each other's changes. Not safe for concurrent use.
type setCache struct {
	store   checkpoint.Store
	sets    map[checkpoint.SetKey]map[string]bool
	changed map[checkpoint.SetKey]bool
}

func newSetCache(store checkpoint.Store) *setCache {
	return &setCache{
		store:   store,
		sets:    map[checkpoint.SetKey]map[string]bool{},
		changed: map[checkpoint.SetKey]bool{},
	}
}

// get returns the set under k (empty when none); the caller may change it
// and must then call put.
func (c *setCache) get(ctx context.Context, k checkpoint.SetKey) (map[string]bool, error) {
	if s, ok := c.sets[k]; ok {
		return s, nil
	}
	ids, err := c.store.LoadSet(ctx, k)
	if err != nil {
		return nil, fmt.Errorf("loading id set %s/%s/%s: %w", k.Tenant, k.Stream, k.Owner, err)
	}
	s := make(map[string]bool, len(ids))
	for _, id := range ids {
		s[id] = true
	}
	c.sets[k] = s
	return s, nil
}

// put replaces the set under k; a nil set deletes it.
func (c *setCache) put(k checkpoint.SetKey, s map[string]bool) {
	c.sets[k] = s
	c.changed[k] = true
}

// writes returns the changes made since the last call, in a stable order,
// and forgets that they were pending.
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
		s := c.sets[k]
		if s == nil {
			out = append(out, SetWrite{Key: k, Delete: true})
			c.sets[k] = map[string]bool{}
			continue
		}
		out = append(out, SetWrite{Key: k, IDs: sortedIDs(s)})
	}
	clear(c.changed)
	return out
}
