package oktasim

import (
	"strings"

	"github.com/okta-connector/okta-connector/internal/oktasim/scim"
)

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
		return c.renderGroups(page)
	}
	page, more := scan(o.groups, func(g *group) string { return g.id }, c.q.Get("after"),
		limit, match, o.cfg.Quirks.NoEmptyLastPage)
	next := ""
	if more {
		next = page[len(page)-1].id
	}
	c.page(limit, next)
	return c.renderGroups(page)
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
	return c.renderGroups(page)
}

// getGroup serves GET /api/v1/groups/{id}.
func (o *Org) getGroup(c *call) *apiError {
	o.mu.RLock()
	defer o.mu.RUnlock()
	g := o.groupBy[c.r.PathValue("id")]
	if g == nil {
		return errNotFound(c.r.PathValue("id"), "Group")
	}
	return c.raw(o.appendGroup(c.buffer(groupBytes), g, c.base(), c.q.Get("expand")))
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
