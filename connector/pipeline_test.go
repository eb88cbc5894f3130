package connector_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/internal/pipelinetest"
	"github.com/okta-connector/okta-connector/schemas"
)

// smallOrg holds every kind of user, group and event the generator makes
// and syncs in about a second.
var smallOrg = pipelinetest.SimConfig{Seed: 11, Users: 300, Groups: 12, Apps: 6,
	Events: 1500, LookBack: 48 * time.Hour}

// TestPipelineIncremental is issue 3 Must-show 2: `okta-connector sync` as a
// process, configured by its environment, against an okta-sim process and
// the external broker with a registry. The first run publishes the org
// exactly; after mutations through the simulator's admin API, the second
// publishes only those changes, and asks Okta only about what changed.
func TestPipelineIncremental(t *testing.T) {
	w := newWorld(t, smallOrg)
	org := w.replica(t, 0)
	asOf := time.Now()
	w.sync(t)
	first := w.read(t)
	checkFullSync(t, w, org, first, asOf)

	before := w.sim.Summary(t, 0)
	m := mutate(t, w, org)
	w.sim.ResetRequests(t, 0)
	w.sync(t)
	second := w.read(t).After(first)
	checkChanges(t, w, m, second, first, w.sim.Summary(t, 0).Events-before.Events)
	checkRequests(t, m, w.sim.Requests(t, 0))
}

// checkFullSync compares the keys of every stream with the org's truth
// and every event uuid with its log: nothing missing, nothing extra.
func checkFullSync(t *testing.T, w world, org *oktasim.Org, got pipelinetest.Topics,
	asOf time.Time) {
	t.Helper()
	keys, uuids := truthKeys(org, w.tenant, asOf)
	for _, s := range schemas.Streams() {
		upserts, tombs := got.Keys(s)
		if diff := cmp.Diff(keys[s], upserts); diff != "" {
			t.Errorf("%s keys (-want +got):\n%s", s, diff)
		}
		if len(tombs) > 0 {
			t.Errorf("%s: got %d tombstones, want none", s, len(tombs))
		}
		if s != schemas.Activity && len(got[s]) != len(keys[s]) {
			t.Errorf("%s: got %d records, want %d (one per key)", s, len(got[s]), len(keys[s]))
		}
	}
	gotUUIDs := got.EventUUIDs()
	if diff := cmp.Diff(uuids, keysOf(gotUUIDs)); diff != "" {
		t.Errorf("event uuids (-want +got):\n%s", diff)
	}
	if n := len(got[schemas.Activity]); n != len(uuids) {
		t.Errorf("activity: got %d records, want %d (each event once)", n, len(uuids))
	}
	checkMarkers(t, w.tenant, keys, got)
}

// checkMarkers: the last marker of each snapshot stream is COMPLETED with
// the stream's record count. Earlier ones (BEGIN) may be compacted away.
func checkMarkers(t *testing.T, tenant string, keys map[string]map[string]bool,
	got pipelinetest.Topics) {
	t.Helper()
	last := map[string]*schemas.SyncMarker{}
	for _, r := range got[schemas.SyncMarkers] {
		if m, ok := r.Value.(*schemas.SyncMarker); ok {
			last[r.Key] = m
		}
	}
	for _, s := range []string{schemas.Employees, schemas.Groups, schemas.GroupMembers,
		schemas.Apps, schemas.AppAssignments} {
		m := last[key(tenant, s)]
		switch {
		case m == nil:
			t.Errorf("%s: no sync marker", s)
		case m.Phase != schemas.PhaseCompleted || m.RecordCount == nil:
			t.Errorf("%s: got last marker %s, want COMPLETED with a count", s, m.Phase)
		case *m.RecordCount != int64(len(keys[s])):
			t.Errorf("%s: got completed count %d, want %d", s, *m.RecordCount, len(keys[s]))
		}
	}
}

