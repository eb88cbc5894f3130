package oktasim

import (
	"slices"
	"strconv"
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

// clientFragments are the parts of an event that depend on its client
// alone, written once: client (with zone "null" and with zone null),
// securityContext and request.
type clientFragments struct {
	client   [2][]byte // index 1: zone null
	security []byte
	request  []byte
}

var clientJSON = func() []clientFragments {
	out := make([]clientFragments, len(clients))
	for i, c := range clients {
		geo := appendGeo(nil, c)
		for z, zone := range []string{`"null"`, "null"} {
			b := []byte(`{"userAgent":{"rawUserAgent":`)
			b = appendString(b, c.ua)
			b = append(b, `,"os":`...)
			b = appendString(b, c.os)
			b = append(b, `,"browser":`...)
			b = appendString(b, c.browser)
			b = append(b, `},"zone":`+zone+`,"device":`...)
			b = appendString(b, c.device)
			b = append(b, `,"id":null,"ipAddress":`...)
			b = appendString(b, c.ip)
			b = append(b, `,"geographicalContext":`...)
			b = append(b, geo...)
			out[i].client[z] = append(b, '}')
		}
		b := append([]byte(`{"asNumber":`), strconv.Itoa(c.asn)...)
		b = append(b, `,"asOrg":`...)
		b = appendString(b, c.isp)
		b = append(b, `,"domain":`...)
		b = appendString(b, c.domain)
		b = append(b, `,"isProxy":false,"isp":`...)
		b = appendString(b, c.isp)
		out[i].security = append(b, '}')
		b = append([]byte(`{"ipChain":[{"geographicalContext":`), geo...)
		b = append(b, `,"ip":`...)
		b = appendString(b, c.ip)
		out[i].request = append(b, `,"source":null,"version":"V4"}]}`...)
	}
	return out
}()

// noClient is the client object of an event without an HTTP client.
const noClient = `{"userAgent":null,"zone":null,"device":null,"id":null,` +
	`"ipAddress":null,"geographicalContext":null}`

func appendGeo(b []byte, c client) []byte {
	b = append(b, `{"city":`...)
	b = appendString(b, c.city)
	b = append(b, `,"state":`...)
	b = appendString(b, c.state)
	b = append(b, `,"country":`...)
	b = appendString(b, c.country)
	b = append(b, `,"postalCode":`...)
	b = appendString(b, c.postal)
	b = append(b, `,"geolocation":{"lat":`...)
	b, _ = appendFloat(b, c.lat)
	b = append(b, `,"lon":`...)
	b, _ = appendFloat(b, c.lon)
	return append(b, "}}"...)
}

// appendEvent writes the event's JSON after samples/logs-page.json:
// target null without targets, client.zone the string "null" (or null),
// detailEntry object or null, debugData object or (now and then) a
// string, published with or without milliseconds, version "0" as a string
// (API.md §8.5, §10 item 12).
func appendEvent(b []byte, e *event) []byte {
	b = append(b, `{"actor":`...)
	b = appendRef(b, e.actor)
	b = append(b, `,"client":`...)
	if e.client >= 0 {
		z := 0
		if e.zoneNull {
			z = 1
		}
		b = append(b, clientJSON[e.client].client[z]...)
	} else {
		b = append(b, noClient...)
	}
	b = append(b, `,"authenticationContext":`...)
	b = e.appendAuthContext(b)
	b = append(b, `,"displayMessage":`...)
	b = appendNullable(b, e.typ.display)
	b = append(b, `,"eventType":`...)
	b = appendString(b, e.typ.name)
	b = append(b, `,"outcome":`...)
	b = e.appendOutcome(b)
	b = append(b, `,"published":`...)
	b = e.appendPublished(b)
	b = append(b, `,"securityContext":`...)
	b = e.appendClientPart(b, func(f *clientFragments) []byte { return f.security })
	b = append(b, `,"severity":`...)
	b = appendString(b, e.severity())
	b = append(b, `,"debugContext":{"debugData":`...)
	b = e.appendDebugData(b)
	b = append(b, `},"legacyEventType":`...)
	b = appendNullable(b, e.typ.legacy)
	b = append(b, `,"transaction":{"type":"WEB","id":`...)
	b = appendString(b, e.txID)
	b = append(b, `,"detail":{`...)
	if e.tokenID != "" {
		b = append(b, `"requestApiTokenId":`...)
		b = appendString(b, e.tokenID)
	}
	b = append(b, `}},"uuid":`...)
	b = appendString(b, e.uuid)
	b = append(b, `,"version":"0","request":`...)
	b = e.appendClientPart(b, func(f *clientFragments) []byte { return f.request })
	b = append(b, `,"target":`...)
	b = e.appendTargets(b)
	return append(b, '}')
}

func (e *event) appendClientPart(b []byte, part func(*clientFragments) []byte) []byte {
	if e.client < 0 {
		return append(b, "null"...)
	}
	return append(b, part(&clientJSON[e.client])...)
}

// appendAuthContext writes authenticationContext with its keys sorted;
// a password sign-in names its provider, a failed one has no session.
func (e *event) appendAuthContext(b []byte) []byte {
	provider, credential, session := "", "", e.sessionID
	if e.typ.name == "user.session.start" {
		provider, credential = "OKTA_AUTHENTICATION_PROVIDER", "PASSWORD"
		if e.failure != "" {
			session = ""
		}
	}
	b = append(b, `{"authenticationProvider":`...)
	b = appendNullable(b, provider)
	b = append(b, `,"authenticationStep":0,"credentialProvider":null,"credentialType":`...)
	b = appendNullable(b, credential)
	b = append(b, `,"externalSessionId":`...)
	b = appendNullable(b, session)
	return append(b, `,"interface":null,"issuer":null}`...)
}

func (e *event) appendOutcome(b []byte) []byte {
	result := "SUCCESS"
	switch e.failure {
	case "":
	case "DENY":
		result = "DENY"
	default:
		result = "FAILURE"
	}
	b = append(b, `{"result":`...)
	b = appendString(b, result)
	b = append(b, `,"reason":`...)
	b = appendNullable(b, e.failure)
	return append(b, '}')
}

// appendPublished writes published; one event in 25 has no milliseconds,
// which Okta's text sometimes lacks too (API.md §8.5).
func (e *event) appendPublished(b []byte) []byte {
	b = append(b, '"')
	if e.noMillis {
		b = e.published.UTC().AppendFormat(b, time.RFC3339)
	} else {
		b = appendMillis(b, e.published)
	}
	return append(b, '"')
}

// appendDebugData writes the free-form debugData object with its keys
// sorted; now and then it arrives as a string holding that object, which
// a consumer must carry as text (DESIGN.md §3).
func (e *event) appendDebugData(b []byte) []byte {
	if e.debugText {
		var buf [256]byte
		return appendString(b, string(e.appendDebugObject(buf[:0])))
	}
	return e.appendDebugObject(b)
}

func (e *event) appendDebugObject(b []byte) []byte {
	b = appendString(append(b, `{"requestId":`...), e.requestID)
	if e.path != "" {
		b = appendString(append(b, `,"requestUri":`...), e.path)
		b = appendJoined(append(b, `,"url":`...), e.path, "?")
	}
	return append(b, '}')
}

// appendTargets writes target: null without targets (API.md §8.5).
func (e *event) appendTargets(b []byte) []byte {
	if e.targets == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, t := range e.targets {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendRef(b, t)
	}
	return append(b, ']')
}

// appendRef writes an actor or target; detailEntry is an object, or null
// when the reference has none.
func appendRef(b []byte, r ref) []byte {
	if r.json != nil {
		return append(b, r.json...)
	}
	b = append(b, `{"id":`...)
	b = appendString(b, r.id)
	b = append(b, `,"type":`...)
	b = appendString(b, r.typ)
	b = append(b, `,"alternateId":`...)
	b = appendString(b, r.alternateID)
	b = append(b, `,"displayName":`...)
	b = appendString(b, r.display)
	b = append(b, `,"detailEntry":`...)
	b = appendStringMap(b, r.detail)
	return append(b, '}')
}

// appendStringMap writes m with sorted keys, or null when m is nil.
func appendStringMap(b []byte, m map[string]string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendString(b, m[k])
	}
	return append(b, '}')
}

func (e *event) severity() string {
	if e.failure != "" && e.typ.severity == "INFO" {
		return "WARN"
	}
	return e.typ.severity
}

// eventBytes is a rough size of one rendered event, to size page buffers.
const eventBytes = 2048

// appendEvents writes es as a JSON array.
func appendEvents(b []byte, es []*event) []byte {
	b = append(b, '[')
	for i, e := range es {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendEvent(b, e)
	}
	return append(b, ']')
}
