package oktasim

import (
	"fmt"
	"slices"
)

// Mutation event types for group assignments to apps (API.md §8.6,
// Groups); like evDeleteInitiated, the generator never draws them.
var (
	evGroupAppAdd = &eventType{name: "group.application_assignment.add",
		display: "Add assigned application to group", targets: "group", severity: "INFO"}
	evGroupAppRemove = &eventType{name: "group.application_assignment.remove",
		display: "Remove assigned application from group", targets: "group", severity: "INFO"}
)

// AssignAppGroup assigns a group to an app (API.md §6.4) and writes
// group.application_assignment.add, then application.user_membership.add
// for each member who did not hold the app before (appaccess.go). The new
// assignment takes the lowest priority. Any group type may be assigned, as
// Everyone is in generated orgs.
func (o *Org) AssignAppGroup(appID, groupID string) error {
	return o.appGroup(appID, groupID, true)
}

// UnassignAppGroup removes a group's assignment to an app and writes
// group.application_assignment.remove, then
// application.user_membership.remove for each member left without the app.
func (o *Org) UnassignAppGroup(appID, groupID string) error {
	return o.appGroup(appID, groupID, false)
}

func (o *Org) appGroup(appID, groupID string, add bool) error {
	o.lockDirectory()
	defer o.mu.Unlock()
	a, g := o.appBy[appID], o.groupBy[groupID]
	if a == nil || g == nil {
		return fmt.Errorf("changing assignment of group %s to %s: %w", groupID, appID,
			ErrNotFound)
	}
	i, found := slices.BinarySearchFunc(a.groups, groupID, byGroupID)
	if add == found {
		return fmt.Errorf("changing assignment of group %s to %s: unchanged: %w", groupID,
			appID, ErrConflict)
	}
	w := o.watchAccess([]*app{a}, o.usersOf(g.members))
	typ := evGroupAppRemove.name
	if add {
		priority := 0
		for _, ga := range a.groups {
			priority = max(priority, ga.priority+1)
		}
		a.groups = slices.Insert(a.groups, i, groupAssignment{groupID, priority, o.stamp()})
		typ = evGroupAppAdd.name
	} else {
		a.groups = slices.Delete(a.groups, i, i+1)
	}
	t := o.begin()
	t.record(typ, appRef(a), groupRef(g))
	w.record(t)
	return nil
}
