package connector

import (
	"encoding/json"
	"time"

	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/schemas"
)

// standardAttrs is the set of profile attributes the Employee schema names
// field by field; every other attribute goes into custom_attributes.
var standardAttrs = func() map[string]bool {
	m := map[string]bool{}
	for _, a := range schemas.StandardProfileAttributes() {
		m[a] = true
	}
	return m
}()

// employee maps a user. A null attribute and a missing one both become a
// null field; a cleared custom attribute stays in the map as a null value
// so that consumers see the clearing (schemas package doc).
func (t *tenantRun) employee(u okta.User, now time.Time) schemas.Employee {
	p := u.Profile
	e := schemas.Employee{
		TenantID: t.ID, OktaDomain: t.Domain, ID: u.ID, Status: u.Status,
		Created: u.Created, Activated: u.Activated, StatusChanged: u.StatusChanged,
		LastLogin: u.LastLogin, LastUpdated: u.LastUpdated,
		PasswordChanged:       u.PasswordChanged,
		TransitioningToStatus: nonEmpty(u.TransitioningToStatus),
		RealmID:               nonEmpty(u.RealmID),
		Email:                 p.String("email"), FirstName: p.String("firstName"),
		LastName: p.String("lastName"), MiddleName: p.String("middleName"),
		HonorificPrefix: p.String("honorificPrefix"),
		HonorificSuffix: p.String("honorificSuffix"),
		DisplayName:     p.String("displayName"), NickName: p.String("nickName"),
		Title: p.String("title"), UserType: p.String("userType"),
		Department: p.String("department"), Division: p.String("division"),
		Organization: p.String("organization"), CostCenter: p.String("costCenter"),
		EmployeeNumber: p.String("employeeNumber"), Manager: p.String("manager"),
		ManagerID: p.String("managerId"), SecondEmail: p.String("secondEmail"),
		MobilePhone: p.String("mobilePhone"), PrimaryPhone: p.String("primaryPhone"),
		StreetAddress: p.String("streetAddress"), City: p.String("city"),
		State: p.String("state"), ZipCode: p.String("zipCode"),
		PostalAddress: p.String("postalAddress"), CountryCode: p.String("countryCode"),
		PreferredLanguage: p.String("preferredLanguage"), Locale: p.String("locale"),
		Timezone: p.String("timezone"), ProfileURL: p.String("profileUrl"),
		CustomAttributes: extras(p, standardAttrs),
		SyncedAt:         now,
	}
	if login := p.String("login"); login != nil {
		e.Login = *login
	}
	if u.Type != nil {
		e.UserTypeID = nonEmpty(u.Type.ID)
	}
	return e
}

// groupProfileAttrs are the group profile attributes with fields of their own.
var groupProfileAttrs = map[string]bool{"name": true, "description": true}

func (t *tenantRun) group(g okta.Group, now time.Time) schemas.Group {
	r := schemas.Group{
		TenantID: t.ID, OktaDomain: t.Domain, ID: g.ID, Type: g.Type,
		Description: g.Profile.String("description"),
		ObjectClass: g.ObjectClass, Created: g.Created, LastUpdated: g.LastUpdated,
		ProfileExtras: extras(g.Profile, groupProfileAttrs),
		SyncedAt:      now,
	}
	if r.ObjectClass == nil {
		r.ObjectClass = []string{}
	}
	if name := g.Profile.String("name"); name != nil {
		r.Name = *name
	}
	if !g.LastMembershipUpdated.IsZero() {
		r.LastMembershipUpdated = &g.LastMembershipUpdated
	}
	var emb struct {
		App *struct{ ID string } `json:"app"`
	}
	if json.Unmarshal(g.Embedded, &emb) == nil && emb.App != nil {
		r.SourceAppID = nonEmpty(emb.App.ID)
	}
	return r
}

func (t *tenantRun) member(groupID string, u okta.User, now time.Time) schemas.GroupMember {
	return schemas.GroupMember{
		TenantID: t.ID, OktaDomain: t.Domain, GroupID: groupID, UserID: u.ID,
		Login: u.Profile.String("login"), Email: u.Profile.String("email"),
		SyncedAt: now,
	}
}

func (t *tenantRun) app(a okta.App, now time.Time) schemas.App {
	r := schemas.App{
		TenantID: t.ID, OktaDomain: t.Domain, ID: a.ID, Name: a.Name,
		Label: a.Label, Status: a.Status, SignOnMode: nonEmpty(a.SignOnMode),
		Created: a.Created, LastUpdated: a.LastUpdated, Features: a.Features,
		SettingsJSON: rawJSON(a.Settings), SyncedAt: now,
	}
	if r.Features == nil {
		r.Features = []string{}
	}
	return r
}

func (t *tenantRun) assignment(appID string, u okta.AppUser,
	now time.Time) schemas.AppAssignment {
	r := schemas.AppAssignment{
		TenantID: t.ID, OktaDomain: t.Domain, AppID: appID, UserID: u.ID,
		Scope: u.Scope, Status: u.Status, SyncState: nonEmpty(u.SyncState),
		ExternalID: u.ExternalID, Created: u.Created, LastUpdated: u.LastUpdated,
		StatusChanged: u.StatusChanged, LastSync: u.LastSync, SyncedAt: now,
	}
	if u.Credentials != nil {
		r.UserName = u.Credentials.UserName
	}
	if u.Profile != nil {
		if b, err := json.Marshal(u.Profile); err == nil {
			s := string(b)
			r.ProfileJSON = &s
		}
	}
	return r
}

// orgSource is everything the organisation record is made of.
type orgSource struct {
	Org       okta.Org
	WellKnown okta.WellKnownOrg
	Domains   []okta.Domain
}

func (t *tenantRun) organization(s orgSource, now time.Time) schemas.Organization {
	o := s.Org
	r := schemas.Organization{
		TenantID: t.ID, OktaDomain: t.Domain, ID: o.ID, CompanyName: o.CompanyName,
		Subdomain: o.Subdomain, CustomDomains: []string{}, Status: o.Status,
		Created: o.Created, LastUpdated: o.LastUpdated, ExpiresAt: o.ExpiresAt,
		Website: o.Website, PhoneNumber: o.PhoneNumber,
		SupportPhoneNumber:    o.SupportPhoneNumber,
		EndUserSupportHelpURL: o.EndUserSupportHelpURL,
		Address1:              o.Address1, Address2: o.Address2, City: o.City,
		State: o.State, Country: o.Country, PostalCode: o.PostalCode,
		SyncedAt: now,
	}
	if l := s.WellKnown.Links.Organization; l != nil {
		r.PrimaryDomain = nonEmpty(l.Href)
	}
	for _, d := range s.Domains {
		r.CustomDomains = append(r.CustomDomains, d.Domain)
	}
	return r
}

// extras returns the profile attributes not in named, each as text or nil.
func extras(p okta.Profile, named map[string]bool) map[string]*string {
	out := map[string]*string{}
	for k := range p {
		if !named[k] {
			out[k] = p.String(k)
		}
	}
	return out
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// rawJSON keeps a loosely typed subtree as its JSON text, nil when absent
// or null (DESIGN §3).
func rawJSON(raw json.RawMessage) *string {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	s := string(raw)
	return &s
}
