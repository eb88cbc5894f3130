package okta

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// UserQuery selects users. Zero value: every user of every status.
type UserQuery struct {
	UpdatedSince time.Time // when set: search=lastUpdated ge "<ts>" and status pr
	Resume       string    // a Cursor from an earlier Pager: continue there
}

// GroupQuery selects groups. Zero value: every group.
type GroupQuery struct {
	UpdatedSince time.Time // lastUpdated gt OR lastMembershipUpdated gt
	Resume       string
}

// Users lists users. A plain list hides DEPROVISIONED users, a search
// includes them (API.md §4.2), so the full listing searches `status pr`.
// The incremental one uses ge, not gt: many users share one lastUpdated
// second, and gt would lose those written after the watermark was taken
// (API.md §4.3, §10 item 4). It sorts by lastUpdated so that a watermark
// taken mid-listing is safe.
func (c *Client) Users(q UserQuery) *Pager[User] {
	var p *Pager[User]
	switch {
	case q.Resume != "":
		p = resumePager[User](c, "users", q.Resume)
	case q.UpdatedSince.IsZero():
		p = newPager[User](c, "users", c.endpoint("/api/v1/users", []param{
			{"search", "status pr"}, {"limit", strconv.Itoa(usersPageSize)},
		}))
	default:
		search := "lastUpdated ge " + literal(timestamp(q.UpdatedSince)) + " and status pr"
		p = newPager[User](c, "users", c.endpoint("/api/v1/users", []param{
			{"search", search}, {"sortBy", "lastUpdated"}, {"sortOrder", "asc"},
			{"limit", strconv.Itoa(usersPageSize)},
		}))
	}
	p.omit = true
	return p
}

// Groups lists groups; with UpdatedSince, those whose profile or membership
// changed after it, in the filter grammar Okta documents for groups
// (API.md §5.1: lastUpdated and lastMembershipUpdated with gt).
func (c *Client) Groups(q GroupQuery) *Pager[Group] {
	if q.Resume != "" {
		return resumePager[Group](c, "groups", q.Resume)
	}
	ps := []param{{"limit", strconv.Itoa(groupsPageSize)}}
	if !q.UpdatedSince.IsZero() {
		ts := literal(timestamp(q.UpdatedSince))
		filter := "lastUpdated gt " + ts + " or lastMembershipUpdated gt " + ts
		ps = append([]param{{"filter", filter}}, ps...)
	}
	return newPager[Group](c, "groups", c.endpoint("/api/v1/groups", ps))
}

// GroupMembers lists a group's members, 1000 a page (API.md §5.3). An
// invalid group id gives a pager whose first Next fails.
func (c *Client) GroupMembers(groupID, resume string) *Pager[User] {
	p := listing[User](c, "groups", resume, groupID,
		"/api/v1/groups/%s/users", membersPageSize)
	p.omit = true
	return p
}

// Apps lists the org's apps, ACTIVE and INACTIVE: includeNonDeleted=true
// is the one-query way API.md §6.1 recommends, since whether Okta hides
// INACTIVE apps by default is unconfirmed.
func (c *Client) Apps(resume string) *Pager[App] {
	if resume != "" {
		return resumePager[App](c, "apps", resume)
	}
	return newPager[App](c, "apps", c.endpoint("/api/v1/apps", []param{
		{"includeNonDeleted", "true"}, {"limit", strconv.Itoa(appsPageSize)},
	}))
}

// AppUsers lists the users assigned to an app, 500 a page: the apps bucket
// is Okta's tightest (API.md §10 item 18).
func (c *Client) AppUsers(appID, resume string) *Pager[AppUser] {
	return listing[AppUser](c, "apps", resume, appID,
		"/api/v1/apps/%s/users", appUsersPageSize)
}

// AppGroups lists the groups assigned to an app, 200 a page (API.md §6.4).
func (c *Client) AppGroups(appID, resume string) *Pager[AppGroup] {
	return listing[AppGroup](c, "apps", resume, appID,
		"/api/v1/apps/%s/groups", appGroupsPageSize)
}

// listing starts or resumes the listing of one object's sub-resource.
func listing[T any](c *Client, resource, resume, id, pathFmt string, size int) *Pager[T] {
	if resume != "" {
		return resumePager[T](c, resource, resume)
	}
	if err := checkID(id); err != nil {
		return &Pager[T]{resource: resource, err: fmt.Errorf("okta: listing %s: %w", resource, err)}
	}
	u := c.endpoint(fmt.Sprintf(pathFmt, id), []param{{"limit", strconv.Itoa(size)}})
	return newPager[T](c, resource, u)
}

// User reads one user by id, the truth when search results may lag.
func (c *Client) User(ctx context.Context, id string) (User, error) {
	return getByID[User](ctx, c, "user", "/api/v1/users/%s", id)
}

// Group reads one group by id.
func (c *Client) Group(ctx context.Context, id string) (Group, error) {
	return getByID[Group](ctx, c, "group", "/api/v1/groups/%s", id)
}

// App reads one app by id.
func (c *Client) App(ctx context.Context, id string) (App, error) {
	return getByID[App](ctx, c, "app", "/api/v1/apps/%s", id)
}

// Org reads the org's settings. A 404 here means a wrong domain.
func (c *Client) Org(ctx context.Context) (Org, error) {
	var org Org
	if err := get(ctx, c, orgPath, &org); err != nil {
		return Org{}, fmt.Errorf("okta: reading the org: %w", err)
	}
	return org, nil
}

// Domains reads the org's custom domains, which come in an envelope rather
// than a bare array (API.md §7.2).
func (c *Client) Domains(ctx context.Context) ([]Domain, error) {
	var env struct {
		Domains []Domain `json:"domains"`
	}
	if err := get(ctx, c, "/api/v1/domains", &env); err != nil {
		return nil, fmt.Errorf("okta: reading the org's domains: %w", err)
	}
	return env.Domains, nil
}

// WellKnown reads /.well-known/okta-organization: the org's primary Okta
// domain and its custom domain (API.md §7.2).
func (c *Client) WellKnown(ctx context.Context) (WellKnownOrg, error) {
	var w WellKnownOrg
	if err := get(ctx, c, "/.well-known/okta-organization", &w); err != nil {
		return WellKnownOrg{}, fmt.Errorf("okta: reading the org's well-known document: %w", err)
	}
	return w, nil
}

// getByID reads one object after checking its id.
func getByID[T any](ctx context.Context, c *Client, what, pathFmt, id string) (T, error) {
	var v T
	if err := checkID(id); err != nil {
		return v, fmt.Errorf("okta: getting %s: %w", what, err)
	}
	if err := get(ctx, c, fmt.Sprintf(pathFmt, id), &v); err != nil {
		var zero T
		return zero, fmt.Errorf("okta: getting %s %s: %w", what, id, err)
	}
	return v, nil
}

// get reads one JSON object.
func get[T any](ctx context.Context, c *Client, path string, v *T) error {
	req := request{method: http.MethodGet, url: c.endpoint(path, nil)}
	_, err := c.exchange(ctx, req, func(r io.Reader) error { return decodeObject(r, v) })
	return err
}

// okID is the shape of Okta object ids (API.md samples: a 3-character
// prefix and 17 more, letters and digits). Checking it keeps an id from
// adding path segments or a query to a request.
var okID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// checkID refuses an id that is not an Okta id.
func checkID(id string) error {
	if !okID.MatchString(id) {
		return fmt.Errorf("id %q is not an Okta id", id)
	}
	return nil
}
