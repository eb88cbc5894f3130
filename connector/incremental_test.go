package connector

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/schemas"
)

// published is one record reduced to what the incremental tests compare.
type published struct {
	Stream, Key string
	Status      string // employees: the status published
	Tombstone   bool
}

func summarize(recs []Record, stream string) []published {
	var out []published
	for _, r := range recs {
		if r.Stream != stream {
			continue
		}
		p := published{Stream: r.Stream, Key: r.Key, Tombstone: r.Value == nil}
		if e, ok := r.Value.(schemas.Employee); ok {
			p.Status = e.Status
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func TestIncrementalPublishesOnlyChanges(t *testing.T) {
	s := newSimEngine(t, oktasim.OrgConfig{Seed: 2, Users: 200, Groups: 10, Apps: 5,
		Events: 300})
	s.syncOnce(t)
	seenEvents := eventUUIDs(s.rec.take())
	org := s.org
	before := ownerStates(org)

	users := activeUsers(org)
	updated, deactivated, deleted, member := users[0], users[1], users[2], users[3]
	group := groupOf(t, org, member, deleted)
	must(t, org.UpdateUser(updated, map[string]any{"title": "Chief Tester"}))
	must(t, org.DeactivateUser(deactivated))
	must(t, org.DeactivateUser(deleted))
	if gone, err := org.DeleteUser(deleted); err != nil || !gone {
		t.Fatalf("deleting user: got %v, %v; want deleted", gone, err)
	}
	must(t, org.RemoveGroupMember(group, member))
	org.ResetRequests()

	s.syncOnce(t)
	recs := s.rec.take()

	wantEmployees := []published{
		{StreamEmployees, EntityKey("sim", updated), "ACTIVE", false},
		{StreamEmployees, EntityKey("sim", deactivated), "DEPROVISIONED", false},
		{StreamEmployees, EntityKey("sim", deleted), "", true},
	}
	sortPublished(wantEmployees)
	if diff := cmp.Diff(wantEmployees, summarize(recs, StreamEmployees)); diff != "" {
		t.Errorf("employees of the second pass (-want +got):\n%s", diff)
	}
	memberTomb := published{StreamGroupMembers, PairKey("sim", group, member), "", true}
	var upserts int
	var foundMember bool
	for _, p := range summarize(recs, StreamGroupMembers) {
		foundMember = foundMember || p == memberTomb
		if !p.Tombstone {
			upserts++
		}
	}
	if !foundMember || upserts != 0 {
		t.Errorf("group_members: tombstone of %s found %v, upserts %d; want found, 0",
			memberTomb.Key, foundMember, upserts)
	}
	// Every activity record is an event the first pass did not publish, once.
	counted := map[string]int{}
	for _, r := range recs {
		if e, ok := r.Value.(schemas.ActivityEvent); ok {
			counted[e.UUID]++
			if seenEvents[e.UUID] {
				t.Errorf("event %s (%s) published again", e.UUID, e.EventType)
			}
		}
	}
	for uuid, n := range counted {
		if n != 1 {
			t.Errorf("event %s published %d times in one pass, want 1", uuid, n)
		}
	}
	if len(counted) == 0 {
		t.Error("second pass published no events; the mutations wrote some")
	}
	checkListCalls(t, org, changedOwners(before, ownerStates(org)))
}

// ownerStates describes each group by its lastMembershipUpdated and each
// app by its assigned users, so that two calls tell which changed.
func ownerStates(org *oktasim.Org) map[string]string {
	out := map[string]string{}
	for _, g := range org.Groups() {
		out[g.ID] = g.LastMembershipUpdated.String()
	}
	for _, a := range org.Apps() {
		out[a.ID] = strings.Join(org.AppUserIDs(a.ID), ",")
	}
	return out
}

func changedOwners(before, after map[string]string) map[string]bool {
	out := map[string]bool{}
	for id, state := range after {
		if before[id] != state {
			out[id] = true
		}
	}
	return out
}

// checkListCalls fails on a member-list or app-user call for a group or
// app not in changed.
func checkListCalls(t *testing.T, org *oktasim.Org, changed map[string]bool) {
	t.Helper()
	list := regexp.MustCompile(`^/api/v1/(groups|apps)/([^/?]+)/users`)
	for _, r := range org.Requests() {
		m := list.FindStringSubmatch(r.Path)
		if m == nil || changed[m[2]] {
			continue
		}
		t.Errorf("unchanged %s %s listed: %s %s", m[1], m[2], r.Method, r.Path)
	}
}

// activeUsers returns the ids of ACTIVE users, in the org's order.
func activeUsers(org *oktasim.Org) []string {
	var ids []string
	for _, u := range org.Users() {
		if u.Status == "ACTIVE" {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

// groupOf returns an OKTA_GROUP that has member and not other.
func groupOf(t *testing.T, org *oktasim.Org, member, other string) string {
	t.Helper()
	for _, g := range org.Groups() {
		if g.Type != "OKTA_GROUP" {
			continue
		}
		has := map[string]bool{}
		for _, id := range g.Members {
			has[id] = true
		}
		if has[member] && !has[other] {
			return g.ID
		}
	}
	t.Fatalf("no OKTA_GROUP holds user %s without %s", member, other)
	return ""
}

// eventUUIDs returns the uuids of the activity records among recs.
func eventUUIDs(recs []Record) map[string]bool {
	out := map[string]bool{}
	for _, r := range recs {
		if e, ok := r.Value.(schemas.ActivityEvent); ok {
			out[e.UUID] = true
		}
	}
	return out
}

func sortPublished(p []published) {
	sort.Slice(p, func(i, j int) bool { return p[i].Key < p[j].Key })
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
