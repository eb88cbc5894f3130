package oktasim

import (
	"iter"
	"slices"
	"time"
)

// User is a read-only view of one user, for assertions.
type User struct {
	ID          string
	Status      string
	Login       string
	Created     time.Time
	LastUpdated time.Time
	Profile     map[string]any // values: string, float64, bool, nil, []string
}

// Group is a read-only view of one group and its members.
type Group struct {
	ID                    string
	Type                  string // OKTA_GROUP, APP_GROUP or BUILT_IN
	Name                  string
	LastUpdated           time.Time
	LastMembershipUpdated time.Time
	Members               []string // user ids, sorted
}

// App is a read-only view of one app and its assignments.
type App struct {
	ID, Name, Label, Status, SignOnMode string
	LastUpdated                         time.Time
	Users                               []string // direct assignments (scope USER), sorted
	Groups                              []string // assigned groups, sorted
}

// Event is a read-only view of one System Log event.
type Event struct {
	UUID      string
	EventType string
	Published time.Time
	Persisted time.Time
	ActorID   string
	TargetIDs []string
	Cursor    string // the after value that resumes right after it
}

// OrgInfo is a read-only view of the org's settings.
type OrgInfo struct {
	ID, Subdomain, CompanyName, CustomDomain string
}

func viewUser(u *user) User {
	return User{ID: u.id, Status: u.status, Login: u.profile.str("login"),
		Created: u.created, LastUpdated: u.lastUpdated, Profile: u.profile.toMap()}
}

// Users returns every user of every status, in id order.
func (o *Org) Users() []User {
	o.mu.RLock()
	defer o.mu.RUnlock()
	out := make([]User, len(o.users))
	for i, u := range o.users {
		out[i] = viewUser(u)
	}
	return out
}

// User returns one user by id.
func (o *Org) User(id string) (User, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	u := o.userByID[id]
	if u == nil {
		return User{}, false
	}
	return viewUser(u), true
}

// Groups returns every group with its members, in id order.
func (o *Org) Groups() []Group {
	o.mu.RLock()
	defer o.mu.RUnlock()
	out := make([]Group, len(o.groups))
	for i, g := range o.groups {
		out[i] = Group{ID: g.id, Type: g.typ, Name: g.profile.str("name"),
			LastUpdated: g.lastUpdated, LastMembershipUpdated: g.lastMembershipUpdated,
			Members: slices.Clone(g.members)}
	}
	return out
}

// Apps returns every app, ACTIVE and INACTIVE, with its assignments.
func (o *Org) Apps() []App {
	o.mu.RLock()
	defer o.mu.RUnlock()
	out := make([]App, len(o.apps))
	for i, a := range o.apps {
		v := App{ID: a.id, Name: a.name, Label: a.label, Status: a.status,
			SignOnMode: a.signOnMode, LastUpdated: a.lastUpdated}
		for _, as := range a.users {
			v.Users = append(v.Users, as.userID)
		}
		for _, ga := range a.groups {
			v.Groups = append(v.Groups, ga.groupID)
		}
		out[i] = v
	}
	return out
}

// AppUserIDs returns every user assigned to an app, directly or through
// a group, sorted; what /api/v1/apps/{id}/users lists.
func (o *Org) AppUserIDs(appID string) []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	a := o.appBy[appID]
	if a == nil {
		return nil
	}
	var ids []string
	for after := ""; ; {
		page := o.appUsersAfter(a, after, 1000)
		if len(page) == 0 {
			return ids
		}
		for _, au := range page {
			ids = append(ids, au.userID)
		}
		after = page[len(page)-1].userID
	}
}

// Info returns the org's identity.
func (o *Org) Info() OrgInfo {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return OrgInfo{ID: o.info.id, Subdomain: o.info.subdomain,
		CompanyName: o.info.companyName, CustomDomain: o.info.customDomain}
}

// Events yields the System Log in persistence order, including generated
// events the clock has not reached yet (their Persisted is in the
// future). It holds the org's read lock while iterating: do not mutate
// the org from inside the loop.
func (o *Org) Events() iter.Seq[Event] {
	return func(yield func(Event) bool) {
		o.mu.RLock()
		defer o.mu.RUnlock()
		far := time.Unix(1<<40, 0)
		for c := (cursor{}); ; {
			e := o.log.next(&c, far)
			if e == nil || !yield(e.view()) {
				return
			}
		}
	}
}

// EventCount returns how many events the System Log holds, visible or not.
func (o *Org) EventCount() int {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.log.n + len(o.log.extra)
}

func (e *event) view() Event {
	v := Event{UUID: e.uuid, EventType: e.typ.name, Published: e.published,
		Persisted: e.persisted, ActorID: e.actor.id, Cursor: e.key.String()}
	for _, t := range e.targets {
		v.TargetIDs = append(v.TargetIDs, t.id)
	}
	return v
}
