package connector

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/okta-connector/okta-connector/checkpoint"
)

func TestMissing(t *testing.T) {
	tests := []struct {
		name          string
		old, now, out []string
	}{
		{"none gone", []string{"a", "b"}, []string{"a", "b", "c"}, nil},
		{"all gone", []string{"a", "b"}, nil, []string{"a", "b"}},
		{"middle and ends", []string{"a", "c", "e", "g"}, []string{"b", "c", "d", "e"},
			[]string{"a", "g"}},
		{"empty old", nil, []string{"a"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.out, missing(tc.old, tc.now)); diff != "" {
				t.Errorf("missing (-want +got):\n%s", diff)
			}
		})
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
