package oktasim

import (
	"encoding/json"
	"strings"
	"time"
)

// The encoding/json shapes the simulator rendered with before it wrote
// JSON bytes directly; render_test.go checks the appenders against them.

type geoJSON struct {
	City        *string `json:"city"`
	State       *string `json:"state"`
	Country     *string `json:"country"`
	PostalCode  *string `json:"postalCode"`
	Geolocation *struct {
		Lat float64 `json:"lat"`
		Lon float64 `json:"lon"`
	} `json:"geolocation"`
}

type refJSON struct {
	ID          string            `json:"id"`
	Type        string            `json:"type"`
	AlternateID string            `json:"alternateId"`
	DisplayName string            `json:"displayName"`
	DetailEntry map[string]string `json:"detailEntry"`
}

type eventJSON struct {
	Actor  refJSON `json:"actor"`
	Client struct {
		UserAgent *struct {
			RawUserAgent string `json:"rawUserAgent"`
			OS           string `json:"os"`
			Browser      string `json:"browser"`
		} `json:"userAgent"`
		Zone                *string  `json:"zone"`
		Device              *string  `json:"device"`
		ID                  *string  `json:"id"`
		IPAddress           *string  `json:"ipAddress"`
		GeographicalContext *geoJSON `json:"geographicalContext"`
	} `json:"client"`
	AuthenticationContext map[string]any `json:"authenticationContext"`
	DisplayMessage        *string        `json:"displayMessage"`
	EventType             string         `json:"eventType"`
	Outcome               struct {
		Result string  `json:"result"`
		Reason *string `json:"reason"`
	} `json:"outcome"`
	Published       string         `json:"published"`
	SecurityContext map[string]any `json:"securityContext"`
	Severity        string         `json:"severity"`
	DebugContext    struct {
		DebugData any `json:"debugData"`
	} `json:"debugContext"`
	LegacyEventType *string `json:"legacyEventType"`
	Transaction     struct {
		Type   string            `json:"type"`
		ID     string            `json:"id"`
		Detail map[string]string `json:"detail"`
	} `json:"transaction"`
	UUID    string         `json:"uuid"`
	Version string         `json:"version"`
	Request map[string]any `json:"request"`
	Target  []refJSON      `json:"target"`
}

func strp(s string) *string { return &s }

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (r ref) refJSON() refJSON {
	return refJSON{r.id, r.typ, r.alternateID, r.display, r.detail}
}

// render is the reference shape of an event, through encoding/json, that
// appendEvent must match byte for byte.
func (e *event) render() eventJSON {
	var j eventJSON
	j.Actor = e.actor.refJSON()
	if e.client >= 0 {
		c := clients[e.client]
		e.renderClient(&j, c)
	}
	j.AuthenticationContext = map[string]any{
		"authenticationProvider": nil, "credentialProvider": nil,
		"credentialType": nil, "issuer": nil, "interface": nil,
		"authenticationStep": 0, "externalSessionId": nullable(e.sessionID),
	}
	if e.typ.name == "user.session.start" {
		j.AuthenticationContext["authenticationProvider"] = "OKTA_AUTHENTICATION_PROVIDER"
		j.AuthenticationContext["credentialType"] = "PASSWORD"
		if e.failure != "" {
			j.AuthenticationContext["externalSessionId"] = nil
		}
	}
	j.DisplayMessage = nullable(e.typ.display)
	j.EventType = e.typ.name
	j.Outcome.Result = "SUCCESS"
	if e.failure != "" {
		j.Outcome.Result = "FAILURE"
		if e.failure == "DENY" {
			j.Outcome.Result = "DENY"
		}
		j.Outcome.Reason = strp(e.failure)
	}
	j.Published = e.publishedText()
	j.Severity = e.severity()
	j.DebugContext.DebugData = e.debugDataRef()
	j.LegacyEventType = nullable(e.typ.legacy)
	j.Transaction.Type = "WEB"
	j.Transaction.ID = e.txID
	j.Transaction.Detail = map[string]string{}
	if e.tokenID != "" {
		j.Transaction.Detail["requestApiTokenId"] = e.tokenID
	}
	j.UUID = e.uuid
	j.Version = "0"
	for _, t := range e.targets {
		j.Target = append(j.Target, t.refJSON())
	}
	return j
}

