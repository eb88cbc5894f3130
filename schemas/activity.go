package schemas

import "time"

// ActivityEvent is one System Log event, the value of the activity topic
// (activity.avsc). Subtrees whose shape changes from event to event
// (API.md §8.5: debugData, detailEntry, changeDetails, the contexts) are
// *JSON fields holding the subtree's JSON text exactly; nil means absent or
// null.
type ActivityEvent struct {
	TenantID        string            `avro:"tenant_id"`
	OktaDomain      string            `avro:"okta_domain"`
	UUID            string            `avro:"uuid"`
	Published       time.Time         `avro:"published"`
	EventType       string            `avro:"event_type"`
	Version         string            `avro:"version"`
	Severity        string            `avro:"severity"`
	LegacyEventType *string           `avro:"legacy_event_type"`
	DisplayMessage  *string           `avro:"display_message"`
	Actor           *EventActor       `avro:"actor"`
	Client          *EventClient      `avro:"client"`
	Outcome         *EventOutcome     `avro:"outcome"`
	Targets         []EventTarget     `avro:"targets"`
	Transaction     *EventTransaction `avro:"transaction"`

	DebugDataJSON             *string `avro:"debug_data_json"`
	AuthenticationContextJSON *string `avro:"authentication_context_json"`
	SecurityContextJSON       *string `avro:"security_context_json"`
	RequestJSON               *string `avro:"request_json"`
	DeviceJSON                *string `avro:"device_json"`

	SyncedAt time.Time `avro:"synced_at"`
}

// EventActor is who caused an event.
type EventActor struct {
	ID              string  `avro:"id"`
	Type            string  `avro:"type"`
	AlternateID     *string `avro:"alternate_id"`
	DisplayName     *string `avro:"display_name"`
	DetailEntryJSON *string `avro:"detail_entry_json"`
}

// EventClient is the HTTP client behind an event. The geographical context
// is JSON text because its inner shape (geolocation) is not a contract.
type EventClient struct {
	UserAgent               *string `avro:"user_agent"`
	OS                      *string `avro:"os"`
	Browser                 *string `avro:"browser"`
	Zone                    *string `avro:"zone"`
	Device                  *string `avro:"device"`
	ID                      *string `avro:"id"`
	IPAddress               *string `avro:"ip_address"`
	GeographicalContextJSON *string `avro:"geographical_context_json"`
}

// EventOutcome is an event's result and its reason.
type EventOutcome struct {
	Result string  `avro:"result"`
	Reason *string `avro:"reason"`
}

// EventTarget is one object an event acted on.
type EventTarget struct {
	ID                string  `avro:"id"`
	Type              string  `avro:"type"`
	AlternateID       *string `avro:"alternate_id"`
	DisplayName       *string `avro:"display_name"`
	DetailEntryJSON   *string `avro:"detail_entry_json"`
	ChangeDetailsJSON *string `avro:"change_details_json"`
}

// EventTransaction ties the events of one request or job together.
type EventTransaction struct {
	Type       *string `avro:"type"`
	ID         *string `avro:"id"`
	DetailJSON *string `avro:"detail_json"`
}
