// Package checkpoint keeps the connector's place per tenant and stream: the
// System Log cursor, lastUpdated watermarks, unfinished snapshot cursors, and
// the last known member and assignment sets used to find removals.
//
// FileStore is the default Store: one JSON file per tenant and stream and
// one gzip file per id set, under a directory that one process owns.
//
// Known limits of the file store:
//   - One process per directory: a second one is refused (flock), so it does
//     not scale out across machines; the Kafka store does.
//   - Locking needs flock(2): on systems that are not unix NewFileStore fails.
//   - On a network file system, atomicity and durability are only as good as
//     its rename and fsync.
//   - A set is rewritten whole on every save: a set of a million ids costs a
//     few megabytes of writing each time. It is streamed to the file and
//     can be streamed back (FileStore.ScanSet), never held compressed in
//     memory; LoadSet still returns it whole, as one allocation.
package checkpoint

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when nothing was stored under a key yet.
var ErrNotFound = errors.New("checkpoint not found")

// Version is the checkpoint value format written by this code.
const Version = 1

// ExtraSince is the Checkpoint.Extra key under which an operator's reset or
// set leaves the time (RFC 3339) the activity stream must read the System
// Log from at its next cycle, in place of its cursor. The stream drops the
// key once a page gave it a cursor again.
const ExtraSince = "since"

// Checkpoint is one tenant×stream's place.
type Checkpoint struct {
	Version int    `json:"version"`
	Tenant  string `json:"tenant"`
	Stream  string `json:"stream"`

	// Watermark is the largest lastUpdated published (employees, groups,
	// apps); AtWatermark the versions already published at it
	// ("<id>@<lastUpdated unix ms>#<content hash>").
	Watermark   time.Time `json:"watermark,omitzero"`
	AtWatermark []string  `json:"at_watermark,omitempty"`

	// Cursor is the System Log `next` link to follow verbatim (activity),
	// LastPublished and LastUUID the last event published.
	Cursor        string    `json:"cursor,omitempty"`
	LastPublished time.Time `json:"last_published,omitzero"`
	LastUUID      string    `json:"last_uuid,omitempty"`

	// Snapshot is the progress of an unfinished full listing, nil when none.
	Snapshot *Snapshot `json:"snapshot,omitempty"`

	LastFullSync time.Time `json:"last_full_sync,omitzero"`
	LastSuccess  time.Time `json:"last_success,omitzero"`
	UpdatedAt    time.Time `json:"updated_at,omitzero"`

	// Extra holds stream-specific state small enough to live here
	// (e.g. the org record's content hash).
	Extra map[string]string `json:"extra,omitempty"`
}

// Snapshot is an unfinished full listing: where to resume, when it began
// and how many records it has published so far.
type Snapshot struct {
	ID        string    `json:"id"`
	Cursor    string    `json:"cursor"`
	StartedAt time.Time `json:"started_at"`
	Records   int64     `json:"records"`
}

// Key names one checkpoint.
type Key struct{ Tenant, Stream string }

// SetKey names one stored id set: the members of a group
// (stream group_members, owner = group id), the users of an app, or every
// user id known (stream employees, owner "").
type SetKey struct{ Tenant, Stream, Owner string }

// Store keeps checkpoints and id sets durably. Implementations are safe for
// concurrent use. Save must be atomic: after a crash a reader sees the old
// value or the new one, never a mix.
type Store interface {
	Load(ctx context.Context, k Key) (Checkpoint, error) // ErrNotFound when none
	Save(ctx context.Context, cp Checkpoint) error
	List(ctx context.Context) ([]Checkpoint, error)
	Delete(ctx context.Context, k Key) error

	LoadSet(ctx context.Context, k SetKey) ([]string, error) // nil, nil when none
	SaveSet(ctx context.Context, k SetKey, ids []string) error
	DeleteSet(ctx context.Context, k SetKey) error
	// Owners lists the owners that have a stored set under tenant/stream.
	Owners(ctx context.Context, tenant, stream string) ([]string, error)

	Close() error
}
