package connector

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// TestSetCacheRelease checks that release forgets a set read but not
// changed, and keeps one whose changes are not yet handed to a batch.
func TestSetCacheRelease(t *testing.T) {
	ctx := context.Background()
	store, err := checkpoint.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatalf("opening the store: %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })
	read := checkpoint.SetKey{Tenant: "acme", Stream: StreamGroupMembers, Owner: "00g1"}
	edited := checkpoint.SetKey{Tenant: "acme", Stream: StreamGroupMembers, Owner: "00g2"}
	c := newSetCache(store)
	if _, err := c.list(ctx, read); err != nil {
		t.Fatalf("reading a set: %v", err)
	}
	c.putSorted(edited, []string{"00u1"})
	c.release(read)
	c.release(edited)
	if _, held := c.sets[read]; held {
		t.Error("a set read and released is still held")
	}
	want := []SetWrite{{Key: edited, IDs: []string{"00u1"}}}
	if diff := cmp.Diff(want, c.writes()); diff != "" {
		t.Errorf("writes after release (-want +got):\n%s", diff)
	}
}

// TestSetCacheWritesForget checks that writes hands over a set and drops
// it from memory, that a later read gets the saved copy back from the
// store, and that a deleted set reads as empty before its deletion is
// saved.
func TestSetCacheWritesForget(t *testing.T) {
	ctx := context.Background()
	store, err := checkpoint.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatalf("opening the store: %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })
	members := checkpoint.SetKey{Tenant: "acme", Stream: StreamGroupMembers, Owner: "00g1"}
	gone := checkpoint.SetKey{Tenant: "acme", Stream: StreamGroupMembers, Owner: "00g2"}
	if err := store.SaveSet(ctx, gone, []string{"00u9"}); err != nil {
		t.Fatalf("saving a set: %v", err)
	}
	c := newSetCache(store)
	c.putSorted(members, []string{"00u1", "00u2"})
	c.put(gone, nil)
	want := []SetWrite{{Key: members, IDs: []string{"00u1", "00u2"}},
		{Key: gone, Delete: true}}
	if diff := cmp.Diff(want, c.writes(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	if _, held := c.sets[members]; held {
		t.Error("the written set is still held in memory")
	}
	if err := store.SaveSet(ctx, members, []string{"00u1", "00u2"}); err != nil {
		t.Fatalf("saving a set: %v", err)
	}
	got, err := c.get(ctx, members)
	if err != nil {
		t.Fatalf("reading the set back: %v", err)
	}
	if diff := cmp.Diff(map[string]bool{"00u1": true, "00u2": true}, got); diff != "" {
		t.Errorf("set read back (-want +got):\n%s", diff)
	}
	ids, err := c.sorted(ctx, gone)
	if err != nil {
		t.Fatalf("reading the deleted set: %v", err)
	}
	if len(ids) != 0 {
		t.Errorf("got %v for a set deleted but not yet saved, want it empty", ids)
	}
}
