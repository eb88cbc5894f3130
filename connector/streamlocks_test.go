package connector

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// pickMembership returns an OKTA_GROUP with an active member and an
// active user outside it.
func pickMembership(t *testing.T, org *oktasim.Org) (group, member, other string) {
	t.Helper()
	active := activeUsers(org)
	for _, g := range org.Groups() {
		if g.Type != "OKTA_GROUP" {
			continue
		}
		for _, id := range active {
			if !slices.Contains(g.Members, id) {
				other = id
			} else if member == "" {
				member = id
			}
		}
		if member != "" && other != "" {
			return g.ID, member, other
		}
		member, other = "", ""
	}
	t.Fatal("no OKTA_GROUP with an active member and an active non-member")
	return "", "", ""
}

// TestRefreshWaitsForRunningGroupsListing deletes a user and adds another
// to a group while a full groups listing runs and is held at that group's
// members. The System Log's refresh of the deletion writes the groups'
// sets too: it must wait for the listing, publish after the listing's last
// batch, and leave the group's set as Okta has it.
func TestRefreshWaitsForRunningGroupsListing(t *testing.T) {
	org := newOrg(t, oktasim.OrgConfig{Seed: 5, Users: 40, Groups: 4, Apps: 2, Events: 30})
	group, gone, added := pickMembership(t, org)
	g := newGate("/api/v1/groups/" + group + "/users")
	tenant := serveOrg(t, "locks", org, g.wrap)
	t.Cleanup(g.release)
	pub := &orderPublisher{memPublisher: newMemPublisher(t)}
	e := NewEngine(EngineConfig{Tenants: []Tenant{tenant}, Store: pub.store, Publisher: pub,
		Logger: discard()})
	syncWithin(t, e)

	must(t, org.AddGroupMember(group, added))
	must(t, org.DeactivateUser(gone))
	if deleted, err := org.DeleteUser(gone); err != nil || !deleted {
		t.Fatalf("deleting user: got %v, %v; want deleted", deleted, err)
	}
	g.arm()
	mark := pub.len()
	ctx := context.Background()
	relist := tenant
	relist.Reconcile = time.Nanosecond // a full listing, now
	groupsDone, activityDone := make(chan StreamResult, 1), make(chan StreamResult, 1)
	go func() { groupsDone <- e.runStream(ctx, relist, StreamGroups, e.slots) }()
	receive(t, g.reached, "the groups listing at the held group")
	go func() { activityDone <- e.runStream(ctx, tenant, StreamActivity, e.slots) }()

	// The refresh holds the employees lock, the first in lockOrder, while
	// it waits for the groups one.
	employees := e.lockOf(tenant.ID, StreamEmployees)
	waitFor(t, "the refresh to take the employees lock", func() bool {
		if employees.tryLock() {
			employees.unlock()
			return false
		}
		return true
	})
	select {
	case r := <-activityDone:
		t.Fatalf("activity ended (error %v) while the groups listing ran", r.Err)
	default:
	}
	g.release()
	for name, done := range map[string]chan StreamResult{"groups": groupsDone,
		"activity": activityDone} {
		if r := receive(t, done, name+" run"); r.Err != nil {
			t.Fatalf("%s: %v", name, r.Err)
		}
	}

	listed := pub.last(mark, savesCheckpoint(StreamGroups))
	refreshed := pub.last(mark, func(b Batch) bool {
		return slices.ContainsFunc(b.Records, func(r Record) bool {
			return r.Stream == StreamEmployees && r.Key == EntityKey("locks", gone) &&
				r.Value == nil
		})
	})
	if listed < 0 || refreshed < 0 || refreshed < listed {
		t.Errorf("got the listing's last batch at %d and the deletion's at %d, want the "+
			"deletion after the listing", listed, refreshed)
	}
	var want []string
	for _, og := range org.Groups() {
		if og.ID == group {
			want = og.Members
		}
	}
	key := checkpoint.SetKey{Tenant: "locks", Stream: StreamGroupMembers, Owner: group}
	got, err := pub.store.LoadSet(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("members of %s (-okta +stored):\n%s", group, diff)
	}
	users, err := pub.store.LoadSet(ctx, checkpoint.SetKey{Tenant: "locks",
		Stream: StreamEmployees})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(users, gone) {
		t.Errorf("got deleted user %s in the set of users, want it dropped", gone)
	}
}

