package schemas

// Stream names: the one spelling used for topic suffixes, checkpoint keys,
// --stream, markers and metric labels (DESIGN.md §3).
const (
	Employees      = "employees"
	Groups         = "groups"
	GroupMembers   = "group_members"
	Apps           = "apps"
	AppAssignments = "app_assignments"
	Organizations  = "organizations"
	Activity       = "activity"
)

// SyncMarkers names the marker topic suffix and its schema. It is not a
// stream: nothing is synced from Okta under this name, but it is published
// and encoded like one.
const SyncMarkers = "sync_markers"

// Streams returns the seven data streams in a fixed order. It returns a new
// slice each call, so a caller may keep or change it.
func Streams() []string {
	return []string{
		Employees, Groups, GroupMembers, Apps, AppAssignments, Organizations, Activity,
	}
}

// Published returns every name that has a schema and a topic: the seven
// streams and SyncMarkers. Codecs encode exactly these.
func Published() []string {
	return append(Streams(), SyncMarkers)
}
