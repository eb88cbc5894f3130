package oktasim

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Errors the mutation methods return; the admin API maps them to 404 and
// 409.
var (
	// ErrNotFound means the user, group or app does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change is not allowed in the current state.
	ErrConflict = errors.New("conflict with current state")
)

// UserInput describes a new user.
type UserInput struct {
	// Profile needs login and email; values are string, float64, bool,
	// nil or []string.
	Profile map[string]any
	// Status is the initial status; default ACTIVE.
	Status string
}

// EventInput describes a System Log event to add.
type EventInput struct {
	EventType string
	// Published defaults to now; an earlier time makes a late arrival: an
	// event published before events already served (API.md §8.2).
	Published time.Time
	ActorID   string   // a user id; default the org's admin
	TargetIDs []string // user, group or app ids
	Failure   string   // an outcome reason; empty means SUCCESS
}

// lockDirectory takes the write lock for a change to users, groups or
// apps, and makes every cached rendering stale (cache.go).
func (o *Org) lockDirectory() {
	o.mu.Lock()
	o.cache.invalidate()
}

// stamp is "now" for directory timestamps, which Okta keeps at second
// precision (API.md §4.3).
func (o *Org) stamp() time.Time { return o.now().Truncate(time.Second) }

// CreateUser adds a user and writes user.lifecycle.create. It returns the
// new id.
func (o *Org) CreateUser(in UserInput) (string, error) {
	p, err := toProfile(in.Profile)
	if err != nil {
		return "", fmt.Errorf("creating user: %w", err)
	}
	if p.str("login") == "" || p.str("email") == "" {
		return "", fmt.Errorf("creating user: profile needs login and email: %w", ErrConflict)
	}
	st := in.Status
	if st == "" {
		st = StatusActive
	}
	if !slices.Contains(AllStatuses, st) || st == StatusDeprovisioned {
		return "", fmt.Errorf("creating user with status %q: %w", st, ErrConflict)
	}
	o.lockDirectory()
	defer o.mu.Unlock()
	for _, u := range o.users {
		if strings.EqualFold(u.profile.str("login"), p.str("login")) {
			return "", fmt.Errorf("creating user %q: login taken: %w", p.str("login"), ErrConflict)
		}
	}
	now := o.stamp()
	u := &user{id: o.newID("00u"), status: st, created: now, lastUpdated: now,
		statusChanged: now, profile: p, typeID: o.typeID}
	if st != StatusStaged {
		u.activated = now
	}
	// Joining Everyone may give apps assigned to it (appaccess.go).
	w := o.watchAccess(o.apps, []*user{u})
	o.insertUser(u)
	for _, g := range o.groups {
		if g.typ == "BUILT_IN" {
			g.members = insertSorted(g.members, u.id)
			g.lastMembershipUpdated = now
		}
	}
	t := o.begin()
	t.record("user.lifecycle.create", userRef(u))
	w.record(t)
	return u.id, nil
}

func (o *Org) newID(prefix string) string {
	o.rngMu.Lock()
	defer o.rngMu.Unlock()
	for {
		b := []byte(prefix)
		for range 14 {
			b = append(b, idChars[o.rng.IntN(len(idChars))])
		}
		id := string(b) + "0g7"
		if o.userByID[id] == nil && o.groupBy[id] == nil && o.appBy[id] == nil {
			return id
		}
	}
}

func (o *Org) insertUser(u *user) {
	i := sort.Search(len(o.users), func(i int) bool { return o.users[i].id >= u.id })
	o.users = slices.Insert(o.users, i, u)
	o.userByID[u.id] = u
}

func insertSorted(xs []string, x string) []string {
	i, found := slices.BinarySearch(xs, x)
	if found {
		return xs
	}
	return slices.Insert(xs, i, x)
}

func removeSorted(xs []string, x string) ([]string, bool) {
	i, found := slices.BinarySearch(xs, x)
	if !found {
		return xs, false
	}
	return slices.Delete(xs, i, i+1), true
}

// toProfile converts JSON-ish values to profile attributes.
func toProfile(m map[string]any) (profile, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var p profile
	for _, k := range keys {
		v, err := attrValue(m[k])
		if err != nil {
			return nil, fmt.Errorf("profile attribute %q: %w", k, err)
		}
		p = append(p, attr{k, v})
	}
	return p, nil
}

func attrValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, float64, bool, []string:
		return x, nil
	case int:
		return float64(x), nil
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, errors.New("arrays must hold strings")
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported value type %T", v)
}

// UpdateUser sets profile attributes (nil sets null) and writes
// user.account.update_profile; lastUpdated moves (API.md §4.3).
func (o *Org) UpdateUser(id string, changes map[string]any) error {
	p, err := toProfile(changes)
	if err != nil {
		return fmt.Errorf("updating user %s: %w", id, err)
	}
	o.lockDirectory()
	defer o.mu.Unlock()
	u := o.userByID[id]
	if u == nil {
		return fmt.Errorf("updating user %s: %w", id, ErrNotFound)
	}
	for _, a := range p {
		u.profile.set(a.name, a.value)
	}
	u.lastUpdated = o.stamp()
	o.record("user.account.update_profile", userRef(u))
	return nil
}

// DeactivateUser moves a user to DEPROVISIONED and writes
// user.lifecycle.deactivate (API.md §4.6).
func (o *Org) DeactivateUser(id string) error {
	o.lockDirectory()
	defer o.mu.Unlock()
	return o.deactivate(id)
}

func (o *Org) deactivate(id string) error {
	u := o.userByID[id]
	if u == nil {
		return fmt.Errorf("deactivating user %s: %w", id, ErrNotFound)
	}
	if u.status == StatusDeprovisioned {
		return fmt.Errorf("deactivating user %s: already deprovisioned: %w", id, ErrConflict)
	}
	now := o.stamp()
	u.status, u.statusChanged, u.lastUpdated = StatusDeprovisioned, now, now
	o.record("user.lifecycle.deactivate", userRef(u))
	return nil
}

// DeleteUser mirrors DELETE /api/v1/users/{id} (API.md §4.6): a user not
// yet DEPROVISIONED is only deactivated (deleted false); a DEPROVISIONED
// one is deleted from every list and membership, with
// user.lifecycle.delete.initiated and .completed.
func (o *Org) DeleteUser(id string) (deleted bool, err error) {
	o.lockDirectory()
	defer o.mu.Unlock()
	u := o.userByID[id]
	if u == nil {
		return false, fmt.Errorf("deleting user %s: %w", id, ErrNotFound)
	}
	if u.status != StatusDeprovisioned {
		return false, o.deactivate(id)
	}
	// The user's assignments end with it, without app membership events:
	// user.lifecycle.delete.completed already says so, and a client that
	// re-listed each of the user's apps would spend the apps bucket, Okta's
	// tightest (API.md §0), on what it knows.
	t := o.begin()
	t.record(evDeleteInitiated.name, userRef(u))
	i := sort.Search(len(o.users), func(i int) bool { return o.users[i].id >= id })
	o.users = slices.Delete(o.users, i, i+1)
	delete(o.userByID, id)
	now := o.stamp()
	for _, g := range o.groups {
		var ok bool
		if g.members, ok = removeSorted(g.members, id); ok {
			g.lastMembershipUpdated = now
		}
	}
	for _, a := range o.apps {
		a.users = slices.DeleteFunc(a.users, func(as assignment) bool { return as.userID == id })
	}
	t.record(evDeleteCompleted.name, userRef(u))
	return true, nil
}

// AddGroupMember adds a user to an OKTA_GROUP and writes
// group.user_membership.add; lastMembershipUpdated moves (API.md §5.1).
func (o *Org) AddGroupMember(groupID, userID string) error {
	return o.membership(groupID, userID, true)
}

// RemoveGroupMember removes a user from an OKTA_GROUP and writes
// group.user_membership.remove.
func (o *Org) RemoveGroupMember(groupID, userID string) error {
	return o.membership(groupID, userID, false)
}

