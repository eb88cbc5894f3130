package schemas

import "time"

// Employee is one Okta user's current state, the value of the employees
// topic (employees.avsc). Optional attributes are pointers: nil is published
// as null, whether Okta omitted the attribute or sent null (API.md §4.4).
type Employee struct {
	TenantID              string     `avro:"tenant_id"`
	OktaDomain            string     `avro:"okta_domain"`
	ID                    string     `avro:"id"`
	Status                string     `avro:"status"`
	Created               time.Time  `avro:"created"`
	Activated             *time.Time `avro:"activated"`
	StatusChanged         *time.Time `avro:"status_changed"`
	LastLogin             *time.Time `avro:"last_login"`
	LastUpdated           time.Time  `avro:"last_updated"`
	PasswordChanged       *time.Time `avro:"password_changed"`
	TransitioningToStatus *string    `avro:"transitioning_to_status"`
	UserTypeID            *string    `avro:"user_type_id"`
	RealmID               *string    `avro:"realm_id"`

	Login             string  `avro:"login"`
	Email             *string `avro:"email"`
	FirstName         *string `avro:"first_name"`
	LastName          *string `avro:"last_name"`
	MiddleName        *string `avro:"middle_name"`
	HonorificPrefix   *string `avro:"honorific_prefix"`
	HonorificSuffix   *string `avro:"honorific_suffix"`
	DisplayName       *string `avro:"display_name"`
	NickName          *string `avro:"nick_name"`
	Title             *string `avro:"title"`
	UserType          *string `avro:"user_type"`
	Department        *string `avro:"department"`
	Division          *string `avro:"division"`
	Organization      *string `avro:"organization"`
	CostCenter        *string `avro:"cost_center"`
	EmployeeNumber    *string `avro:"employee_number"`
	Manager           *string `avro:"manager"`
	ManagerID         *string `avro:"manager_id"`
	SecondEmail       *string `avro:"second_email"`
	MobilePhone       *string `avro:"mobile_phone"`
	PrimaryPhone      *string `avro:"primary_phone"`
	StreetAddress     *string `avro:"street_address"`
	City              *string `avro:"city"`
	State             *string `avro:"state"`
	ZipCode           *string `avro:"zip_code"`
	PostalAddress     *string `avro:"postal_address"`
	CountryCode       *string `avro:"country_code"`
	PreferredLanguage *string `avro:"preferred_language"`
	Locale            *string `avro:"locale"`
	Timezone          *string `avro:"timezone"`
	ProfileURL        *string `avro:"profile_url"`

	// CustomAttributes holds every profile attribute that is not a standard
	// one, keyed by Okta's name byte for byte. A nil value is an attribute
	// Okta sent as null (a cleared value); an attribute Okta omitted has no
	// key. A nil map encodes as an empty one.
	CustomAttributes map[string]*string `avro:"custom_attributes"`

	SyncedAt time.Time `avro:"synced_at"`
}

// StandardProfileAttributes lists the Okta profile attribute names that
// Employee has a field for (API.md §4.4), in Okta's spelling. Every other
// profile attribute belongs in CustomAttributes.
func StandardProfileAttributes() []string {
	return []string{
		"login", "email", "firstName", "lastName", "middleName", "honorificPrefix",
		"honorificSuffix", "displayName", "nickName", "title", "userType", "department",
		"division", "organization", "costCenter", "employeeNumber", "manager", "managerId",
		"secondEmail", "mobilePhone", "primaryPhone", "streetAddress", "city", "state",
		"zipCode", "postalAddress", "countryCode", "preferredLanguage", "locale",
		"timezone", "profileUrl",
	}
}
