package oktasim

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim/scim"
)

type appJSON struct {
	ID            string         `json:"id"`
	Orn           string         `json:"orn"`
	Name          string         `json:"name"`
	Label         string         `json:"label"`
	Status        string         `json:"status"`
	LastUpdated   ts             `json:"lastUpdated"`
	Created       ts             `json:"created"`
	Accessibility map[string]any `json:"accessibility"`
	Visibility    map[string]any `json:"visibility"`
	Features      []string       `json:"features"`
	SignOnMode    string         `json:"signOnMode"`
	Credentials   map[string]any `json:"credentials"`
	Settings      map[string]any `json:"settings"`
	Links         map[string]any `json:"_links"`
}

// renderApp builds the application of API.md §6.2, settings trimmed to the
// keys the samples show.
func (o *Org) renderApp(a *app, base string) appJSON {
	self := base + "/api/v1/apps/" + a.id
	link := a.name + "_link"
	links := map[string]any{
		"appLinks": []href{{Name: link, Type: "text/html",
			Href: base + "/home/" + a.name + "/" + a.id}},
		"logo": []href{{Name: "medium", Type: "image/png",
			Href: "https://ok12static.oktacdn.com/assets/img/logos/default.png"}},
		"users":  href{Href: self + "/users"},
		"groups": href{Href: self + "/groups"},
	}
	if a.status == "ACTIVE" {
		links["deactivate"] = href{Href: self + "/lifecycle/deactivate"}
	} else {
		links["activate"] = href{Href: self + "/lifecycle/activate"}
	}
	settings := map[string]any{"app": map[string]any{}, "notifications": map[string]any{
		"vpn": map[string]any{"network": map[string]any{"connection": "DISABLED"},
			"message": nil, "helpUrl": nil}}}
	return appJSON{
		ID: a.id, Orn: "orn:okta:idp:" + o.info.id + ":apps:" + a.name + ":" + a.id,
		Name: a.name, Label: a.label, Status: a.status,
		LastUpdated: ts(a.lastUpdated), Created: ts(a.created),
		Accessibility: map[string]any{"selfService": false, "errorRedirectUrl": nil,
			"loginRedirectUrl": nil},
		Visibility: map[string]any{"autoLaunch": false, "autoSubmitToolbar": false,
			"hide":     map[string]bool{"iOS": false, "web": false},
			"appLinks": map[string]bool{link: true}},
		Features:   []string{},
		SignOnMode: a.signOnMode,
		Credentials: map[string]any{"userNameTemplate": map[string]string{
			"template": "${source.login}", "type": "BUILT_IN"}, "signing": map[string]any{}},
		Settings: settings,
		Links:    links,
	}
}

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
	out := make([]appJSON, len(page))
	for i, a := range page {
		out[i] = o.renderApp(a, c.base())
	}
	return c.json(out)
}

// getApp serves GET /api/v1/apps/{id}.
func (o *Org) getApp(c *call) *apiError {
	o.mu.RLock()
	defer o.mu.RUnlock()
	a := o.appBy[c.r.PathValue("id")]
	if a == nil {
		return errNotFound(c.r.PathValue("id"), "AppInstance")
	}
	return c.json(o.renderApp(a, c.base()))
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
// a direct assignment wins over a group one.
func (o *Org) appUsersAfter(a *app, after string, n int) []appUser {
	byID := map[string]appUser{}
	i := sort.Search(len(a.users), func(i int) bool { return a.users[i].userID > after })
	for _, as := range a.users[i:min(len(a.users), i+n)] {
		byID[as.userID] = appUser{as.userID, "USER", as.at}
	}
	for _, ga := range a.groups {
		g := o.groupBy[ga.groupID]
		if g == nil {
			continue
		}
		j := sort.Search(len(g.members), func(j int) bool { return g.members[j] > after })
		for _, id := range g.members[j:min(len(g.members), j+n)] {
			if _, ok := byID[id]; !ok {
				byID[id] = appUser{id, "GROUP", ga.at}
			}
		}
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]appUser, 0, n)
	for _, id := range ids[:min(n, len(ids))] {
		out = append(out, byID[id])
	}
	return out
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
	b := make([]byte, 0, len(aus)*appUserBytes)
	b = append(b, '[')
	for _, au := range aus {
		u := o.userByID[au.userID]
		if u == nil {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = appendAppUser(b, au, u, base+"/api/v1/apps/"+a.id, base)
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
// created no earlier than its user, no external id or password, sync off.
func appendAppUser(b []byte, au appUser, u *user, appURL, base string) []byte {
	created := latest(au.at, u.created)
	b = append(b, `{"id":`...)
	b = appendString(b, u.id)
	b = append(b, `,"externalId":null,"created":`...)
	b = appendTime(b, created)
	b = append(b, `,"lastUpdated":`...)
	b = appendTime(b, latest(created, u.lastUpdated))
	b = append(b, `,"scope":`...)
	b = appendString(b, au.scope)
	b = append(b, `,"status":"ACTIVE","statusChanged":`...)
	b = appendTime(b, created)
	b = append(b, `,"passwordChanged":null,"syncState":"DISABLED","credentials":{"userName":`...)
	b = appendString(b, u.profile.str("login"))
	b = append(b, `},"profile":{"email":`...)
	b = appendString(b, u.profile.str("email"))
	b = append(b, `,"firstName":`...)
	b = appendString(b, u.profile.str("firstName"))
	b = append(b, `,"lastName":`...)
	b = appendString(b, u.profile.str("lastName"))
	b = append(b, `},"_links":{"app":`...)
	b = appendHref(b, appURL)
	b = append(b, `,"user":`...)
	b = appendHref(b, base+"/api/v1/users/"+u.id)
	return append(b, "}}"...)
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
	out := make([]map[string]any, len(page))
	for i, ga := range page {
		out[i] = map[string]any{"id": ga.groupID, "priority": ga.priority,
			"lastUpdated": ts(ga.at), "profile": map[string]any{},
			"_links": map[string]href{
				"app":   {Href: base + "/api/v1/apps/" + a.id},
				"self":  {Href: base + "/api/v1/apps/" + a.id + "/groups/" + ga.groupID},
				"group": {Href: base + "/api/v1/groups/" + ga.groupID}}}
	}
	next := ""
	if more {
		next = page[len(page)-1].groupID
	}
	c.page(limit, next)
	return c.json(out)
}
