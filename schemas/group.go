package schemas

import "time"

// Group is one Okta group, the value of the groups topic (groups.avsc).
type Group struct {
	TenantID              string     `avro:"tenant_id"`
	OktaDomain            string     `avro:"okta_domain"`
	ID                    string     `avro:"id"`
	Type                  string     `avro:"type"`
	Name                  string     `avro:"name"`
	Description           *string    `avro:"description"`
	ObjectClass           []string   `avro:"object_class"`
	Created               time.Time  `avro:"created"`
	LastUpdated           time.Time  `avro:"last_updated"`
	LastMembershipUpdated *time.Time `avro:"last_membership_updated"`

	// ProfileExtras holds the profile attributes other than name and
	// description (an AD group's dn, samAccountName, …; API.md §5.2), with
	// the same value rules as Employee.CustomAttributes.
	ProfileExtras map[string]*string `avro:"profile_extras"`

	SourceAppID *string   `avro:"source_app_id"`
	SyncedAt    time.Time `avro:"synced_at"`
}

// GroupMember is one user's membership of one group, the value of the
// group_members topic (group_members.avsc). The member's login and email are
// copied from the member listing so a consumer need not join employees.
type GroupMember struct {
	TenantID   string    `avro:"tenant_id"`
	OktaDomain string    `avro:"okta_domain"`
	GroupID    string    `avro:"group_id"`
	UserID     string    `avro:"user_id"`
	Login      *string   `avro:"login"`
	Email      *string   `avro:"email"`
	SyncedAt   time.Time `avro:"synced_at"`
}
