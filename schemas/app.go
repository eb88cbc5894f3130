package schemas

import "time"

// App is one app in the org's catalogue, the value of the apps topic
// (apps.avsc). Settings vary by app type, so they travel as JSON text.
type App struct {
	TenantID     string    `avro:"tenant_id"`
	OktaDomain   string    `avro:"okta_domain"`
	ID           string    `avro:"id"`
	Name         string    `avro:"name"`
	Label        string    `avro:"label"`
	Status       string    `avro:"status"`
	SignOnMode   *string   `avro:"sign_on_mode"`
	Created      time.Time `avro:"created"`
	LastUpdated  time.Time `avro:"last_updated"`
	Features     []string  `avro:"features"`
	SettingsJSON *string   `avro:"settings_json"`
	SyncedAt     time.Time `avro:"synced_at"`
}

// AppAssignment is one user's assignment to one app, the value of the
// app_assignments topic (app_assignments.avsc). The app-specific profile
// travels as JSON text; credentials other than the user name are never kept.
type AppAssignment struct {
	TenantID      string     `avro:"tenant_id"`
	OktaDomain    string     `avro:"okta_domain"`
	AppID         string     `avro:"app_id"`
	UserID        string     `avro:"user_id"`
	Scope         string     `avro:"scope"`
	Status        string     `avro:"status"`
	SyncState     *string    `avro:"sync_state"`
	ExternalID    *string    `avro:"external_id"`
	UserName      *string    `avro:"user_name"`
	Created       time.Time  `avro:"created"`
	LastUpdated   time.Time  `avro:"last_updated"`
	StatusChanged *time.Time `avro:"status_changed"`
	LastSync      *time.Time `avro:"last_sync"`
	ProfileJSON   *string    `avro:"profile_json"`
	SyncedAt      time.Time  `avro:"synced_at"`
}
