package oktasim

import (
	"bytes"
	"encoding/json"
	"sync/atomic"
	"time"
)

// The eight user statuses (API.md §4.4).
const (
	StatusStaged          = "STAGED"
	StatusProvisioned     = "PROVISIONED"
	StatusActive          = "ACTIVE"
	StatusRecovery        = "RECOVERY"
	StatusPasswordExpired = "PASSWORD_EXPIRED"
	StatusLockedOut       = "LOCKED_OUT"
	StatusSuspended       = "SUSPENDED"
	StatusDeprovisioned   = "DEPROVISIONED"
)

// AllStatuses lists every user status, for filters that OR them all.
var AllStatuses = []string{
	StatusStaged, StatusProvisioned, StatusActive, StatusRecovery,
	StatusPasswordExpired, StatusLockedOut, StatusSuspended,
	StatusDeprovisioned,
}

// attr is one profile attribute. value is string, float64, bool, nil or
// []string; keeping profiles as ordered slices rather than maps keeps a
// 100k-user org small and its JSON in a stable order.
type attr struct {
	name  string
	value any
}

// profile is an ordered attribute list; unset attributes are absent,
// which is how Okta omits them (API.md §4.4).
type profile []attr

func (p profile) get(name string) (any, bool) {
	for _, a := range p {
		if a.name == name {
			return a.value, true
		}
	}
	return nil, false
}

func (p profile) str(name string) string {
	v, _ := p.get(name)
	s, _ := v.(string)
	return s
}

// set replaces or appends name.
func (p *profile) set(name string, v any) {
	for i := range *p {
		if (*p)[i].name == name {
			(*p)[i].value = v
			return
		}
	}
	*p = append(*p, attr{name, v})
}

// MarshalJSON writes the attributes in their stored order.
func (p profile) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, a := range p {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(a.name)
		v, err := json.Marshal(a.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (p profile) toMap() map[string]any {
	m := make(map[string]any, len(p))
	for _, a := range p {
		m[a.name] = a.value
	}
	return m
}

// user is the compact form of one user.
type user struct {
	id              string
	status          string
	created         time.Time
	activated       time.Time // zero: null
	statusChanged   time.Time
	lastLogin       time.Time
	lastUpdated     time.Time
	passwordChanged time.Time
	typeID          string
	hasPassword     bool
	recoveryQ       string
	profile         profile

	// Cached renderings (cache.go): the list form, the reference events
	// name it by, and the credentials and profile of an app user.
	list, ref, app atomic.Pointer[cached]
}

// group is one group with its members as sorted user ids.
type group struct {
	id                    string
	typ                   string // OKTA_GROUP | APP_GROUP | BUILT_IN
	created               time.Time
	lastUpdated           time.Time
	lastMembershipUpdated time.Time
	profile               profile // name, description, AD attributes
	sourceApp             string  // APP_GROUP only
	members               []string

	rendered atomic.Pointer[cached] // without expand (cache.go)
}

// app is one application with its direct and group assignments, each
// sorted by id.
type app struct {
	id, name, label string
	status          string // ACTIVE | INACTIVE
	signOnMode      string
	created         time.Time
	lastUpdated     time.Time
	users           []assignment
	groups          []groupAssignment

	rendered atomic.Pointer[cached] // cache.go
}

type assignment struct {
	userID string
	at     time.Time
}

type groupAssignment struct {
	groupID  string
	priority int
	at       time.Time
}

// orgInfo is the org's own settings (API.md §7.1) and its domains.
type orgInfo struct {
	id, subdomain, companyName string
	created, lastUpdated       time.Time
	website, phone, support    string
	address1, city, state      string
	country, postalCode        string
	customDomain               string
	domainID, brandID          string
}

// ts renders an Okta timestamp with milliseconds, or null when zero
// (API.md §4.4).
type ts time.Time

// MarshalJSON writes "2006-01-02T15:04:05.000Z" or null.
func (t ts) MarshalJSON() ([]byte, error) {
	tt := time.Time(t)
	if tt.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + formatMillis(tt) + `"`), nil
}

func formatMillis(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// href is a HAL link.
type href struct {
	Href   string `json:"href"`
	Method string `json:"method,omitempty"`
	Type   string `json:"type,omitempty"`
	Name   string `json:"name,omitempty"`
}
