package connector_test

import (
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/schemas"
)

// truthKeys returns, per stream, the keys a full sync of org must publish,
// and the uuids of the events persisted by asOf.
func truthKeys(org *oktasim.Org, tenant string, asOf time.Time) (map[string]map[string]bool,
	map[string]bool) {
	keys := map[string]map[string]bool{}
	for _, s := range schemas.Streams() {
		keys[s] = map[string]bool{}
	}
	keys[schemas.Organizations][tenant] = true
	for _, u := range org.Users() {
		keys[schemas.Employees][key(tenant, u.ID)] = true
	}
	for _, g := range org.Groups() {
		keys[schemas.Groups][key(tenant, g.ID)] = true
		for _, u := range g.Members {
			keys[schemas.GroupMembers][key(tenant, g.ID, u)] = true
		}
	}
	for _, a := range org.Apps() {
		keys[schemas.Apps][key(tenant, a.ID)] = true
		for _, u := range org.AppUserIDs(a.ID) {
			keys[schemas.AppAssignments][key(tenant, a.ID, u)] = true
		}
	}
	uuids := map[string]bool{}
	for e := range org.Events() {
		if !e.Persisted.After(asOf) {
			uuids[e.UUID] = true
		}
	}
	keys[schemas.Activity][tenant] = true
	return keys, uuids
}