func (e *event) renderClient(j *eventJSON, c client) {
	j.Client.UserAgent = &struct {
		RawUserAgent string `json:"rawUserAgent"`
		OS           string `json:"os"`
		Browser      string `json:"browser"`
	}{c.ua, c.os, c.browser}
	if !e.zoneNull {
		j.Client.Zone = strp("null")
	}
	j.Client.Device = strp(c.device)
	j.Client.IPAddress = strp(c.ip)
	geo := &geoJSON{City: strp(c.city), State: strp(c.state), Country: strp(c.country),
		PostalCode: strp(c.postal)}
	geo.Geolocation = &struct {
		Lat float64 `json:"lat"`
		Lon float64 `json:"lon"`
	}{c.lat, c.lon}
	j.Client.GeographicalContext = geo
	j.SecurityContext = map[string]any{"asNumber": c.asn, "asOrg": c.isp, "isp": c.isp,
		"domain": c.domain, "isProxy": false}
	j.Request = map[string]any{"ipChain": []map[string]any{{
		"ip": c.ip, "geographicalContext": geo, "version": "V4", "source": nil}}}
}

func (e *event) debugDataRef() any {
	d := map[string]string{"requestId": e.requestID}
	if e.path != "" {
		d["requestUri"] = e.path
		d["url"] = e.path + "?"
	}
	if e.debugText {
		b, _ := json.Marshal(d)
		return string(b)
	}
	return d
}

func (e *event) publishedText() string {
	if e.noMillis {
		return e.published.UTC().Format(time.RFC3339)
	}
	return formatMillis(e.published)
}

type userJSON struct {
	ID              string `json:"id"`
	Status          string `json:"status"`
	Created         ts     `json:"created"`
	Activated       ts     `json:"activated"`
	StatusChanged   ts     `json:"statusChanged"`
	LastLogin       ts     `json:"lastLogin"`
	LastUpdated     ts     `json:"lastUpdated"`
	PasswordChanged ts     `json:"passwordChanged"`
	Type            struct {
		ID string `json:"id"`
	} `json:"type"`
	Profile     profile         `json:"profile"`
	Credentials credJSON        `json:"credentials"`
	Links       map[string]href `json:"_links"`
}

type credJSON struct {
	Password *struct{} `json:"password,omitempty"`
	Recovery *struct {
		Question string `json:"question"`
	} `json:"recovery_question,omitempty"`
	Provider struct {
		Type string `json:"type"`
		Name string `json:"name"`
	} `json:"provider"`
}

// renderUser builds the user object of API.md §4.4; list responses carry
// only _links.self, a single GET the lifecycle links (samples/user-get.json).
func renderUser(u *user, base string, full bool) userJSON {
	j := userJSON{ID: u.id, Status: u.status, Created: ts(u.created),
		Activated: ts(u.activated), StatusChanged: ts(u.statusChanged),
		LastLogin: ts(u.lastLogin), LastUpdated: ts(u.lastUpdated),
		PasswordChanged: ts(u.passwordChanged), Profile: u.profile}
	j.Type.ID = u.typeID
	if u.hasPassword {
		j.Credentials.Password = &struct{}{}
	}
	if u.recoveryQ != "" {
		j.Credentials.Recovery = &struct {
			Question string `json:"question"`
		}{u.recoveryQ}
	}
	j.Credentials.Provider.Type, j.Credentials.Provider.Name = "OKTA", "OKTA"
	self := base + "/api/v1/users/" + u.id
	j.Links = map[string]href{"self": {Href: self}}
	if full {
		for _, l := range []string{"suspend", "deactivate", "reset_password", "expire_password"} {
			j.Links[lifecycleName(l)] = href{Href: self + "/lifecycle/" + l, Method: "POST"}
		}
	}
	return j
}

func lifecycleName(l string) string {
	parts := strings.Split(l, "_")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

type appUserJSON struct {
	ID              string            `json:"id"`
	ExternalID      *string           `json:"externalId"`
	Created         ts                `json:"created"`
	LastUpdated     ts                `json:"lastUpdated"`
	Scope           string            `json:"scope"`
	Status          string            `json:"status"`
	StatusChanged   ts                `json:"statusChanged"`
	PasswordChanged *string           `json:"passwordChanged"`
	SyncState       string            `json:"syncState"`
	Credentials     map[string]string `json:"credentials"`
	Profile         map[string]any    `json:"profile"`
	Links           map[string]href   `json:"_links"`
}

func refAppUser(au appUser, u *user, a *app, base string) appUserJSON {
	created := latest(au.at, u.created)
	return appUserJSON{
		ID: u.id, Created: ts(created), LastUpdated: ts(latest(created, u.lastUpdated)),
		Scope: au.scope, Status: "ACTIVE", StatusChanged: ts(created), SyncState: "DISABLED",
		Credentials: map[string]string{"userName": u.profile.str("login")},
		Profile: map[string]any{"email": u.profile.str("email"),
			"firstName": u.profile.str("firstName"), "lastName": u.profile.str("lastName")},
		Links: map[string]href{"app": {Href: base + "/api/v1/apps/" + a.id},
			"user": {Href: base + "/api/v1/users/" + u.id}},
	}
}