// TestNoDeadlockWithOneSlot runs tenants whose System Log refreshes need
// every entity lock, with one slot for all. An entity run holds its lock
// while it queues for the slot; a refresh that waited for that lock while
// holding the slot would wait forever.
func TestNoDeadlockWithOneSlot(t *testing.T) {
	var tenants []Tenant
	var orgs []*oktasim.Org
	for i := range 3 {
		org := newOrg(t, oktasim.OrgConfig{Seed: uint64(20 + i), Users: 30, Groups: 3,
			Apps: 2, Events: 20})
		orgs = append(orgs, org)
		tenants = append(tenants, serveOrg(t, fmt.Sprintf("t%d", i), org, nil))
	}
	pub := newMemPublisher(t)
	cfg := EngineConfig{Tenants: tenants, Store: pub.store, Publisher: pub,
		MaxConcurrentTenants: 1, Logger: discard()}
	syncWithin(t, NewEngine(cfg))
	for _, org := range orgs {
		group, gone, added := pickMembership(t, org)
		must(t, org.AddGroupMember(group, added))
		must(t, org.DeactivateUser(gone))
		if _, err := org.DeleteUser(gone); err != nil {
			t.Fatal(err)
		}
	}

	// Hold the only slot until every org run queued for it, so the runs
	// of the cycle queue behind one another in no set order.
	e := NewEngine(cfg)
	hold, err := e.slots.take(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for queued(e.slots) < len(tenants) {
			time.Sleep(time.Millisecond)
		}
		hold.end()
	}()
	res := syncWithin(t, e)
	if got, want := len(res), 5*len(tenants); got != want {
		t.Errorf("got %d results, want %d", got, want)
	}
	for i := range tenants {
		k := checkpoint.SetKey{Tenant: fmt.Sprintf("t%d", i), Stream: StreamEmployees}
		users, err := pub.store.LoadSet(context.Background(), k)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != len(orgs[i].Users()) {
			t.Errorf("tenant t%d: got %d known users, want %d (the deletion refreshed)",
				i, len(users), len(orgs[i].Users()))
		}
	}
}

// TestCollectTargetsAgainstListings checks which events need a refresh,
// and so which locks, given the entity streams' listings.
func TestCollectTargetsAgainstListings(t *testing.T) {
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	event := func(typ, targetType, id string) okta.LogEvent {
		return okta.LogEvent{EventType: typ, Published: at,
			Target: []okta.LogTarget{{Type: targetType, ID: id}}}
	}
	deactivated := event("user.lifecycle.deactivate", "User", "00u1")
	deleted := event(userDeletedEvent, "User", "00u2")
	joined := event("group.user_membership.add", "UserGroup", "00g1")
	listing := func(start time.Time) checkpoint.Checkpoint {
		return checkpoint.Checkpoint{LastFullSync: at.Add(-24 * time.Hour),
			Snapshot: &checkpoint.Snapshot{StartedAt: start}}
	}
	done := func(last time.Time) checkpoint.Checkpoint {
		return checkpoint.Checkpoint{LastFullSync: last}
	}
	tests := []struct {
		name   string
		cps    map[string]checkpoint.Checkpoint
		events []okta.LogEvent
		want   []string // tg.streams()
	}{
		{"never listed, not listing", map[string]checkpoint.Checkpoint{
			StreamEmployees: {}, StreamGroups: {}}, []okta.LogEvent{deactivated, joined}, nil},
		{"before the listing in progress", map[string]checkpoint.Checkpoint{
			StreamEmployees: listing(at.Add(time.Hour))},
			[]okta.LogEvent{deactivated, deleted}, nil},
		{"after the listing in progress", map[string]checkpoint.Checkpoint{
			StreamEmployees: listing(at.Add(-time.Hour))},
			[]okta.LogEvent{deactivated}, []string{StreamEmployees}},
		{"inside the overlap before the listing's start", map[string]checkpoint.Checkpoint{
			StreamEmployees: listing(at.Add(time.Minute))},
			[]okta.LogEvent{deactivated}, []string{StreamEmployees}},
		{"deletion after the last listing", map[string]checkpoint.Checkpoint{
			StreamEmployees: done(at.Add(-time.Hour))}, []okta.LogEvent{deleted},
			[]string{StreamEmployees, StreamGroups, StreamApps}},
		{"membership before the groups listing in progress",
			map[string]checkpoint.Checkpoint{StreamGroups: listing(at.Add(time.Hour))},
			[]okta.LogEvent{joined}, nil},
		{"membership after the last groups listing", map[string]checkpoint.Checkpoint{
			StreamGroups: done(at.Add(-time.Hour)), StreamEmployees: done(at.Add(time.Hour))},
			[]okta.LogEvent{joined, deactivated}, []string{StreamGroups}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := &tenantRun{opts: Options{}.withDefaults(), log: discard()}
			got := tr.collectTargets(tc.events, tc.cps).streams()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("streams to lock (-want +got):\n%s", diff)
			}
		})
	}
}
