package connector

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// TestAddKnownUsersWritesOnlyWhenNew: refreshing users the set already
// holds writes nothing; a new user is merged in order.
func TestAddKnownUsersWritesOnlyWhenNew(t *testing.T) {
	store, err := checkpoint.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	key := checkpoint.SetKey{Tenant: "t", Stream: StreamEmployees}
	if err := store.SaveSet(ctx, key, []string{"00ua", "00uc"}); err != nil {
		t.Fatal(err)
	}
	c := newSetCache(store)
	if err := addKnownUsers(ctx, c, key, []string{"00uc", "00ua"}); err != nil {
		t.Fatal(err)
	}
	if w := c.writes(); len(w) != 0 {
		t.Fatalf("got %d set writes for known users, want none", len(w))
	}
	if err := addKnownUsers(ctx, c, key, []string{"00ub", "00uc"}); err != nil {
		t.Fatal(err)
	}
	w := c.writes()
	if len(w) != 1 {
		t.Fatalf("got %d set writes after a new user, want 1", len(w))
	}
	if diff := cmp.Diff([]string{"00ua", "00ub", "00uc"}, w[0].IDs); diff != "" {
		t.Errorf("merged set (-want +got):\n%s", diff)
	}
}
