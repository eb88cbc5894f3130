package connector

import (
	"strconv"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/schemas"
)

// newSnapshot starts the bookkeeping of a full listing. The id is the start
// time, unique enough per tenant and stream and readable in a marker.
func newSnapshot(now time.Time) *checkpoint.Snapshot {
	return &checkpoint.Snapshot{
		ID:        "s" + strconv.FormatInt(now.UnixMilli(), 10),
		StartedAt: now,
	}
}

// beginMarker brackets the start of a full snapshot of stream.
func (t *tenantRun) beginMarker(stream string, s *checkpoint.Snapshot) Record {
	return t.marker(stream, schemas.PhaseBegin, s, nil)
}

// completedMarker closes a snapshot with the number of records it holds. A
// failed snapshot never reaches the code that writes it (DESIGN §3).
func (t *tenantRun) completedMarker(stream string, s *checkpoint.Snapshot,
	count int64) Record {
	return t.marker(stream, schemas.PhaseCompleted, s, &count)
}

func (t *tenantRun) marker(stream, phase string, s *checkpoint.Snapshot,
	count *int64) Record {
	now := t.now().UTC()
	m := schemas.SyncMarker{
		TenantID: t.ID, OktaDomain: t.Domain, Stream: stream, Phase: phase,
		SnapshotID: s.ID, StartedAt: s.StartedAt, RecordCount: count,
		SyncedAt: now,
	}
	if phase == schemas.PhaseCompleted {
		m.CompletedAt = &now
	}
	return Record{Stream: StreamSyncMarkers, Key: MarkerKey(t.ID, stream), Value: m}
}
