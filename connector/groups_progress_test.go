package connector

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// TestGroupProgress: a snapshot's progress, saved and loaded again as a
// restart would, skips the group versions published before and only
// those; completing drops every progress set and nothing else.
func TestGroupProgress(t *testing.T) {
	ctx := context.Background()
	store, err := checkpoint.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatalf("opening the store: %v", err)
	}
	tr := &tenantRun{Tenant: Tenant{ID: "acme"}, store: store}
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	g1 := okta.Group{ID: "00g1", LastUpdated: at, LastMembershipUpdated: at}
	g2 := okta.Group{ID: "00g2", LastUpdated: at, LastMembershipUpdated: at}
	g1moved := g1
	g1moved.LastMembershipUpdated = at.Add(time.Minute)
	snap := newSnapshot(at)
	old := &checkpoint.Snapshot{ID: "s1", StartedAt: at.Add(-time.Hour)}

	p, err := tr.loadGroupProgress(ctx, snap)
	if err != nil {
		t.Fatalf("loading progress: %v", err)
	}
	if got := p.writes(); got != nil {
		t.Errorf("got writes %v before any publish, want none", got)
	}
	if !p.publish(g1) {
		t.Errorf("got g1 skipped by a fresh snapshot, want it published")
	}
	for _, w := range append(p.writes(), SetWrite{Key: tr.progressKey(old), IDs: []string{"x"}}) {
		if err := store.SaveSet(ctx, w.Key, w.IDs); err != nil {
			t.Fatalf("saving set: %v", err)
		}
	}

	restarted, err := tr.loadGroupProgress(ctx, snap)
	if err != nil {
		t.Fatalf("loading progress: %v", err)
	}
	tests := []struct {
		name string
		g    okta.Group
		want bool
	}{
		{"published before the restart", g1, false},
		{"not published yet", g2, true},
		{"changed since published", g1moved, true},
		{"published after the restart", g2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := restarted.publish(tc.g); got != tc.want {
				t.Errorf("publish(%s): got %t, want %t", groupVersion(tc.g), got, tc.want)
			}
		})
	}
	if err := store.SaveSet(ctx, tr.allGroupsKey(), []string{"00g1"}); err != nil {
		t.Fatalf("saving set: %v", err)
	}
	c := newSetCache(store)
	if err := tr.dropGroupProgress(ctx, c); err != nil {
		t.Fatalf("dropping progress: %v", err)
	}
	var dropped []string
	for _, w := range c.writes() {
		if !w.Delete {
			t.Errorf("got a write of %s, want deletes only", w.Key.Owner)
		}
		dropped = append(dropped, w.Key.Owner)
	}
	want := []string{progressOwnerPrefix + old.ID, progressOwnerPrefix + snap.ID}
	if diff := cmp.Diff(want, dropped); diff != "" {
		t.Errorf("dropped owners (-want +got):\n%s", diff)
	}
}
