package connector

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// pagedIDs serves ids as pages of size n, then io.EOF.
func pagedIDs(ids []string, n int) func(context.Context) ([]string, error) {
	return func(context.Context) ([]string, error) {
		if len(ids) == 0 {
			return nil, io.EOF
		}
		page := ids[:min(n, len(ids))]
		ids = ids[len(page):]
		return page, nil
	}
}

// memberIDs returns n ids m0000…, in order.
func memberIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("m%04d", i)
	}
	return out
}

// relistOnce runs one changedOnly re-list of ids against what store holds
// under key, saving every set an early flush hands over as a transactional
// publish would, and stopping (as a kill would) after stopAfter flushes when
// stopAfter > 0. It returns the keys of the records published, early and
// final.
func relistOnce(t *testing.T, store checkpoint.Store, key checkpoint.SetKey, ids []string,
	stopAfter int) []string {
	t.Helper()
	ctx := context.Background()
	tr := &tenantRun{Tenant: Tenant{ID: key.Tenant}, store: store}
	c := newSetCache(store)
	var published []string
	flushes := 0
	errKilled := fmt.Errorf("killed")
	save := func(recs []Record) error {
		for _, w := range c.writes() {
			if err := store.SaveSet(ctx, w.Key, w.IDs); err != nil {
				t.Fatalf("saving set: %v", err)
			}
		}
		for _, r := range recs {
			published = append(published, r.Key)
		}
		flushes++
		if stopAfter > 0 && flushes == stopAfter {
			return errKilled
		}
		return nil
	}
	r, err := relist(ctx, tr, c, listing[string]{key: key, next: pagedIDs(ids, 500),
		id:       func(id string) string { return id },
		toRecord: func(id string) Record { return Record{Stream: key.Stream, Key: id} },
		flush:    save, mode: changedOnly})
	if stopAfter > 0 {
		if err != errKilled {
			t.Fatalf("got error %v, want the kill after %d flushes", err, stopAfter)
		}
		return published
	}
	if err != nil {
		t.Fatalf("re-listing: %v", err)
	}
	if err := save(r.records); err != nil {
		t.Fatalf("final flush: %v", err)
	}
	return published
}

// TestRelistEarlyFlushWritesPartialSet: a re-list cut after its first early
// flush, then run again, publishes every listed id exactly once in all and
// still tombstones the stored id the listing lost.
func TestRelistEarlyFlushWritesPartialSet(t *testing.T) {
	store, err := checkpoint.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatalf("opening the store: %v", err)
	}
	key := checkpoint.SetKey{Tenant: "acme", Stream: StreamGroupMembers, Owner: "00g1"}
	ids := memberIDs(4500)
	if err := store.SaveSet(context.Background(), key, []string{"gone", ids[0]}); err != nil {
		t.Fatalf("saving set: %v", err)
	}
	first := relistOnce(t, store, key, ids, 1)
	if len(first) < flushAt {
		t.Fatalf("got %d records before the kill, want at least %d", len(first), flushAt)
	}
	stored, err := store.LoadSet(context.Background(), key)
	if err != nil {
		t.Fatalf("loading set: %v", err)
	}
	want := append([]string{"gone"}, ids[:len(first)+1]...)
	if diff := cmp.Diff(sortedCopy(want), stored); diff != "" {
		t.Errorf("set after the kill (-want +got):\n%s", diff)
	}
	second := relistOnce(t, store, key, ids, 0)
	counts := map[string]int{}
	for _, k := range append(first, second...) {
		counts[k]++
	}
	for _, id := range ids[1:] {
		if counts[id] != 1 {
			t.Errorf("id %s: got %d records, want 1", id, counts[id])
		}
	}
	if counts[ids[0]] != 0 {
		t.Errorf("id %s stored before: got %d records, want 0", ids[0], counts[ids[0]])
	}
	tomb := PairKey("acme", "00g1", "gone")
	if counts[tomb] != 1 {
		t.Errorf("tombstone %s: got %d, want 1", tomb, counts[tomb])
	}
	stored, err = store.LoadSet(context.Background(), key)
	if err != nil {
		t.Fatalf("loading set: %v", err)
	}
	if diff := cmp.Diff(ids, stored, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("final set (-want +got):\n%s", diff)
	}
}

// sortedCopy returns ids sorted, without duplicates.
func sortedCopy(ids []string) []string {
	var b idBuilder
	for _, id := range ids {
		b.add(id)
	}
	return b.list().strings()
}
