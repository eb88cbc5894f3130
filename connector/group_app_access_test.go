package connector

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// accessOrg is small and unlimited, so that each case's two cycles take
// well under a second.
var accessOrg = oktasim.OrgConfig{Seed: 11, Users: 40, Groups: 6, Apps: 4, Events: 20,
	Limits: oktasim.RateLimits{Off: true}}

// groupAccess is an app, an Okta-managed group not assigned to it, a
// member of that group without the app (who holds it only through the
// group once it is assigned) and an active user in neither.
type groupAccess struct {
	app, group, member, outsider string
}

// pickGroupAccess finds a groupAccess in org, on an app that Everyone is
// not assigned to: through Everyone every user holds it already.
func pickGroupAccess(t *testing.T, org *oktasim.Org) groupAccess {
	t.Helper()
	groups := org.Groups()
	everyone := slices.IndexFunc(groups, func(g oktasim.Group) bool {
		return g.Type == "BUILT_IN"
	})
	for _, a := range org.Apps() {
		if a.Status != "ACTIVE" || everyone >= 0 && slices.Contains(a.Groups, groups[everyone].ID) {
			continue
		}
		holders := org.AppUserIDs(a.ID)
		for _, g := range groups {
			if g.Type != "OKTA_GROUP" || slices.Contains(a.Groups, g.ID) {
				continue
			}
			m := slices.IndexFunc(g.Members, func(id string) bool {
				return !slices.Contains(holders, id)
			})
			o := slices.IndexFunc(activeUsers(org), func(id string) bool {
				return !slices.Contains(holders, id) && !slices.Contains(g.Members, id)
			})
			if m >= 0 && o >= 0 {
				return groupAccess{a.ID, g.ID, g.Members[m], activeUsers(org)[o]}
			}
		}
	}
	t.Fatal("no active app without Everyone beside a group with a member lacking it")
	return groupAccess{}
}

// simAdmin calls the simulator's admin API, as an operator's script would.
func simAdmin(t *testing.T, org *oktasim.Org, method, path string) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Authorization", "SSWS "+simToken)
	w := httptest.NewRecorder()
	org.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("%s %s: got %d %s, want 200", method, path, w.Code, w.Body)
	}
}

// assignmentChanges is what one pass published on app_assignments: for
// each key, whether its one record was a tombstone. A key published twice
// is an error.
func assignmentChanges(t *testing.T, recs []Record) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, r := range recs {
		if r.Stream != StreamAppAssignments {
			continue
		}
		if _, dup := out[r.Key]; dup {
			t.Errorf("%s published twice in one pass, want once", r.Key)
		}
		out[r.Key] = r.Value == nil
	}
	return out
}

// truthChanges is what Okta's app-user listings changed between before
// and after, keyed as assignmentChanges: true for an assignment gone.
func truthChanges(before, after map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range before {
		if !after[k] {
			out[k] = true
		}
	}
	for k := range after {
		if !before[k] {
			out[k] = false
		}
	}
	return out
}

// TestGroupAppAccessPublished: a user who gains or loses an app through a
// group alone, by a membership change or by the group's assignment to the
// app, has the assignment published or tombstoned by the next cycle, and
// nothing else on app_assignments is. When a member leaves or joins a
// group, the simulator's application.user_membership events (API.md §6.3,
// §8.6) are the only sign of it: the apps stream does not re-list the
// users of apps it knows.
func TestGroupAppAccessPublished(t *testing.T) {
	tests := []struct {
		name     string
		assigned bool // the group is assigned to the app before the first sync
		change   func(t *testing.T, org *oktasim.Org, ga groupAccess)
		key      func(ga groupAccess) string // the assignment that must change
		gone     bool                        // whether it ends
	}{
		{"member leaves the group", true,
			func(t *testing.T, org *oktasim.Org, ga groupAccess) {
				must(t, org.RemoveGroupMember(ga.group, ga.member))
			},
			func(ga groupAccess) string { return PairKey("sim", ga.app, ga.member) }, true},
		{"member joins the group", true,
			func(t *testing.T, org *oktasim.Org, ga groupAccess) {
				must(t, org.AddGroupMember(ga.group, ga.outsider))
			},
			func(ga groupAccess) string { return PairKey("sim", ga.app, ga.outsider) }, false},
		{"group unassigned from the app", true,
			func(t *testing.T, org *oktasim.Org, ga groupAccess) {
				simAdmin(t, org, "DELETE", "/_sim/apps/"+ga.app+"/groups/"+ga.group)
			},
			func(ga groupAccess) string { return PairKey("sim", ga.app, ga.member) }, true},
		{"group assigned to the app", false,
			func(t *testing.T, org *oktasim.Org, ga groupAccess) {
				simAdmin(t, org, "PUT", "/_sim/apps/"+ga.app+"/groups/"+ga.group)
			},
			func(ga groupAccess) string { return PairKey("sim", ga.app, ga.member) }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSimEngine(t, accessOrg)
			ga := pickGroupAccess(t, s.org)
			if tc.assigned {
				must(t, s.org.AssignAppGroup(ga.app, ga.group))
			}
			s.syncOnce(t)
			s.rec.take()
			before := assignmentKeys(s.org)

			tc.change(t, s.org, ga)
			want := truthChanges(before, assignmentKeys(s.org))
			if gone, ok := want[tc.key(ga)]; !ok || gone != tc.gone {
				t.Fatalf("simulator: %s changed %v (gone %v), want changed, gone %v",
					tc.key(ga), ok, gone, tc.gone)
			}
			s.syncOnce(t)
			got := assignmentChanges(t, s.rec.take())
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("app_assignments of the next pass, key → tombstone "+
					"(-Okta's change +published):\n%s", diff)
			}
		})
	}
}
