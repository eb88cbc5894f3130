package oktasim

import (
	"fmt"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim/scim"
)

// lifecycle names the links of a single user GET, in the order
// encoding/json sorts map keys (samples/user-get.json).
var lifecycle = []struct{ name, path string }{
	{"deactivate", "deactivate"},
	{"expirePassword", "expire_password"},
	{"resetPassword", "reset_password"},
	{"self", ""},
	{"suspend", "suspend"},
}

// appendUser writes the user object of API.md §4.4; list responses carry
// only _links.self, a single GET the lifecycle links
// (samples/user-get.json).
func appendUser(b []byte, u *user, base string, full bool) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendString(b, u.id)
	b = append(b, `,"status":`...)
	b = appendString(b, u.status)
	for _, t := range []struct {
		key string
		at  time.Time
	}{
		{`,"created":`, u.created}, {`,"activated":`, u.activated},
		{`,"statusChanged":`, u.statusChanged}, {`,"lastLogin":`, u.lastLogin},
		{`,"lastUpdated":`, u.lastUpdated}, {`,"passwordChanged":`, u.passwordChanged},
	} {
		b = appendTime(append(b, t.key...), t.at)
	}
	b = append(b, `,"type":{"id":`...)
	b = appendString(b, u.typeID)
	b = append(b, `},"profile":`...)
	b, err := appendProfile(b, u.profile)
	if err != nil {
		return b, fmt.Errorf("rendering user %q: %w", u.id, err)
	}
	b = append(b, `,"credentials":{`...)
	if u.hasPassword {
		b = append(b, `"password":{},`...)
	}
	if u.recoveryQ != "" {
		b = append(b, `"recovery_question":{"question":`...)
		b = append(appendString(b, u.recoveryQ), "},"...)
	}
	b = append(b, `"provider":{"type":"OKTA","name":"OKTA"}},"_links":{`...)
	self := base + "/api/v1/users/" + u.id
	if !full {
		b = append(b, `"self":`...)
		return append(appendHref(b, self), "}}"...), nil
	}
	for i, l := range lifecycle {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendKey(b, l.name)
		if l.path == "" {
			b = appendHref(b, self)
			continue
		}
		b = append(b, `{"href":`...)
		b = appendString(b, self+"/lifecycle/"+l.path)
		b = append(b, `,"method":"POST"}`...)
	}
	return append(b, "}}"...), nil
}

// userBytes is a rough size of one rendered user, to size page buffers.
const userBytes = 1536

// renderUsers sets the body to the users as a list response shows them,
// each from its cached rendering when the org has not changed since.
func (c *call) renderUsers(us []*user) *apiError {
	base := c.base()
	rc := &c.o.cache
	b := append(c.buffer(len(us)*userBytes), '[')
	for i, u := range us {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		b, err = rc.appendCached(b, &u.list, base, func(b []byte) ([]byte, error) {
			return appendUser(b, u, base, false)
		})
		if err != nil {
			return c.raw(b, err)
		}
	}
	return c.raw(append(b, ']'), nil)
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
	return c.renderUsers(page)
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
	return c.renderUsers(page)
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
	return c.renderUsers(page)
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
	return c.raw(appendUser(nil, u, c.base(), true))
}
