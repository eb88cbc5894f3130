package schemas

import "time"

// Snapshot phases, the symbols of the SyncPhase enum a SyncMarker carries.
// PhaseUnknown is what a reader sees for a symbol added after its schema.
const (
	PhaseUnknown   = "UNKNOWN"
	PhaseBegin     = "BEGIN"
	PhaseCompleted = "COMPLETED"
)

// SyncMarker brackets a full snapshot of one stream, the value of the
// sync_markers topic (sync_markers.avsc): a BEGIN marker before its first
// record and a COMPLETED one, with the count, after Kafka acknowledged its
// last, so a consumer can tell a complete picture from a partial one.
type SyncMarker struct {
	TenantID    string     `avro:"tenant_id"`
	OktaDomain  string     `avro:"okta_domain"`
	Stream      string     `avro:"stream"`
	Phase       string     `avro:"phase"`
	SnapshotID  string     `avro:"snapshot_id"`
	StartedAt   time.Time  `avro:"started_at"`
	CompletedAt *time.Time `avro:"completed_at"`
	RecordCount *int64     `avro:"record_count"`
	SyncedAt    time.Time  `avro:"synced_at"`
}
