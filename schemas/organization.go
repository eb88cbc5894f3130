package schemas

import "time"

// Organization is the Okta org's own settings and domains, the value of the
// organizations topic (organizations.avsc). PrimaryDomain comes from
// /.well-known/okta-organization and CustomDomains from /api/v1/domains
// (API.md §7.2).
type Organization struct {
	TenantID              string     `avro:"tenant_id"`
	OktaDomain            string     `avro:"okta_domain"`
	ID                    string     `avro:"id"`
	CompanyName           string     `avro:"company_name"`
	Subdomain             string     `avro:"subdomain"`
	PrimaryDomain         *string    `avro:"primary_domain"`
	CustomDomains         []string   `avro:"custom_domains"`
	Status                string     `avro:"status"`
	Created               time.Time  `avro:"created"`
	LastUpdated           time.Time  `avro:"last_updated"`
	ExpiresAt             *time.Time `avro:"expires_at"`
	Website               *string    `avro:"website"`
	PhoneNumber           *string    `avro:"phone_number"`
	SupportPhoneNumber    *string    `avro:"support_phone_number"`
	EndUserSupportHelpURL *string    `avro:"end_user_support_help_url"`
	Address1              *string    `avro:"address1"`
	Address2              *string    `avro:"address2"`
	City                  *string    `avro:"city"`
	State                 *string    `avro:"state"`
	Country               *string    `avro:"country"`
	PostalCode            *string    `avro:"postal_code"`
	SyncedAt              time.Time  `avro:"synced_at"`
}
