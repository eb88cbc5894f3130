package oktasim

import (
	"slices"
	"strings"

	"github.com/okta-connector/okta-connector/internal/oktasim/scim"
)

type groupJSON struct {
	ID                    string         `json:"id"`
	Created               ts             `json:"created"`
	LastUpdated           ts             `json:"lastUpdated"`
	LastMembershipUpdated ts             `json:"lastMembershipUpdated"`
	ObjectClass           []string       `json:"objectClass"`
	Type                  string         `json:"type"`
	Profile               profile        `json:"profile"`
	Links                 map[string]any `json:"_links"`
	Embedded              map[string]any `json:"_embedded,omitempty"`
}

// renderGroup builds the group of API.md §5.2: logo, owners, users and
// apps links, source for APP_GROUPs, no self (as recorded).
func (o *Org) renderGroup(g *group, base string, expand string) groupJSON {
	class, logo := "okta:user_group", "okta"
	if g.typ == "APP_GROUP" {
		class, logo = "okta:windows_security_principal", "active_directory"
	}
	self := base + "/api/v1/groups/" + g.id
	cdn := "https://ok12static.oktacdn.com/assets/img/logos/groups/odyssey/" + logo
	links := map[string]any{
		"logo": []href{
			{Name: "medium", Href: cdn + "-medium.png", Type: "image/png"},
			{Name: "large", Href: cdn + "-large.png", Type: "image/png"},
		},
		"owners": href{Href: self + "/owners"},
		"users":  href{Href: self + "/users"},
		"apps":   href{Href: self + "/apps"},
	}
	if g.sourceApp != "" {
		links["source"] = href{Href: base + "/api/v1/apps/" + g.sourceApp}
	}
	j := groupJSON{ID: g.id, Created: ts(g.created), LastUpdated: ts(g.lastUpdated),
		LastMembershipUpdated: ts(g.lastMembershipUpdated), ObjectClass: []string{class},
		Type: g.typ, Profile: g.profile, Links: links}
	if strings.Contains(expand, "stats") {
		// The admin flag keeps the spec's spelling (API.md §5.2).
		j.Embedded = map[string]any{"stats": map[string]any{
			"usersCount": len(g.members), "appsCount": o.appsOfGroup(g.id),
			"groupPushMappingsCount": 0, "hasAdminPrivlege": false,
		}}
	}
	if strings.Contains(expand, "app") && g.sourceApp != "" {
		if a := o.appBy[g.sourceApp]; a != nil {
			if j.Embedded == nil {
				j.Embedded = map[string]any{}
			}
			j.Embedded["app"] = map[string]string{"id": a.id, "name": a.name,
				"label": a.label, "signOnMode": a.signOnMode}
		}
	}
	return j
}

func (o *Org) appsOfGroup(id string) int {
	n := 0
	for _, a := range o.apps {
		isGroup := func(ga groupAssignment) bool { return ga.groupID == id }
		if slices.ContainsFunc(a.groups, isGroup) {
			n++
		}
	}
	return n
}

func (o *Org) renderGroups(c *call, gs []*group) []groupJSON {
	out := make([]groupJSON, len(gs))
	for i, g := range gs {
		out[i] = o.renderGroup(g, c.base(), c.q.Get("expand"))
	}
	return out
}

// listGroups serves GET /api/v1/groups with q, filter, search, sortBy and
// expand (API.md §5.1). The maximum page is the spec's 10000.
func (o *Org) listGroups(c *call) *apiError {
	if q := c.q.Get("q"); q != "" {
		return o.findGroups(c, q)
	}
	limit, err := c.limit(200, 10000)
	if err != nil {
		return err
	}
	var exprs []scim.Expr
	for _, p := range []struct {
		text string
		d    scim.Dialect
	}{{c.q.Get("filter"), scim.GroupFilter}, {c.q.Get("search"), scim.GroupSearch}} {
		if p.text != "" {
			e, err := parseExpr(p.text, p.d)
			if err != nil {
				return err
			}
			exprs = append(exprs, e)
		}
	}
	match := func(g *group) bool {
		for _, e := range exprs {
			if !e.Match(groupObj{g}) {
				return false
			}
		}
		return true
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	if sortBy := c.q.Get("sortBy"); sortBy != "" && c.q.Get("search") != "" {
		var items []sortedItem[*group]
		for _, g := range o.groups {
			if match(g) {
				v, _ := groupObj{g}.Attr(sortBy)
				items = append(items, sortedItem[*group]{sortKey(v), g.id, g})
			}
		}
		desc := strings.EqualFold(c.q.Get("sortOrder"), "desc")
		page, next := sortedPage(items, desc, c.q.Get("after"), limit)
		c.page(limit, next)
		return c.json(o.renderGroups(c, page))
	}
	page, more := scan(o.groups, func(g *group) string { return g.id }, c.q.Get("after"),
		limit, match, o.cfg.Quirks.NoEmptyLastPage)
	next := ""
	if more {
		next = page[len(page)-1].id
	}
	c.page(limit, next)
	return c.json(o.renderGroups(c, page))
}

// findGroups serves q: a name prefix, at most 300 results, no Link header
// at all (API.md §3, http-exchanges.md §5).
func (o *Org) findGroups(c *call, q string) *apiError {
	limit, err := c.limit(300, 300)
	if err != nil {
		return err
	}
	q = strings.ToLower(q)
	o.mu.RLock()
	defer o.mu.RUnlock()
	var page []*group
	for _, g := range o.groups {
		if len(page) < limit && strings.HasPrefix(strings.ToLower(g.profile.str("name")), q) {
			page = append(page, g)
		}
	}
	return c.json(o.renderGroups(c, page))
}

// getGroup serves GET /api/v1/groups/{id}.
func (o *Org) getGroup(c *call) *apiError {
	o.mu.RLock()
	defer o.mu.RUnlock()
	g := o.groupBy[c.r.PathValue("id")]
	if g == nil {
		return errNotFound(c.r.PathValue("id"), "Group")
	}
	return c.json(o.renderGroup(g, c.base(), c.q.Get("expand")))
}

// listGroupUsers serves GET /api/v1/groups/{id}/users: full user objects,
// default and maximum page 1000 (API.md §5.3). DEPROVISIONED members stay
// listed unless Quirks.HideDeprovisionedMembers.
func (o *Org) listGroupUsers(c *call) *apiError {
	limit, err := c.limit(1000, 1000)
	if err != nil {
		return err
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	g := o.groupBy[c.r.PathValue("id")]
	if g == nil {
		return errNotFound(c.r.PathValue("id"), "Group")
	}
	hide := o.cfg.Quirks.HideDeprovisionedMembers
	ids, more := scan(g.members, func(s string) string { return s }, c.q.Get("after"), limit,
		func(id string) bool {
			u := o.userByID[id]
			return u != nil && !(hide && u.status == StatusDeprovisioned)
		}, o.cfg.Quirks.NoEmptyLastPage)
	us := make([]*user, len(ids))
	for i, id := range ids {
		us[i] = o.userByID[id]
	}
	next := ""
	if more {
		next = ids[len(ids)-1]
	}
	c.page(limit, next)
	return c.renderUsers(us)
}