func (o *Org) membership(groupID, userID string, add bool) error {
	o.lockDirectory()
	defer o.mu.Unlock()
	g, u := o.groupBy[groupID], o.userByID[userID]
	if g == nil || u == nil {
		return fmt.Errorf("changing membership of %s in %s: %w", userID, groupID, ErrNotFound)
	}
	if g.typ != "OKTA_GROUP" {
		// Only Okta-managed groups take membership changes (API.md §5.1).
		return fmt.Errorf("changing membership of %s group %s: %w", g.typ, groupID, ErrConflict)
	}
	w := o.watchAccess(o.groupApps(groupID), []*user{u})
	before := len(g.members)
	typ := "group.user_membership.add"
	if add {
		g.members = insertSorted(g.members, userID)
	} else {
		g.members, _ = removeSorted(g.members, userID)
		typ = "group.user_membership.remove"
	}
	if len(g.members) == before {
		return fmt.Errorf("changing membership of %s in %s: unchanged: %w", userID, groupID,
			ErrConflict)
	}
	g.lastMembershipUpdated = o.stamp()
	t := o.begin()
	t.record(typ, userRef(u), groupRef(g))
	w.record(t)
	return nil
}

// AssignAppUser assigns a user to an app directly (scope USER) and writes
// application.user_membership.add. The app's lastUpdated stays, as
// assumed in API.md §10 item 18.
func (o *Org) AssignAppUser(appID, userID string) error {
	return o.assignment(appID, userID, true)
}

// UnassignAppUser removes a direct assignment and writes
// application.user_membership.remove.
func (o *Org) UnassignAppUser(appID, userID string) error {
	return o.assignment(appID, userID, false)
}

func (o *Org) assignment(appID, userID string, add bool) error {
	o.lockDirectory()
	defer o.mu.Unlock()
	a, u := o.appBy[appID], o.userByID[userID]
	if a == nil || u == nil {
		return fmt.Errorf("changing assignment of %s to %s: %w", userID, appID, ErrNotFound)
	}
	i, found := slices.BinarySearchFunc(a.users, userID,
		func(as assignment, id string) int { return strings.Compare(as.userID, id) })
	typ := "application.user_membership.add"
	switch {
	case add && !found:
		a.users = slices.Insert(a.users, i, assignment{userID, o.stamp()})
	case !add && found:
		a.users = slices.Delete(a.users, i, i+1)
		typ = "application.user_membership.remove"
	default:
		return fmt.Errorf("changing assignment of %s to %s: unchanged: %w", userID, appID,
			ErrConflict)
	}
	o.record(typ, appRef(a), userRef(u))
	return nil
}

// AddEvent appends an event of any type, visible to polling at once; a
// Published earlier than events already served makes it a late arrival.
// It returns the event's uuid.
func (o *Org) AddEvent(in EventInput) (string, error) {
	if in.EventType == "" {
		return "", fmt.Errorf("adding event: event type is empty: %w", ErrConflict)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	e := o.apiEvent(typeByName(in.EventType), in.Published)
	if in.ActorID != "" {
		u := o.userByID[in.ActorID]
		if u == nil {
			return "", fmt.Errorf("adding event by actor %s: %w", in.ActorID, ErrNotFound)
		}
		e.actor = userRef(u)
	}
	for _, id := range in.TargetIDs {
		r, ok := o.refFor(id)
		if !ok {
			return "", fmt.Errorf("adding event on target %s: %w", id, ErrNotFound)
		}
		e.targets = append(e.targets, r)
	}
	e.failure = in.Failure
	o.log.append(e, o.now())
	return e.uuid, nil
}

func (o *Org) refFor(id string) (ref, bool) {
	if u := o.userByID[id]; u != nil {
		return userRef(u), true
	}
	if g := o.groupBy[id]; g != nil {
		return groupRef(g), true
	}
	if a := o.appBy[id]; a != nil {
		return appRef(a), true
	}
	return ref{}, false
}

// RevokeToken makes an SSWS or access token unusable, as revoking it in
// Okta does; later calls with it get 401 E0000011. It reports whether the
// token was known.
func (o *Org) RevokeToken(secret string) bool { return o.auth.revoke(secret) }

// SpendRateLimit uses n calls of a bucket ("users", "user", "groups",
// "apps", "logs", "generic") as another client of the org would.
func (o *Org) SpendRateLimit(bucket string, n int) {
	o.limits.spend(bucket, n, o.now())
}
