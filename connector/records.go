package connector

import "github.com/okta-connector/okta-connector/schemas"

// Short local names for the stream names of package schemas, the one
// spelling used for topics, checkpoint keys and markers (DESIGN §3).
const (
	StreamEmployees      = schemas.Employees
	StreamGroups         = schemas.Groups
	StreamGroupMembers   = schemas.GroupMembers
	StreamApps           = schemas.Apps
	StreamAppAssignments = schemas.AppAssignments
	StreamOrganizations  = schemas.Organizations
	StreamActivity       = schemas.Activity
	StreamSyncMarkers    = schemas.SyncMarkers
)

// Record is one Kafka record before encoding: the stream names the topic and
// the schema, Value is the schemas record type, or nil for a tombstone.
type Record struct {
	Stream string
	Key    string
	Value  any
}

// Keys, exactly as DESIGN §3 gives them. Every tenant shares a topic, so the
// tenant leads every key; activity is keyed by the tenant alone so that one
// tenant's events stay on one partition in Okta's order.

// EntityKey is the key of an employee, group or app: "<tenant>/<id>".
func EntityKey(tenant, id string) string { return tenant + "/" + id }

// PairKey is the key of a membership or an assignment:
// "<tenant>/<groupOrAppId>/<userId>".
func PairKey(tenant, owner, userID string) string {
	return tenant + "/" + owner + "/" + userID
}

// TenantKey is the key of the organisation record and of activity events.
func TenantKey(tenant string) string { return tenant }

// MarkerKey is the key of a sync marker: "<tenant>/<stream>".
func MarkerKey(tenant, stream string) string { return tenant + "/" + stream }

// Tombstone returns the record that deletes key from a compacted topic.
func Tombstone(stream, key string) Record { return Record{Stream: stream, Key: key} }
