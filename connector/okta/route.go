package okta

import "strings"

// Paths the client gives special treatment.
const (
	orgPath   = "/api/v1/org"
	tokenPath = "/oauth2/v1/token"
)

// route is what a request path means to the governor and to error advice:
// the Okta rate-limit bucket it counts against and the resource it reads.
type route struct {
	bucket   string
	resource string
}

// routeOf maps a path to Okta's rate-limit buckets (API.md §9.1: exact path
// first, else the longest prefix; sub-paths share their base's bucket, so
// /groups/{id}/users counts as groups and /apps/{id}/users as apps).
func routeOf(path string) route {
	switch {
	case path == "/api/v1/users":
		return route{"users", "users"}
	case strings.HasPrefix(path, "/api/v1/users/"):
		// GET /api/v1/users/{id} has a bucket of its own (API.md §0).
		return route{"user", "users"}
	case under(path, "/api/v1/groups"):
		return route{"groups", "groups"}
	case under(path, "/api/v1/apps"):
		return route{"apps", "apps"}
	case under(path, "/api/v1/logs"):
		return route{"logs", "the System Log"}
	case path == orgPath:
		return route{"api", "the org"}
	case under(path, "/api/v1/domains"):
		return route{"api", "the org's domains"}
	case path == tokenPath:
		return route{"token", "the OAuth token endpoint"}
	case strings.HasPrefix(path, "/.well-known/"):
		return route{"well-known", "the org"}
	}
	return route{"api", "the org"}
}

// under reports whether path is base or one of its sub-paths.
func under(path, base string) bool {
	return path == base || strings.HasPrefix(path, base+"/")
}