// mutation is what mutate changed, as the records it must cause.
type mutation struct {
	updated, deactivated, deleted string
	group, member                 string // the membership removed
	deletedGroups, deletedApps    []string
	events                        []string // uuids of the events added
}

// mutate changes the org through okta-sim's admin API: a user's title
// updated, a user deactivated, a deprovisioned user deleted, a membership
// of an Okta group removed and three new events.
func mutate(t *testing.T, w world, org *oktasim.Org) mutation {
	t.Helper()
	var m mutation
	users := org.Users()
	for _, u := range users {
		switch {
		case u.Status == oktasim.StatusActive && m.updated == "":
			m.updated = u.ID
		case u.Status == oktasim.StatusActive && m.deactivated == "":
			m.deactivated = u.ID
		case u.Status == oktasim.StatusDeprovisioned && m.deleted == "":
			m.deleted = u.ID
		}
	}
	for _, g := range org.Groups() {
		for _, u := range g.Members {
			if u == m.deleted {
				m.deletedGroups = append(m.deletedGroups, g.ID)
			}
		}
		if g.Type == "OKTA_GROUP" && m.group == "" {
			for _, u := range g.Members {
				if u != m.deleted && u != m.updated && u != m.deactivated {
					m.group, m.member = g.ID, u
					break
				}
			}
		}
	}
	for _, a := range org.Apps() {
		for _, u := range org.AppUserIDs(a.ID) {
			if u == m.deleted {
				m.deletedApps = append(m.deletedApps, a.ID)
			}
		}
	}
	if m.updated == "" || m.deactivated == "" || m.deleted == "" || m.group == "" {
		t.Fatalf("the org lacks a user or membership to mutate: %+v", m)
	}
	s := w.sim
	s.Admin(t, 0, http.MethodPost, "/_sim/users/"+m.updated,
		map[string]any{"profile": map[string]any{"title": "Pipeline Tester"}}, nil)
	s.Admin(t, 0, http.MethodPost, "/_sim/users/"+m.deactivated+"/deactivate", nil, nil)
	var del struct{ Deleted bool }
	s.Admin(t, 0, http.MethodDelete, "/_sim/users/"+m.deleted, nil, &del)
	if !del.Deleted {
		t.Fatalf("deleting deprovisioned user %s: got deleted false, want true", m.deleted)
	}
	s.Admin(t, 0, http.MethodDelete, "/_sim/groups/"+m.group+"/users/"+m.member, nil, nil)
	for range 3 {
		var ev struct{ UUID string }
		s.Admin(t, 0, http.MethodPost, "/_sim/events",
			map[string]any{"eventType": "user.session.start", "actorId": m.updated}, &ev)
		m.events = append(m.events, ev.UUID)
	}
	return m
}

// checkChanges asserts that the second run published exactly the changes:
// the update, the deactivation as DEPROVISIONED, tombstones for the deleted
// user and every membership and assignment that ended, the new events
// once each and none from before; no app, org or marker record.
func checkChanges(t *testing.T, w world, m mutation, got, first pipelinetest.Topics,
	newEvents int) {
	t.Helper()
	tn := w.tenant
	wantTombs := map[string]map[string]bool{
		schemas.Employees:      set(key(tn, m.deleted)),
		schemas.GroupMembers:   set(key(tn, m.group, m.member)),
		schemas.AppAssignments: {},
	}
	for _, g := range m.deletedGroups {
		wantTombs[schemas.GroupMembers][key(tn, g, m.deleted)] = true
	}
	for _, a := range m.deletedApps {
		wantTombs[schemas.AppAssignments][key(tn, a, m.deleted)] = true
	}
	for s, want := range wantTombs {
		upserts, tombs := got.Keys(s)
		if diff := cmp.Diff(want, tombs); diff != "" {
			t.Errorf("%s tombstones (-want +got):\n%s", s, diff)
		}
		if s != schemas.Employees && len(upserts) > 0 {
			t.Errorf("%s: got upserts %v, want none", s, upserts)
		}
	}
	checkEmployees(t, tn, m, got)
	for _, s := range []string{schemas.Apps, schemas.Organizations, schemas.SyncMarkers} {
		if len(got[s]) > 0 {
			t.Errorf("%s: got %d records, want none", s, len(got[s]))
		}
	}
	changed := set(m.group)
	for _, g := range m.deletedGroups {
		changed[g] = true
	}
	upserts, _ := got.Keys(schemas.Groups)
	for k := range upserts {
		if !changed[k[len(tn)+1:]] {
			t.Errorf("groups: got %s, a group that did not change", k)
		}
	}
	checkNewEvents(t, m, got, first, newEvents)
}

