package oktasim

import (
	"slices"
	"strings"
)

// A user holds an app when assigned to it directly (scope USER) or through
// a member group assigned to it (scope GROUP, API.md §6.3). A change to a
// group's members, to an app's groups or a new user joining Everyone can
// give or take a group-derived assignment; the simulator then writes
// application.user_membership.add or .remove (API.md §6.3 and §8.6) for
// each app and user whose assignment appears or disappears, in the same
// transaction as the change's own event, with the same admin as actor.
// That is what lets a client that re-lists an app on app membership events
// see the change within a poll. A user who keeps the app (also assigned
// directly, or through another group still assigned) gets no event. A
// deleted user's assignments end with it, told by
// user.lifecycle.delete.completed alone (DeleteUser).

// holds reports whether userID is assigned to a, directly or through a
// group; callers hold o.mu.
func (o *Org) holds(a *app, userID string) bool {
	if _, ok := slices.BinarySearchFunc(a.users, userID, byUserID); ok {
		return true
	}
	for _, ga := range a.groups {
		if g := o.groupBy[ga.groupID]; g != nil {
			if _, ok := slices.BinarySearch(g.members, userID); ok {
				return true
			}
		}
	}
	return false
}

func byUserID(as assignment, id string) int { return strings.Compare(as.userID, id) }

func byGroupID(ga groupAssignment, id string) int { return strings.Compare(ga.groupID, id) }

// accessWatch remembers, before a change, which of some (app, user) pairs
// held, so that after it the app membership events can be written.
type accessWatch struct {
	o     *Org
	pairs []accessPair
}

type accessPair struct {
	a   *app
	u   *user
	had bool
}

// watchAccess notes whether each user in us holds each app in as.
func (o *Org) watchAccess(as []*app, us []*user) *accessWatch {
	w := &accessWatch{o: o, pairs: make([]accessPair, 0, len(as)*len(us))}
	for _, a := range as {
		for _, u := range us {
			w.pairs = append(w.pairs, accessPair{a, u, o.holds(a, u.id)})
		}
	}
	return w
}

// record writes, in t, application.user_membership.add or .remove for each
// watched pair whose assignment the change made or ended.
func (w *accessWatch) record(t *txn) {
	for _, p := range w.pairs {
		has := w.o.holds(p.a, p.u.id)
		switch {
		case has && !p.had:
			t.record("application.user_membership.add", appRef(p.a), userRef(p.u))
		case !has && p.had:
			t.record("application.user_membership.remove", appRef(p.a), userRef(p.u))
		}
	}
}

// groupApps returns the apps a group is assigned to, in id order.
func (o *Org) groupApps(groupID string) []*app {
	var out []*app
	for _, a := range o.apps {
		if _, ok := slices.BinarySearchFunc(a.groups, groupID, byGroupID); ok {
			out = append(out, a)
		}
	}
	return out
}

// usersOf returns the users behind ids, skipping unknown ones.
func (o *Org) usersOf(ids []string) []*user {
	out := make([]*user, 0, len(ids))
	for _, id := range ids {
		if u := o.userByID[id]; u != nil {
			out = append(out, u)
		}
	}
	return out
}
