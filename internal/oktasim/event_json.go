package oktasim

import (
	"encoding/json"
	"time"
)

// client is one HTTP client behind events; addresses are in the RFC 5737
// documentation ranges, AS numbers in the documentation range.
type client struct {
	ip, city, state, country, postal string
	lat, lon                         float64
	ua, os, browser, device          string
	asn                              int
	isp, domain                      string
}

var clients = []client{
	{"198.51.100.23", "Austin", "Texas", "United States", "78701", 30.2672, -97.7431,
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) " +
			"Chrome/125.0.0.0 Safari/537.36", "Windows 10", "CHROME", "Computer",
		64501, "example broadband", "example.net"},
	{"203.0.113.87", "Gothenburg", "Vastra Gotaland", "Sweden", "411 03", 57.7089, 11.9746,
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like " +
			"Gecko) Version/17.4 Safari/605.1.15", "Mac OS X", "SAFARI", "Computer",
		64507, "example nordic telecom", "example.se"},
	{"192.0.2.45", "Dallas", "Texas", "United States", "75201", 32.7876, -96.7994,
		"sim-hr-sync/2.4.1 Go-http-client/2.0", "Unknown", "UNKNOWN", "Unknown",
		64496, "example corp networks", "example.com"},
	{"198.51.100.200", "Tokyo", "Tokyo", "Japan", "100-0001", 35.6812, 139.7671,
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15",
		"iOS", "MOBILE_SAFARI", "Mobile", 64510, "example mobile", "example.jp"},
}

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

func (r ref) json() refJSON {
	return refJSON{r.id, r.typ, r.alternateID, r.display, r.detail}
}

// render builds the event's JSON shape after samples/logs-page.json:
// target null without targets, client.zone the string "null" (or null),
// detailEntry object or null, version "0" as a string (API.md §8.5,
// §10 item 12).
func (e *event) render() eventJSON {
	var j eventJSON
	j.Actor = e.actor.json()
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
	j.DebugContext.DebugData = e.debugData()
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
		j.Target = append(j.Target, t.json())
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

func (e *event) severity() string {
	if e.failure != "" && e.typ.severity == "INFO" {
		return "WARN"
	}
	return e.typ.severity
}

func (e *event) publishedText() string {
	if e.noMillis {
		return e.published.UTC().Format(time.RFC3339)
	}
	return formatMillis(e.published)
}

// debugData is a free-form object; now and then it arrives as a string,
// which a consumer must carry as text (DESIGN.md §3).
func (e *event) debugData() any {
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
