package okta

import (
	"encoding/json"
	"time"
	"unicode/utf8"
)

// User is one Okta user as the Users API returns it. Fields Okta may omit or
// send as null are pointers or empty strings; timestamps accept Okta's forms
// with and without milliseconds.
type User struct {
	ID                    string     `json:"id"`
	Status                string     `json:"status"`
	Created               time.Time  `json:"created"`
	Activated             *time.Time `json:"activated"`
	StatusChanged         *time.Time `json:"statusChanged"`
	LastLogin             *time.Time `json:"lastLogin"`
	LastUpdated           time.Time  `json:"lastUpdated"`
	PasswordChanged       *time.Time `json:"passwordChanged"`
	TransitioningToStatus string     `json:"transitioningToStatus,omitempty"`
	Type                  *TypeRef   `json:"type,omitempty"`
	RealmID               string     `json:"realmId,omitempty"`
	Profile               Profile    `json:"profile"`
}

// TypeRef is a reference to another Okta object by id, such as a user type.
type TypeRef struct {
	ID string `json:"id"`
}

// Profile holds a profile's attributes exactly as Okta sent them: the
// attribute name, byte for byte, and its raw JSON value. An attribute sent
// as null is kept with the value `null`; an omitted one is absent. Use
// String to read one.
type Profile map[string]json.RawMessage

// String returns the attribute's value: a JSON string as its text, any other
// JSON value (number, bool, array, object) as its JSON text, and nil when the
// attribute is missing or null.
func (p Profile) String(name string) *string {
	raw, ok := p[name]
	if !ok {
		return nil
	}
	return rawText(raw)
}

// rawText turns one raw JSON value into text: strings unquoted, null into
// nil, everything else kept as its JSON text.
func rawText(raw json.RawMessage) *string {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if raw[0] == '"' {
		if s, ok := plainString(raw); ok {
			return &s
		}
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			return &s
		}
	}
	s := string(raw)
	return &s
}

// plainString unquotes a JSON string that needs no unescaping: no escape,
// no quote or control byte inside, valid UTF-8. Nearly every profile value
// is one, and this skips a full decoder per attribute.
func plainString(raw []byte) (string, bool) {
	n := len(raw)
	if n < 2 || raw[n-1] != '"' {
		return "", false
	}
	inner := raw[1 : n-1]
	for _, c := range inner {
		if c < 0x20 || c == '"' || c == '\\' {
			return "", false
		}
	}
	if !utf8.Valid(inner) {
		return "", false
	}
	return string(inner), true
}

// Group is one Okta group.
type Group struct {
	ID                    string          `json:"id"`
	Created               time.Time       `json:"created"`
	LastUpdated           time.Time       `json:"lastUpdated"`
	LastMembershipUpdated time.Time       `json:"lastMembershipUpdated"`
	ObjectClass           []string        `json:"objectClass"`
	Type                  string          `json:"type"`
	Profile               Profile         `json:"profile"`
	Embedded              json.RawMessage `json:"_embedded,omitempty"`
}

// App is one application instance in the org's catalogue. Settings-like
// subtrees vary by app type and are kept as raw JSON.
type App struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Label       string          `json:"label"`
	Status      string          `json:"status"`
	SignOnMode  string          `json:"signOnMode"`
	Created     time.Time       `json:"created"`
	LastUpdated time.Time       `json:"lastUpdated"`
	Features    []string        `json:"features"`
	Settings    json.RawMessage `json:"settings,omitempty"`
}

// AppUser is one user's assignment to an app.
type AppUser struct {
	ID              string          `json:"id"`
	ExternalID      *string         `json:"externalId"`
	Created         time.Time       `json:"created"`
	LastUpdated     time.Time       `json:"lastUpdated"`
	StatusChanged   *time.Time      `json:"statusChanged"`
	PasswordChanged *time.Time      `json:"passwordChanged"`
	LastSync        *time.Time      `json:"lastSync"`
	Scope           string          `json:"scope"`
	Status          string          `json:"status"`
	SyncState       string          `json:"syncState"`
	Credentials     *AppCredentials `json:"credentials"`
	Profile         Profile         `json:"profile"`
}

// AppCredentials is the part of an app user's credentials worth keeping: the
// user name in the downstream app. Passwords are never decoded.
type AppCredentials struct {
	UserName *string `json:"userName"`
}

