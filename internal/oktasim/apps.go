package oktasim

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim/scim"
)

// listApps serves GET /api/v1/apps: filter (status, id, name, user.id,
// group.id), q, includeNonDeleted; default page 20 (legacy doc), maximum
// 200 (API.md §6.1). INACTIVE apps need includeNonDeleted=true or a
// filter unless Quirks.ListInactiveApps (UNCONFIRMED there).
func (o *Org) listApps(c *call) *apiError {
	limit, err := c.limit(20, 200)
	if err != nil {
		return err
	}
	var expr scim.Expr
	if f := c.q.Get("filter"); f != "" {
		if expr, err = parseExpr(f, scim.AppFilter); err != nil {
			return err
		}
	}
	all := o.cfg.Quirks.ListInactiveApps || c.q.Get("includeNonDeleted") == "true"
	q := strings.ToLower(c.q.Get("q"))
	o.mu.RLock()
	defer o.mu.RUnlock()
	match := func(a *app) bool {
		if expr != nil {
			return expr.Match(appObj{a, o.groupBy})
		}
		if q != "" && !strings.HasPrefix(strings.ToLower(a.name), q) &&
			!strings.HasPrefix(strings.ToLower(a.label), q) {
			return false
		}
		return all || a.status == "ACTIVE"
	}
	page, more := scan(o.apps, func(a *app) string { return a.id }, c.q.Get("after"),
		limit, match, o.cfg.Quirks.NoEmptyLastPage)
	next := ""
	if more {
		next = page[len(page)-1].id
	}
	c.page(limit, next)
	return c.renderApps(page)
}

// getApp serves GET /api/v1/apps/{id}.
func (o *Org) getApp(c *call) *apiError {
	o.mu.RLock()
	defer o.mu.RUnlock()
	a := o.appBy[c.r.PathValue("id")]
	if a == nil {
		return errNotFound(c.r.PathValue("id"), "AppInstance")
	}
	return c.raw(o.appendApp(c.buffer(appBytes), a, c.base()), nil)
}

// appUser is one assignment, direct (scope USER) or through a group
// (scope GROUP; API.md §6.3).
type appUser struct {
	userID string
	scope  string
	at     time.Time
}

// appUsersAfter returns up to n assignments of a with user ids after
// `after`, merging direct assignments and every assigned group's members;
// a direct assignment wins over a group one, and an earlier group over a
// later one.
func (o *Org) appUsersAfter(a *app, after string, n int) []appUser {
	out := make([]appUser, 0, n*(1+len(a.groups)))
	i := sort.Search(len(a.users), func(i int) bool { return a.users[i].userID > after })
	for _, as := range a.users[i:min(len(a.users), i+n)] {
		out = append(out, appUser{as.userID, "USER", as.at})
	}
	for _, ga := range a.groups {
		g := o.groupBy[ga.groupID]
		if g == nil {
			continue
		}
		j := sort.Search(len(g.members), func(j int) bool { return g.members[j] > after })
		for _, id := range g.members[j:min(len(g.members), j+n)] {
			out = append(out, appUser{id, "GROUP", ga.at})
		}
	}
	// A stable sort keeps the winner of each id first.
	byID := func(x, y appUser) int { return strings.Compare(x.userID, y.userID) }
	slices.SortStableFunc(out, byID)
	out = slices.CompactFunc(out, func(x, y appUser) bool { return x.userID == y.userID })
	return out[:min(n, len(out))]
}

// listAppUsers serves GET /api/v1/apps/{id}/users: default page 50,
// maximum 500 (API.md §6.3).
func (o *Org) listAppUsers(c *call) *apiError {
	limit, err := c.limit(50, 500)
	if err != nil {
		return err
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	a := o.appBy[c.r.PathValue("id")]
	if a == nil {
		return errNotFound(c.r.PathValue("id"), "AppInstance")
	}
	aus := o.appUsersAfter(a, c.q.Get("after"), limit+1)
	more := len(aus) > limit || (len(aus) == limit && !o.cfg.Quirks.NoEmptyLastPage)
	aus = aus[:min(limit, len(aus))]
	base := c.base()
	appHref := appendHref(nil, base+"/api/v1/apps/"+a.id)
	b := append(c.buffer(len(aus)*appUserBytes), '[')
	for _, au := range aus {
		u := o.userByID[au.userID]
		if u == nil {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = o.cache.appendAppUser(b, au, u, appHref, base)
	}
	b = append(b, ']')
	next := ""
	if more && len(aus) > 0 {
		next = aus[len(aus)-1].userID
	}
	c.page(limit, next)
	return c.raw(b, nil)
}

// appUserBytes is a rough size of one rendered app user.
const appUserBytes = 640

// appendAppUser writes one app user of API.md §6.3: an assignment
// created no earlier than its user, no external id or password, sync
// off. What comes from the user's profile is kept until the org changes.
func (rc *renderCache) appendAppUser(b []byte, au appUser, u *user, appHref []byte,
	base string) []byte {
	created := latest(au.at, u.created)
	b = appendString(append(b, `{"id":`...), u.id)
	b = appendTime(append(b, `,"externalId":null,"created":`...), created)
	b = appendTime(append(b, `,"lastUpdated":`...), latest(created, u.lastUpdated))
	b = appendString(append(b, `,"scope":`...), au.scope)
	b = appendTime(append(b, `,"status":"ACTIVE","statusChanged":`...), created)
	b = append(b, `,"passwordChanged":null,"syncState":"DISABLED",`...)
	b, _ = rc.appendCached(b, &u.app, "", func(b []byte) ([]byte, error) {
		return appendAppUserProfile(b, u.profile), nil
	})
	b = append(append(b, `,"_links":{"app":`...), appHref...)
	b = appendJoined(append(b, `,"user":{"href":`...), base, "/api/v1/users/", u.id)
	return append(b, "}}}"...)
}

// appendAppUserProfile writes the credentials and profile an app user
// takes from its user.
func appendAppUserProfile(b []byte, p profile) []byte {
	b = appendString(append(b, `"credentials":{"userName":`...), p.str("login"))
	b = appendString(append(b, `},"profile":{"email":`...), p.str("email"))
	b = appendString(append(b, `,"firstName":`...), p.str("firstName"))
	b = appendString(append(b, `,"lastName":`...), p.str("lastName"))
	return append(b, '}')
}

// listAppGroups serves GET /api/v1/apps/{id}/groups: default page 20,
// maximum 200 (API.md §6.4).
func (o *Org) listAppGroups(c *call) *apiError {
	limit, err := c.limit(20, 200)
	if err != nil {
		return err
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	a := o.appBy[c.r.PathValue("id")]
	if a == nil {
		return errNotFound(c.r.PathValue("id"), "AppInstance")
	}
	page, more := scan(a.groups, func(g groupAssignment) string { return g.groupID },
		c.q.Get("after"), limit, nil, o.cfg.Quirks.NoEmptyLastPage)
	base := c.base()
	appURL := base + "/api/v1/apps/" + a.id
	b := append(c.buffer(len(page)*appGroupBytes), '[')
	for i, ga := range page {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendAppGroup(b, ga, appURL, base)
	}
	b = append(b, ']')
	next := ""
	if more {
		next = page[len(page)-1].groupID
	}
	c.page(limit, next)
	return c.raw(b, nil)
}
