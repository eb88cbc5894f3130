package connector

import (
	"encoding/json"
	"time"

	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/schemas"
)

// event maps one System Log event. Subtrees whose shape varies between
// events travel as JSON text (DESIGN §3).
func (t *tenantRun) event(e okta.LogEvent, now time.Time) schemas.ActivityEvent {
	r := schemas.ActivityEvent{
		TenantID: t.ID, OktaDomain: t.Domain, UUID: e.UUID, Published: e.Published,
		EventType: e.EventType, Version: versionText(e.Version), Severity: e.Severity,
		LegacyEventType: e.LegacyEventType, DisplayMessage: e.DisplayMessage,
		Targets:                   make([]schemas.EventTarget, 0, len(e.Target)),
		AuthenticationContextJSON: rawJSON(e.AuthenticationContext),
		SecurityContextJSON:       rawJSON(e.SecurityContext),
		RequestJSON:               rawJSON(e.Request),
		DeviceJSON:                rawJSON(e.Device),
		SyncedAt:                  now,
	}
	if a := e.Actor; a != nil {
		r.Actor = &schemas.EventActor{
			ID: a.ID, Type: a.Type, AlternateID: a.AlternateID,
			DisplayName: a.DisplayName, DetailEntryJSON: rawJSON(a.DetailEntry),
		}
	}
	if c := e.Client; c != nil {
		r.Client = &schemas.EventClient{
			Zone: c.Zone, Device: c.Device, ID: c.ID, IPAddress: c.IPAddress,
			GeographicalContextJSON: rawJSON(c.GeographicalContext),
		}
		if ua := c.UserAgent; ua != nil {
			r.Client.UserAgent, r.Client.OS, r.Client.Browser =
				ua.RawUserAgent, ua.OS, ua.Browser
		}
	}
	if o := e.Outcome; o != nil {
		r.Outcome = &schemas.EventOutcome{Result: o.Result, Reason: o.Reason}
	}
	for _, tg := range e.Target {
		r.Targets = append(r.Targets, schemas.EventTarget{
			ID: tg.ID, Type: tg.Type, AlternateID: tg.AlternateID,
			DisplayName: tg.DisplayName, DetailEntryJSON: rawJSON(tg.DetailEntry),
			ChangeDetailsJSON: rawJSON(tg.ChangeDetails),
		})
	}
	if tx := e.Transaction; tx != nil {
		r.Transaction = &schemas.EventTransaction{
			Type: tx.Type, ID: tx.ID, DetailJSON: rawJSON(tx.Detail),
		}
	}
	if d := e.DebugContext; d != nil {
		r.DebugDataJSON = rawJSON(d.DebugData)
	}
	return r
}

// versionText reads an event's version, a string in real data though one
// of Okta's examples shows a number (API.md §8.5).
func versionText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	return string(raw)
}
