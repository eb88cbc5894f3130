package oktasim

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// accessFixture is an org where app holds its direct users and two
// OKTA_GROUPs, g1 and g2, that are empty and assigned to no other app, and
// no app holds Everyone: u, a new user, holds an app only through what a
// test does.
type accessFixture struct {
	o              *Org
	app, g1, g2, u string
}

func newAccessFixture(t *testing.T) *accessFixture {
	t.Helper()
	o := newTestOrg(t, OrgConfig{Seed: 21, Users: 40, Groups: 6, Apps: 4})
	var okta []Group
	for _, g := range o.Groups() {
		if g.Type == "OKTA_GROUP" {
			okta = append(okta, g)
		}
	}
	f := &accessFixture{o: o, app: o.Apps()[0].ID, g1: okta[0].ID, g2: okta[1].ID}
	for _, g := range okta[:2] {
		for _, m := range g.Members {
			must(t, o.RemoveGroupMember(g.ID, m))
		}
	}
	for _, a := range o.Apps() {
		for _, g := range a.Groups {
			ours := g == f.g1 || g == f.g2
			if g == everyoneID(o.groups) || (a.ID == f.app) != ours {
				must(t, o.UnassignAppGroup(a.ID, g))
			}
		}
		for _, g := range []string{f.g1, f.g2} {
			if a.ID == f.app && !slices.Contains(a.Groups, g) {
				must(t, o.AssignAppGroup(a.ID, g))
			}
		}
	}
	id, err := o.CreateUser(UserInput{Profile: map[string]any{
		"login": "access.test@sim.example.com", "email": "access.test@sim.example.com"}})
	must(t, err)
	f.u = id
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// written is one event as the tests compare it.
type written struct {
	Type    string
	Targets []string // id:type
}

func ev(typ string, targets ...string) written { return written{typ, targets} }

// holdings lists "app user" for every assignment the app-users listing
// shows: the oracle the events are checked against.
func holdings(o *Org) map[string]bool {
	out := map[string]bool{}
	for _, a := range o.Apps() {
		for _, u := range o.AppUserIDs(a.ID) {
			out[a.ID+" "+u] = true
		}
	}
	return out
}

func TestGroupDerivedAppMembershipEvents(t *testing.T) {
	type step func(f *accessFixture) error
	join := func(g func(*accessFixture) string) step {
		return func(f *accessFixture) error { return f.o.AddGroupMember(g(f), f.u) }
	}
	leave := func(g func(*accessFixture) string) step {
		return func(f *accessFixture) error { return f.o.RemoveGroupMember(g(f), f.u) }
	}
	g1 := func(f *accessFixture) string { return f.g1 }
	g2 := func(f *accessFixture) string { return f.g2 }
	direct := func(f *accessFixture) error { return f.o.AssignAppUser(f.app, f.u) }
	unassign := func(f *accessFixture) error { return f.o.UnassignAppGroup(f.app, f.g1) }
	assign := func(f *accessFixture) error { return f.o.AssignAppGroup(f.app, f.g1) }
	everyone := func(f *accessFixture) error {
		return f.o.AssignAppGroup(f.app, everyoneID(f.o.groups))
	}
	deactivate := func(f *accessFixture) error { return f.o.DeactivateUser(f.u) }
	del := func(f *accessFixture) error {
		_, err := f.o.DeleteUser(f.u)
		return err
	}
	const (
		gAdd, gRemove = "group.user_membership.add", "group.user_membership.remove"
		aAdd, aRemove = "application.user_membership.add", "application.user_membership.remove"
	)
	tests := []struct {
		name  string
		setup []step
		do    step
		want  func(f *accessFixture) []written
	}{
		{"group only: join", nil, join(g1), func(f *accessFixture) []written {
			return []written{ev(gAdd, f.u+":User", f.g1+":UserGroup"),
				ev(aAdd, f.app+":AppInstance", f.u+":User")}
		}},
		{"group only: leave", []step{join(g1)}, leave(g1), func(f *accessFixture) []written {
			return []written{ev(gRemove, f.u+":User", f.g1+":UserGroup"),
				ev(aRemove, f.app+":AppInstance", f.u+":User")}
		}},
		{"also direct: join", []step{direct}, join(g1), func(f *accessFixture) []written {
			return []written{ev(gAdd, f.u+":User", f.g1+":UserGroup")}
		}},
		{"also direct: leave", []step{direct, join(g1)}, leave(g1),
			func(f *accessFixture) []written {
				return []written{ev(gRemove, f.u+":User", f.g1+":UserGroup")}
			}},
		{"two groups: join the second", []step{join(g1)}, join(g2),
			func(f *accessFixture) []written {
				return []written{ev(gAdd, f.u+":User", f.g2+":UserGroup")}
			}},
		{"two groups: leave one", []step{join(g1), join(g2)}, leave(g1),
			func(f *accessFixture) []written {
				return []written{ev(gRemove, f.u+":User", f.g1+":UserGroup")}
			}},
		{"two groups: leave the last", []step{join(g1), join(g2), leave(g1)}, leave(g2),
			func(f *accessFixture) []written {
				return []written{ev(gRemove, f.u+":User", f.g2+":UserGroup"),
					ev(aRemove, f.app+":AppInstance", f.u+":User")}
			}},
		{"group unassigned: only access", []step{join(g1)}, unassign,
			func(f *accessFixture) []written {
				return []written{
					ev("group.application_assignment.remove", f.app+":AppInstance",
						f.g1+":UserGroup"),
					ev(aRemove, f.app+":AppInstance", f.u+":User")}
			}},
		{"group unassigned: other group kept", []step{join(g1), join(g2)}, unassign,
			func(f *accessFixture) []written {
				return []written{ev("group.application_assignment.remove",
					f.app+":AppInstance", f.g1+":UserGroup")}
			}},
		{"group assigned", []step{join(g1), unassign}, assign,
			func(f *accessFixture) []written {
				return []written{
					ev("group.application_assignment.add", f.app+":AppInstance",
						f.g1+":UserGroup"),
					ev(aAdd, f.app+":AppInstance", f.u+":User")}
			}},
		{"group assigned: also direct", []step{join(g1), unassign, direct}, assign,
			func(f *accessFixture) []written {
				return []written{ev("group.application_assignment.add",
					f.app+":AppInstance", f.g1+":UserGroup")}
			}},
		{"Everyone assigned: all but direct users", []step{direct}, everyone,
			func(f *accessFixture) []written {
				e := everyoneID(f.o.groups)
				out := []written{ev("group.application_assignment.add",
					f.app+":AppInstance", e+":UserGroup")}
				for _, u := range f.o.Users() {
					if !slices.Contains(f.o.Apps()[0].Users, u.ID) {
						out = append(out, ev(aAdd, f.app+":AppInstance", u.ID+":User"))
					}
				}
				return out
			}},
		{"deactivation keeps assignments", []step{join(g1)}, deactivate,
			func(f *accessFixture) []written {
				return []written{ev("user.lifecycle.deactivate", f.u+":User")}
			}},
		{"deletion ends them with the user", []step{join(g1), direct, deactivate}, del,
			func(f *accessFixture) []written {
				return []written{ev(evDeleteInitiated.name, f.u+":User"),
					ev(evDeleteCompleted.name, f.u+":User")}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newAccessFixture(t)
			for i, s := range tt.setup {
				if err := s(f); err != nil {
					t.Fatalf("setup step %d: %v", i, err)
				}
			}
			held, n := holdings(f.o), len(f.o.log.extra)
			must(t, tt.do(f))
			es := f.o.log.extra[n:]
			var got []written
			for _, e := range es {
				w := written{Type: e.typ.name}
				for _, r := range e.targets {
					w.Targets = append(w.Targets, r.id+":"+r.typ)
				}
				got = append(got, w)
			}
			if d := cmp.Diff(tt.want(f), got); d != "" {
				t.Errorf("events (-want +got):\n%s", d)
			}
			checkOneTransaction(t, f.o, es)
			checkAgainstListing(t, f.o, held, holdings(f.o), got)
		})
	}
}

// checkOneTransaction wants every event of one call by the admin, in one
// transaction and request.
func checkOneTransaction(t *testing.T, o *Org, es []*event) {
	t.Helper()
	for _, e := range es {
		if e.actor.id != o.adminU.id || e.txID != es[0].txID || e.path != es[0].path ||
			e.requestID != es[0].requestID {
			t.Errorf("%s: got actor %s, tx %s, path %s; want %s, %s, %s", e.typ.name,
				e.actor.id, e.txID, e.path, o.adminU.id, es[0].txID, es[0].path)
		}
	}
}

// checkAgainstListing wants one app membership event for each assignment
// the app-users listing gained or lost, and no other; a deleted user's end
// with it, without events.
func checkAgainstListing(t *testing.T, o *Org, before, after map[string]bool,
	got []written) {
	t.Helper()
	var want, have []string
	for k := range after {
		if !before[k] {
			want = append(want, "add "+k)
		}
	}
	for k := range before {
		if _, ok := o.User(k[strings.IndexByte(k, ' ')+1:]); ok && !after[k] {
			want = append(want, "remove "+k)
		}
	}
	for _, w := range got {
		op, ok := map[string]string{"application.user_membership.add": "add",
			"application.user_membership.remove": "remove"}[w.Type]
		if ok {
			have = append(have, fmt.Sprintf("%s %s %s", op, id(w.Targets[0]), id(w.Targets[1])))
		}
	}
	slices.Sort(want)
	slices.Sort(have)
	if d := cmp.Diff(want, have); d != "" {
		t.Errorf("app membership events vs the app-users listing (-listing +events):\n%s", d)
	}
}

// id drops the type from an "id:type" target.
func id(target string) string {
	id, _, _ := strings.Cut(target, ":")
	return id
}

func TestAppGroupAssignmentAdminAPI(t *testing.T) {
	o, srv := StartTest(t, OrgConfig{Seed: 5, Users: 20, Groups: 3, Apps: 2, Token: testToken})
	a := o.Apps()[0]
	var g string
	for _, gr := range o.Groups() {
		if !slices.Contains(a.Groups, gr.ID) {
			g = gr.ID
			break
		}
	}
	route := srv.URL() + "/_sim/apps/" + a.ID + "/groups/"
	tests := []struct {
		method, group string
		want          int
		assigned      bool
	}{
		{"PUT", g, 200, true},
		{"PUT", g, 409, true},
		{"DELETE", g, 200, false},
		{"DELETE", g, 409, false},
		{"PUT", "00gnope", 404, false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.group, func(t *testing.T) {
			if got, body := adminCall(t, tt.method, route+tt.group, nil); got != tt.want {
				t.Errorf("got %d %v, want %d", got, body, tt.want)
			}
			var now []string
			for _, app := range o.Apps() {
				if app.ID == a.ID {
					now = app.Groups
				}
			}
			if got := slices.Contains(now, g); got != tt.assigned {
				t.Errorf("group assigned: got %v, want %v", got, tt.assigned)
			}
		})
	}
}
