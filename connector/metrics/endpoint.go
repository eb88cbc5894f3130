package metrics

import "strings"

// endpoints are the paths the connector calls, as templates; "{id}"
// stands for one path segment holding an Okta object id.
var endpoints = []string{
	"/api/v1/org",
	"/api/v1/domains",
	"/api/v1/users",
	"/api/v1/users/{id}",
	"/api/v1/groups",
	"/api/v1/groups/{id}",
	"/api/v1/groups/{id}/users",
	"/api/v1/apps",
	"/api/v1/apps/{id}",
	"/api/v1/apps/{id}/users",
	"/api/v1/apps/{id}/groups",
	"/api/v1/logs",
	"/oauth2/v1/token",
	"/.well-known/okta-organization",
}

// OtherEndpoint is the endpoint label of a path not in the list above.
const OtherEndpoint = "other"

// Endpoint returns the template of path for the endpoint label: object
// ids are cut out so that a million users make one series, not a million,
// and an unknown path becomes OtherEndpoint.
func Endpoint(path string) string {
	got := strings.Split(strings.TrimSuffix(path, "/"), "/")
	for _, tmpl := range endpoints {
		if matches(strings.Split(tmpl, "/"), got) {
			return tmpl
		}
	}
	return OtherEndpoint
}

// matches reports whether the segments of a path fit a template's.
func matches(tmpl, path []string) bool {
	if len(tmpl) != len(path) {
		return false
	}
	for i, seg := range tmpl {
		if seg == "{id}" {
			if path[i] == "" {
				return false
			}
			continue
		}
		if seg != path[i] {
			return false
		}
	}
	return true
}
