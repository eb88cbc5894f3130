package check

import (
	"context"
	"fmt"

	"github.com/okta-connector/okta-connector/connector/okta"
)

// Scopes the probes name (API.md §0, §1.2).
const (
	scopeOrgs    = "okta.orgs.read"
	scopeDomains = "okta.domains.read"
	scopeUsers   = "okta.users.read"
	scopeGroups  = "okta.groups.read"
	scopeApps    = "okta.apps.read"
	scopeLogs    = "okta.logs.read"
)

// probes are the checks in the order they run; later ones use what
// earlier ones learnt (a group id, an app id).
var probes = []probe{
	{"read the org's settings", scopeOrgs, "the org's settings", nil, probeOrg},
	{"read the org's well-known document", "", "the org's well-known document",
		[]string{"organizations"}, probeWellKnown},
	{"read the org's custom domains", scopeDomains, "the org's domains",
		[]string{"organizations"}, probeDomains},
	{"read users", scopeUsers, "users", []string{"employees"}, probeUsers},
	{"read groups", scopeGroups, "groups", []string{"groups", "group_members"}, probeGroups},
	{"read a group's members", scopeGroups, "group members",
		[]string{"group_members"}, probeMembers},
	{"read apps", scopeApps, "apps", []string{"apps", "app_assignments"}, probeApps},
	{"read an app's users", scopeApps, "app assignments",
		[]string{"app_assignments"}, probeAppUsers},
	{"read an app's groups", scopeApps, "app assignments",
		[]string{"app_assignments"}, probeAppGroups},
	{"read the System Log", scopeLogs, "the System Log", []string{"activity"}, probeLogs},
}

func probeOrg(ctx context.Context, s *state) (Status, string, error) {
	org, err := s.c.Org(ctx)
	if err != nil {
		return "", "", err
	}
	return OK, "", nilIfNamed(org.Subdomain)
}

// nilIfNamed keeps the org probe honest: an answer without a subdomain
// is not an Okta org.
func nilIfNamed(subdomain string) error {
	if subdomain == "" {
		return fmt.Errorf("the answer names no org: %w", okta.ErrMalformedPage)
	}
	return nil
}

func probeWellKnown(ctx context.Context, s *state) (Status, string, error) {
	_, err := s.c.WellKnown(ctx)
	return OK, "", err
}

func probeDomains(ctx context.Context, s *state) (Status, string, error) {
	_, err := s.c.Domains(ctx)
	return OK, "", err
}

func probeUsers(ctx context.Context, s *state) (Status, string, error) {
	_, err := s.c.Users(okta.UserQuery{Resume: s.firstPage("/api/v1/users")}).Next(ctx)
	return OK, "", err
}

func probeGroups(ctx context.Context, s *state) (Status, string, error) {
	p := s.c.Groups(okta.GroupQuery{Resume: s.firstPage("/api/v1/groups")})
	gs, err := p.Next(ctx)
	if len(gs) > 0 {
		s.groupID = gs[0].ID
	}
	return OK, "", err
}

func probeMembers(ctx context.Context, s *state) (Status, string, error) {
	if st, why := s.without(s.groupID, "read groups", "group"); st != "" {
		return st, why, nil
	}
	first := s.firstPage("/api/v1/groups/" + s.groupID + "/users")
	_, err := s.c.GroupMembers(s.groupID, first).Next(ctx)
	return OK, "", err
}

func probeApps(ctx context.Context, s *state) (Status, string, error) {
	as, err := s.c.Apps(s.firstPage("/api/v1/apps", "includeNonDeleted", "true")).Next(ctx)
	if len(as) > 0 {
		s.appID = as[0].ID
	}
	return OK, "", err
}

func probeAppUsers(ctx context.Context, s *state) (Status, string, error) {
	if st, why := s.without(s.appID, "read apps", "app"); st != "" {
		return st, why, nil
	}
	first := s.firstPage("/api/v1/apps/" + s.appID + "/users")
	_, err := s.c.AppUsers(s.appID, first).Next(ctx)
	return OK, "", err
}

func probeAppGroups(ctx context.Context, s *state) (Status, string, error) {
	if st, why := s.without(s.appID, "read apps", "app"); st != "" {
		return st, why, nil
	}
	first := s.firstPage("/api/v1/apps/" + s.appID + "/groups")
	_, err := s.c.AppGroups(s.appID, first).Next(ctx)
	return OK, "", err
}

// without says why a probe that needs an object from an earlier listing
// cannot run: the listing failed, or found nothing.
func (s *state) without(id, listing, what string) (Status, string) {
	switch {
	case id != "":
		return "", ""
	case s.failed[listing]:
		return Skipped, "not tried: needs " + listing + " first"
	}
	return Skipped, "not tried: the org has no " + what
}

// probeLogs reads one System Log event since the look-back. Polling mode
// (since without until, ascending) is what the activity stream uses
// (API.md §8.2).
func probeLogs(ctx context.Context, s *state) (Status, string, error) {
	since := s.since.UTC().Format("2006-01-02T15:04:05.000Z")
	first := s.firstPage("/api/v1/logs", "since", since, "sortOrder", "ASCENDING")
	events, _, err := s.c.Logs(okta.LogQuery{Resume: first}).Next(ctx)
	if err != nil || len(events) > 0 {
		return OK, "", err
	}
	// Okta keeps 90 days of events (API.md §8.4); an active org writes
	// some every day, if only its admins signing in.
	return Warn, fmt.Sprintf("no events since %s: check in the Admin Console "+
		"(Reports > System Log) that the org records activity; Okta keeps events "+
		"for 90 days, so older activity cannot be read", since), nil
}
