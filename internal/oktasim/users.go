package oktasim

import (
	"strings"

	"github.com/okta-connector/okta-connector/internal/oktasim/scim"
)

type userJSON struct {
	ID              string `json:"id"`
	Status          string `json:"status"`
	Created         ts     `json:"created"`
	Activated       ts     `json:"activated"`
	StatusChanged   ts     `json:"statusChanged"`
	LastLogin       ts     `json:"lastLogin"`
	LastUpdated     ts     `json:"lastUpdated"`
	PasswordChanged ts     `json:"passwordChanged"`
	Type            struct {
		ID string `json:"id"`
	} `json:"type"`
	Profile     profile         `json:"profile"`
	Credentials credJSON        `json:"credentials"`
	Links       map[string]href `json:"_links"`
}

type credJSON struct {
	Password *struct{} `json:"password,omitempty"`
	Recovery *struct {
		Question string `json:"question"`
	} `json:"recovery_question,omitempty"`
	Provider struct {
		Type string `json:"type"`
		Name string `json:"name"`
	} `json:"provider"`
}

// renderUser builds the user object of API.md §4.4; list responses carry
// only _links.self, a single GET the lifecycle links (samples/user-get.json).
func renderUser(u *user, base string, full bool) userJSON {
	j := userJSON{ID: u.id, Status: u.status, Created: ts(u.created),
		Activated: ts(u.activated), StatusChanged: ts(u.statusChanged),
		LastLogin: ts(u.lastLogin), LastUpdated: ts(u.lastUpdated),
		PasswordChanged: ts(u.passwordChanged), Profile: u.profile}
	j.Type.ID = u.typeID
	if u.hasPassword {
		j.Credentials.Password = &struct{}{}
	}
	if u.recoveryQ != "" {
		j.Credentials.Recovery = &struct {
			Question string `json:"question"`
		}{u.recoveryQ}
	}
	j.Credentials.Provider.Type, j.Credentials.Provider.Name = "OKTA", "OKTA"
	self := base + "/api/v1/users/" + u.id
	j.Links = map[string]href{"self": {Href: self}}
	if full {
		for _, l := range []string{"suspend", "deactivate", "reset_password", "expire_password"} {
			j.Links[lifecycleName(l)] = href{Href: self + "/lifecycle/" + l, Method: "POST"}
		}
	}
	return j
}

func lifecycleName(l string) string {
	parts := strings.Split(l, "_")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

func (c *call) renderUsers(us []*user) []userJSON {
	base := c.base()
	out := make([]userJSON, len(us))
	for i, u := range us {
		out[i] = renderUser(u, base, false)
	}
	return out
}

// listUsers serves GET /api/v1/users (API.md §4.1, §4.2).
func (o *Org) listUsers(c *call) *apiError {
	if q := c.q.Get("q"); q != "" {
		return o.findUsers(c, q)
	}
	limit, err := c.limit(200, 200)
	if err != nil {
		return err
	}
	match, err := userMatcher(c)
	if err != nil {
		return err
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	search := c.q.Get("search")
	if sortBy := c.q.Get("sortBy"); sortBy != "" && search != "" {
		// sortBy applies to search queries only (API.md §4.1).
		return o.sortedUsers(c, sortBy, match, limit)
	}
	page, more := scan(o.users, func(u *user) string { return u.id }, c.q.Get("after"),
		limit, match, o.cfg.Quirks.NoEmptyLastPage)
	next := ""
	if more {
		next = page[len(page)-1].id
	}
	c.page(limit, next)
	return c.json(c.renderUsers(page))
}

// userMatcher builds the predicate: without filter or search the plain
// list hides DEPROVISIONED users; filter and search include them
// (API.md §4.2).
func userMatcher(c *call) (func(*user) bool, *apiError) {
	filter, search := c.q.Get("filter"), c.q.Get("search")
	if filter == "" && search == "" {
		return func(u *user) bool { return u.status != StatusDeprovisioned }, nil
	}
	var exprs []scim.Expr
	for _, p := range []struct {
		text string
		d    scim.Dialect
	}{{filter, scim.UserFilter}, {search, scim.UserSearch}} {
		if p.text == "" {
			continue
		}
		e, err := parseExpr(p.text, p.d)
		if err != nil {
			return nil, err
		}
		exprs = append(exprs, e)
	}
	return func(u *user) bool {
		for _, e := range exprs {
			if !e.Match(userObj{u}) {
				return false
			}
		}
		return true
	}, nil
}

func (o *Org) sortedUsers(c *call, sortBy string, match func(*user) bool, limit int) *apiError {
	var items []sortedItem[*user]
	for _, u := range o.users {
		if match(u) {
			v, _ := userObj{u}.Attr(sortBy)
			items = append(items, sortedItem[*user]{sortKey(v), u.id, u})
		}
	}
	desc := strings.EqualFold(c.q.Get("sortOrder"), "desc")
	page, next := sortedPage(items, desc, c.q.Get("after"), limit)
	c.page(limit, next)
	return c.json(c.renderUsers(page))
}

// findUsers serves q: a prefix match on first name, last name and email,
// without DEPROVISIONED users, default limit 10 and no pagination
// (API.md §3, §4.1, §4.2).
func (o *Org) findUsers(c *call, q string) *apiError {
	limit, err := c.limit(10, 200)
	if err != nil {
		return err
	}
	q = strings.ToLower(q)
	o.mu.RLock()
	defer o.mu.RUnlock()
	var page []*user
	for _, u := range o.users {
		if len(page) == limit {
			break
		}
		if u.status == StatusDeprovisioned {
			continue
		}
		for _, a := range []string{"firstName", "lastName", "email"} {
			if strings.HasPrefix(strings.ToLower(u.profile.str(a)), q) {
				page = append(page, u)
				break
			}
		}
	}
	return c.json(c.renderUsers(page))
}

// getUser serves GET /api/v1/users/{id}; Okta also accepts the login
// there. Deleted users are 404 E0000007 (API.md §4.6).
func (o *Org) getUser(c *call) *apiError {
	id := c.r.PathValue("id")
	o.mu.RLock()
	defer o.mu.RUnlock()
	u := o.userByID[id]
	if u == nil {
		for _, x := range o.users {
			if x.profile.str("login") == id {
				u = x
				break
			}
		}
	}
	if u == nil {
		return errNotFound(id, "User")
	}
	return c.json(renderUser(u, c.base(), true))
}