// Org is the org's own settings from /api/v1/org.
type Org struct {
	ID                    string     `json:"id"`
	Subdomain             string     `json:"subdomain"`
	CompanyName           string     `json:"companyName"`
	Status                string     `json:"status"`
	ExpiresAt             *time.Time `json:"expiresAt"`
	Created               time.Time  `json:"created"`
	LastUpdated           time.Time  `json:"lastUpdated"`
	Website               *string    `json:"website"`
	PhoneNumber           *string    `json:"phoneNumber"`
	SupportPhoneNumber    *string    `json:"supportPhoneNumber"`
	EndUserSupportHelpURL *string    `json:"endUserSupportHelpURL"`
	Address1              *string    `json:"address1"`
	Address2              *string    `json:"address2"`
	City                  *string    `json:"city"`
	State                 *string    `json:"state"`
	Country               *string    `json:"country"`
	PostalCode            *string    `json:"postalCode"`
}

// Domain is one custom domain from /api/v1/domains.
type Domain struct {
	ID                    string `json:"id"`
	Domain                string `json:"domain"`
	CertificateSourceType string `json:"certificateSourceType"`
	ValidationStatus      string `json:"validationStatus"`
	BrandID               string `json:"brandId"`
}

// WellKnownOrg is /.well-known/okta-organization: the org's primary Okta
// domain and, when one exists, its custom domain.
type WellKnownOrg struct {
	ID       string `json:"id"`
	Pipeline string `json:"pipeline"`
	Links    struct {
		Organization *Href `json:"organization"`
		Alternate    *Href `json:"alternate"`
	} `json:"_links"`
}

// Href is a HAL link.
type Href struct {
	Href string `json:"href"`
}

// LogEvent is one System Log event. Subtrees whose shape varies from event to
// event (debug data, detail entries, change details, the device, security
// context) are kept as raw JSON so that nothing is lost; everything except
// uuid, published, eventType, version, severity and actor may be null.
type LogEvent struct {
	UUID                  string          `json:"uuid"`
	Published             time.Time       `json:"published"`
	EventType             string          `json:"eventType"`
	Version               json.RawMessage `json:"version"`
	Severity              string          `json:"severity"`
	LegacyEventType       *string         `json:"legacyEventType"`
	DisplayMessage        *string         `json:"displayMessage"`
	Actor                 *LogActor       `json:"actor"`
	Client                *LogClient      `json:"client"`
	Device                json.RawMessage `json:"device,omitempty"`
	AuthenticationContext json.RawMessage `json:"authenticationContext"`
	Outcome               *LogOutcome     `json:"outcome"`
	Target                []LogTarget     `json:"target"`
	Transaction           *LogTransaction `json:"transaction"`
	DebugContext          *LogDebug       `json:"debugContext"`
	SecurityContext       json.RawMessage `json:"securityContext"`
	Request               json.RawMessage `json:"request"`
}

// LogActor is who caused an event.
type LogActor struct {
	ID          string          `json:"id"`
	Type        string          `json:"type"`
	AlternateID *string         `json:"alternateId"`
	DisplayName *string         `json:"displayName"`
	DetailEntry json.RawMessage `json:"detailEntry"`
}

// LogTarget is one object an event acted on.
type LogTarget struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	AlternateID   *string         `json:"alternateId"`
	DisplayName   *string         `json:"displayName"`
	DetailEntry   json.RawMessage `json:"detailEntry"`
	ChangeDetails json.RawMessage `json:"changeDetails"`
}

// LogClient is the HTTP client behind an event, when there was one.
type LogClient struct {
	UserAgent           *LogUserAgent   `json:"userAgent"`
	Zone                *string         `json:"zone"`
	Device              *string         `json:"device"`
	ID                  *string         `json:"id"`
	IPAddress           *string         `json:"ipAddress"`
	GeographicalContext json.RawMessage `json:"geographicalContext"`
}

// LogUserAgent is the parsed user agent of an event's client.
type LogUserAgent struct {
	RawUserAgent *string `json:"rawUserAgent"`
	OS           *string `json:"os"`
	Browser      *string `json:"browser"`
}

// LogOutcome is an event's result and its reason.
type LogOutcome struct {
	Result string  `json:"result"`
	Reason *string `json:"reason"`
}

// LogTransaction ties the events of one request or job together.
type LogTransaction struct {
	Type   *string         `json:"type"`
	ID     *string         `json:"id"`
	Detail json.RawMessage `json:"detail"`
}

// LogDebug holds an event's free-form debug data.
type LogDebug struct {
	DebugData json.RawMessage `json:"debugData"`
}
