package ops

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/schemas"
)

// ExtraSince is checkpoint.ExtraSince, kept here for callers of ops.
const ExtraSince = checkpoint.ExtraSince

// logRetention is how long Okta keeps System Log events (API.md §8.4).
// retentionMargin keeps a --since clear of the edge, which moves on while
// the change waits for the stream's next cycle.
const (
	logRetention    = 90 * 24 * time.Hour
	retentionMargin = time.Hour
)

// defaultLookback is ACTIVITY_LOOKBACK's default, where a reset activity
// stream starts.
const defaultLookback = 7 * 24 * time.Hour

// Reader is what the commands read checkpoints from: a checkpoint.Store,
// or a checkpoint.FileReader while a connector holds the file store.
type Reader interface {
	Load(ctx context.Context, k checkpoint.Key) (checkpoint.Checkpoint, error)
	List(ctx context.Context) ([]checkpoint.Checkpoint, error)
}

// Target says where the commands read and where changes go.
type Target struct {
	// Reader supplies the current checkpoints.
	Reader Reader
	// Store, when set, receives changes at once. Set it only when no
	// connector holds the store (the file store's lock was free): a
	// running connector is the only writer of its live checkpoints.
	Store checkpoint.Store
	// Inbox, used when Store is nil, queues changes for the running
	// connector, which applies them at the stream's next cycle; `list`
	// shows what is still queued.
	Inbox checkpoint.Inbox
	// Audit keeps the trail of requested and applied changes.
	Audit checkpoint.Auditor
}

// Scope is what the configuration knows: its tenants, and the streams the
// connector runs (nil means every stream).
type Scope struct {
	Tenants []string
	Streams []string
}

// Change says who asks for a change and why; every write needs a Reason.
type Change struct {
	Reason string
	DryRun bool
	// Now is the time of the change; zero means time.Now.
	Now time.Time
	// Who and Host name the operator; empty means checkpoint.Operator.
	Who, Host string
}

// ResetOptions selects what Reset sends back to a full resync: one stream
// of Tenant, or every stream of it when Stream is empty.
type ResetOptions struct {
	Scope
	Change
	Tenant, Stream string
	// Lookback is where a reset activity stream starts reading, before
	// now (ACTIVITY_LOOKBACK); zero means seven days.
	Lookback time.Duration
}

// SetOptions moves one stream: activity to Since, a stream with a
// lastUpdated watermark (employees, groups, apps) to Watermark.
type SetOptions struct {
	Scope
	Change
	Tenant, Stream string
	Since          time.Time
	Watermark      time.Time
}

// watermarkStreams are the streams whose position is a lastUpdated
// watermark (DESIGN §4).
var watermarkStreams = []string{schemas.Employees, schemas.Groups, schemas.Apps}

// streams returns the scope's streams, every stream by default.
func (s Scope) streams() []string {
	if s.Streams == nil {
		return schemas.Streams()
	}
	return s.Streams
}

// Check refuses a missing tenant, and a tenant or stream (when given)
// that the configuration does not know: a typo must not create a
// checkpoint nobody reads. Show, Reset and Set call it; a command may call
// it first to refuse before opening the store. Its errors match
// ErrInvalidRequest.
func (s Scope) Check(tenant, stream string) error {
	if tenant == "" {
		return refuse("--tenant is required")
	}
	if !slices.Contains(s.Tenants, tenant) {
		return invalid{fmt.Errorf("unknown tenant %q (configured: %v)", tenant, s.Tenants)}
	}
	if stream != "" && !slices.Contains(s.streams(), stream) {
		return invalid{fmt.Errorf("unknown stream %q (known: %v)", stream, s.streams())}
	}
	return nil
}

// fill completes a change with its defaults and refuses a write without a
// reason.
func (c Change) fill() (Change, error) {
	c.Reason = strings.TrimSpace(c.Reason)
	if c.Reason == "" && !c.DryRun {
		return c, refuse("--reason is required for a change; it goes to the audit trail")
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	c.Now = c.Now.UTC()
	if c.Who == "" || c.Host == "" {
		who, host := checkpoint.Operator()
		c.Who, c.Host = cmp.Or(c.Who, who), cmp.Or(c.Host, host)
	}
	return c, nil
}

// sinceValue is how a time is stored under ExtraSince.
func sinceValue(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// checkSince refuses a replay start that Okta can no longer serve or that
// lies in the future.
func checkSince(since, now time.Time) error {
	edge := now.Add(-logRetention).Add(retentionMargin)
	switch {
	case since.IsZero():
		return refuse("--since is required for the activity stream")
	case since.After(now):
		return invalid{fmt.Errorf("--since %s is in the future; nothing changed",
			stamp(since))}
	case since.Before(edge):
		return invalid{fmt.Errorf("--since %s is outside Okta's 90-day System Log "+
			"retention (the earliest time accepted now is %s); nothing changed",
			stamp(since), stamp(edge))}
	}
	return nil
}
