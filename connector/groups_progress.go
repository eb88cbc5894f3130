package connector

import (
	"context"
	"fmt"
	"strings"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// progressOwnerPrefix starts the owner of a groups snapshot's progress set.
// Okta group ids are alphanumeric (00g…), so no group id starts with it.
const progressOwnerPrefix = "snapshot."

// groupProgress is what a full listing of groups has published so far under
// its snapshot: the group versions (groupVersion), written in the same batch
// as each page's records. A restart of that snapshot walks the listing again
// and skips the versions already published, so under the Kafka store
// (DESIGN §5) no group record is repeated. A group that changed since keeps
// a new version and is published again, as it should be.
type groupProgress struct {
	key   checkpoint.SetKey
	done  map[string]bool
	dirty bool
}

// progressKey names the progress set of snap, scoped to it so that a set
// left by an abandoned snapshot (an operator's reset starts a new one)
// never hides groups from the next.
func (t *tenantRun) progressKey(snap *checkpoint.Snapshot) checkpoint.SetKey {
	return checkpoint.SetKey{Tenant: t.ID, Stream: StreamGroups,
		Owner: progressOwnerPrefix + snap.ID}
}

// loadGroupProgress reads the progress of snap, empty when it has none.
func (t *tenantRun) loadGroupProgress(ctx context.Context,
	snap *checkpoint.Snapshot) (*groupProgress, error) {
	key := t.progressKey(snap)
	ids, err := t.store.LoadSet(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("loading progress of groups snapshot %s: %w", snap.ID, err)
	}
	p := &groupProgress{key: key, done: make(map[string]bool, len(ids))}
	for _, v := range ids {
		p.done[v] = true
	}
	return p, nil
}

// publish reports whether g's record is still to be published and, if so,
// counts it as published by the batch being built. A nil progress (an
// incremental listing) publishes every group.
func (p *groupProgress) publish(g okta.Group) bool {
	if p == nil {
		return true
	}
	v := groupVersion(g)
	if p.done[v] {
		return false
	}
	p.done[v] = true
	p.dirty = true
	return true
}

// writes returns the set write recording what publish counted since the
// last call, none when nothing changed.
func (p *groupProgress) writes() []SetWrite {
	if p == nil || !p.dirty {
		return nil
	}
	p.dirty = false
	return []SetWrite{{Key: p.key, IDs: sortedIDs(p.done)}}
}

// dropGroupProgress deletes, through c, every groups snapshot's progress
// set: the completed snapshot's and any an abandoned snapshot left.
func (t *tenantRun) dropGroupProgress(ctx context.Context, c *setCache) error {
	owners, err := t.store.Owners(ctx, t.ID, StreamGroups)
	if err != nil {
		return fmt.Errorf("listing groups snapshot progress sets: %w", err)
	}
	for _, o := range owners {
		if strings.HasPrefix(o, progressOwnerPrefix) {
			c.put(checkpoint.SetKey{Tenant: t.ID, Stream: StreamGroups, Owner: o}, nil)
		}
	}
	return nil
}