// checkEmployees: the updated user with its new title, the deactivated one
// as DEPROVISIONED, each once, and the deleted user's tombstone once.
func checkEmployees(t *testing.T, tenant string, m mutation, got pipelinetest.Topics) {
	t.Helper()
	var keys []string
	for _, r := range got[schemas.Employees] {
		keys = append(keys, r.Key)
		e, ok := r.Value.(*schemas.Employee)
		switch {
		case !ok:
		case e.ID == m.updated && (e.Title == nil || *e.Title != "Pipeline Tester"):
			t.Errorf("updated user %s: got title %v, want Pipeline Tester", e.ID, e.Title)
		case e.ID == m.deactivated && e.Status != oktasim.StatusDeprovisioned:
			t.Errorf("deactivated user %s: got status %s, want %s", e.ID, e.Status,
				oktasim.StatusDeprovisioned)
		}
	}
	want := set(key(tenant, m.updated), key(tenant, m.deactivated), key(tenant, m.deleted))
	if diff := cmp.Diff(want, set(keys...)); diff != "" || len(keys) != len(want) {
		t.Errorf("employees: got records %v, want one each of %v (-want +got):\n%s", keys,
			want, diff)
	}
}

// checkNewEvents: every event the mutations wrote and the ones added, each
// once, none published by the first run.
func checkNewEvents(t *testing.T, m mutation, got, first pipelinetest.Topics, n int) {
	t.Helper()
	uuids := got.EventUUIDs()
	old := first.EventUUIDs()
	for u, c := range uuids {
		if c > 1 || old[u] > 0 {
			t.Errorf("event %s: published %d times now and %d before, want once", u, c, old[u])
		}
	}
	if len(uuids) != n {
		t.Errorf("activity: got %d new events, want %d (the log grew by that)", len(uuids), n)
	}
	for _, u := range m.events {
		if uuids[u] != 1 {
			t.Errorf("added event %s: published %d times, want once", u, uuids[u])
		}
	}
}

var (
	memberList = regexp.MustCompile(`^/api/v1/groups/([^/?]+)/users`)
	appUsers   = regexp.MustCompile(`^/api/v1/apps/([^/?]+)/users`)
)

// checkRequests: by the simulator's log of the second run, member lists
// only of groups whose membership changed, and no app's users (no app
// changed: the deletion's assignments end with the user, DESIGN.md §4).
func checkRequests(t *testing.T, m mutation, reqs []oktasim.Request) {
	t.Helper()
	changed := set(append([]string{m.group}, m.deletedGroups...)...)
	if len(reqs) == 0 {
		t.Fatalf("the simulator logged no request of the second run")
	}
	for _, r := range reqs {
		if g := memberList.FindStringSubmatch(r.Path); g != nil && !changed[g[1]] {
			t.Errorf("request %s %s: member list of unchanged group %s", r.Method, r.Path, g[1])
		}
		if a := appUsers.FindStringSubmatch(r.Path); a != nil {
			t.Errorf("request %s %s: users of unchanged app %s", r.Method, r.Path, a[1])
		}
	}
}

func keysOf(m map[string]int) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
