package ops

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// saveOwners gives the rig's tenant acme finished groups and apps
// checkpoints, as a tenant that synced them once has.
func saveOwners(t *testing.T, r rig) {
	t.Helper()
	for _, stream := range []string{"groups", "apps"} {
		cp := checkpoint.Checkpoint{Tenant: "acme", Stream: stream,
			Watermark: now.Add(-3 * time.Hour), AtWatermark: []string{"00g1@1#h"},
			LastFullSync: now.Add(-2 * time.Hour), LastSuccess: now.Add(-time.Hour)}
		if err := r.store.Save(context.Background(), cp); err != nil {
			t.Fatal(err)
		}
	}
}

// TestResetOfEveryStreamMarksGroupsAndApps: a reset of all of a tenant's
// streams marks groups and apps to republish their memberships and
// assignments, marks no other stream, and passes over the two streams
// that have no checkpoint of their own, in the output and the trail alike.
func TestResetOfEveryStreamMarksGroupsAndApps(t *testing.T) {
	for _, mode := range []string{"direct", "queued"} {
		t.Run(mode, func(t *testing.T) {
			r := newRig(t)
			saveOwners(t, r)
			tg := r.direct()
			if mode == "queued" {
				tg = r.queued()
			}
			var out bytes.Buffer
			opts := ResetOptions{Scope: r.scope, Change: change("consumer rebuild"),
				Tenant: "acme"}
			if err := Reset(context.Background(), &out, tg, opts); err != nil {
				t.Fatalf("Reset: %v", err)
			}
			if mode == "queued" {
				installQueued(t, r)
			}
			got := map[string]bool{}
			for _, cp := range r.all(t) {
				if cp.Tenant == "acme" {
					got[cp.Stream] = cp.Extra[ExtraRepublish] != "" &&
						cp.Extra[ExtraRepublish] == cp.Extra[checkpoint.ExtraRequest]
				}
			}
			want := map[string]bool{"activity": false, "employees": false, "groups": true,
				"apps": true}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("marked with the reset's request (-want +got):\n%s", diff)
			}
			for _, e := range r.entries(t) {
				if _, rides := ridesWith[e.Stream]; rides {
					t.Errorf("audit entry for %s: got one, want none", e.Stream)
				}
			}
			for _, pair := range []string{"group_members", "app_assignments"} {
				if strings.Contains(out.String(), pair) {
					t.Errorf("Reset output: got\n%s\nwant no line about %s", out.String(), pair)
				}
			}
			if !strings.Contains(out.String(), "new: full sync next, republishing every "+
				"membership") {
				t.Errorf("Reset output: got\n%s\nwant the groups line to say it "+
					"republishes every membership", out.String())
			}
		})
	}
}

// installQueued applies every queued request as a running connector does.
func installQueued(t *testing.T, r rig) {
	t.Helper()
	for _, req := range r.requests(t) {
		_, wrote, err := Install(context.Background(), r.store, r.store.Save, r.store, req,
			now)
		if err != nil || !wrote {
			t.Fatalf("Install %s/%s: got wrote %v, %v; want written", req.Tenant, req.Stream,
				wrote, err)
		}
	}
}

// TestRidingStreamsDescribedAlike: list and show say the same about the
// memberships and assignments streams, and where to reset them.
func TestRidingStreamsDescribedAlike(t *testing.T) {
	r := newRig(t)
	saveOwners(t, r)
	tests := []struct{ stream, want string }{
		{"group_members", "kept with groups (id sets); reset groups to republish"},
		{"app_assignments", "kept with apps (id sets); reset apps to republish"},
	}
	var list bytes.Buffer
	if err := List(context.Background(), &list, r.direct(), r.scope, now); err != nil {
		t.Fatalf("List: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.stream, func(t *testing.T) {
			if want := "acme  " + tt.stream + "  " + tt.want; !strings.Contains(
				squeeze(list.String()), want) {
				t.Errorf("List output: got\n%s\nwant a line containing %q", list.String(),
					want)
			}
			var show bytes.Buffer
			err := Show(context.Background(), &show, r.direct(), r.scope, "acme", tt.stream)
			if err != nil {
				t.Fatalf("Show: %v", err)
			}
			if want := "acme/" + tt.stream + ": " + tt.want + "\n"; show.String() != want {
				t.Errorf("Show output: got %q, want %q", show.String(), want)
			}
		})
	}
}
