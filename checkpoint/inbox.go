package checkpoint

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// requestVersion is the format version of inbox requests written by this
// code.
const requestVersion = 1

// The actions an operator can request.
const (
	ActionReset = "reset"
	ActionSet   = "set"
)

// ExtraRequest is the Checkpoint.Extra key that holds the id of the last
// request applied to the checkpoint. A request found in the inbox with an
// id at or below it was applied by a process that stopped before removing
// it, and is not applied a second time.
const ExtraRequest = "inbox_request"

// requestIDPattern is the shape of NewRequestID's ids: fixed width, so that
// ids (and the file names made of them) sort by time.
var requestIDPattern = regexp.MustCompile(`^[0-9]{20}-[0-9a-f]{8}$`)

// Request is an operator's change of one checkpoint, waiting in the inbox
// until the connector that runs the stream applies it at the start of the
// stream's next cycle. Only that connector writes a live checkpoint, so a
// change can never be overwritten by a cycle that was already running.
//
// A request says what to do, not the checkpoint to write: the connector
// works out the new checkpoint from the one it holds when it applies the
// request. Old and New are what the operator was shown, for the audit
// trail.
type Request struct {
	Version int       `json:"version"`
	ID      string    `json:"id"`
	Time    time.Time `json:"time"`
	User    string    `json:"user"`
	Host    string    `json:"host"`
	Reason  string    `json:"reason"`
	Action  string    `json:"action"`
	Tenant  string    `json:"tenant"`
	Stream  string    `json:"stream"`
	// Since is where the activity stream reads the System Log from after
	// the change (a set, or the look-back edge of a reset); Watermark the
	// new lastUpdated watermark of a set.
	Since     time.Time `json:"since,omitzero"`
	Watermark time.Time `json:"watermark,omitzero"`
	// Old is nil when no checkpoint was stored.
	Old *Checkpoint `json:"old,omitempty"`
	New *Checkpoint `json:"new,omitempty"`
}

// Key returns the checkpoint the request changes.
func (r Request) Key() Key { return Key{Tenant: r.Tenant, Stream: r.Stream} }

// AppliedTo reports whether cp already reflects r (ExtraRequest).
func (r Request) AppliedTo(cp Checkpoint) bool {
	last := cp.Extra[ExtraRequest]
	return last != "" && last >= r.ID
}

// NewRequestID returns a request id that sorts by t and is unique with
// overwhelming probability: t in Unix nanoseconds, then 32 random bits.
func NewRequestID(t time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return fmt.Sprintf("%020d-%s", t.UnixNano(), hex.EncodeToString(b))
}

// check refuses a request the inbox cannot store or the connector cannot
// apply.
func (r Request) check() error {
	if err := checkKey(r.Key()); err != nil {
		return err
	}
	if !requestIDPattern.MatchString(r.ID) {
		return fmt.Errorf("invalid request id %q", r.ID)
	}
	if r.Action != ActionReset && r.Action != ActionSet {
		return fmt.Errorf("unknown action %q", r.Action)
	}
	return nil
}

// Inbox holds operator change requests until the connector applies them.
// Submitting needs no lock on the store, so an operator tool can queue a
// change while connector instances run. Implementations are safe for
// concurrent use.
type Inbox interface {
	// Submit queues r.
	Submit(ctx context.Context, r Request) error
	// Pending returns the requests queued for k, oldest first.
	Pending(ctx context.Context, k Key) ([]Request, error)
	// Requests returns every queued request, by tenant, stream, then age.
	Requests(ctx context.Context) ([]Request, error)
	// Done removes r once it was applied; a missing request is no error.
	Done(ctx context.Context, r Request) error
}

// encodeRequest stamps r with the current version and encodes it.
func encodeRequest(r Request) ([]byte, error) {
	r.Version = requestVersion
	return json.Marshal(r)
}

// decodeRequest reads a request of any supported version.
func decodeRequest(data []byte) (Request, error) {
	if err := checkVersion(data, requestVersion); err != nil {
		return Request{}, err
	}
	var r Request
	if err := json.Unmarshal(data, &r); err != nil {
		return Request{}, err
	}
	if err := r.check(); err != nil {
		return Request{}, err
	}
	return r, nil
}

// compareKeys orders keys by tenant, then stream.
func compareKeys(a, b Key) int {
	return cmp.Or(strings.Compare(a.Tenant, b.Tenant), strings.Compare(a.Stream, b.Stream))
}

// compareRequests orders requests by tenant, stream, then id (age).
func compareRequests(a, b Request) int {
	return cmp.Or(compareKeys(a.Key(), b.Key()), strings.Compare(a.ID, b.ID))
}
