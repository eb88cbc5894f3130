package ops

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
)

var now = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

// rig is a file store holding two tenants' checkpoints; the store is also
// its own inbox and audit trail.
type rig struct {
	store *checkpoint.FileStore
	scope Scope
}

func newRig(t *testing.T) rig {
	t.Helper()
	store, err := checkpoint.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	ctx := context.Background()
	for _, tenant := range []string{"acme", "globex"} {
		for _, cp := range []checkpoint.Checkpoint{
			{Tenant: tenant, Stream: "activity", Cursor: "https://x/api/v1/logs?after=1",
				LastPublished: now.Add(-2 * time.Hour), LastUUID: "u9",
				LastSuccess: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour),
				Extra: map[string]string{"recent_uuids": "u8 u9"}},
			{Tenant: tenant, Stream: "employees", Watermark: now.Add(-3 * time.Hour),
				AtWatermark:  []string{"00u1@1#h"},
				Snapshot:     &checkpoint.Snapshot{ID: "s", Cursor: "00u5", StartedAt: now},
				LastFullSync: now.Add(-24 * time.Hour), LastSuccess: now.Add(-time.Hour),
				UpdatedAt: now.Add(-time.Hour)},
		} {
			if err := store.Save(ctx, cp); err != nil {
				t.Fatal(err)
			}
		}
	}
	return rig{store: store, scope: Scope{Tenants: []string{"acme", "globex"}}}
}

// direct is the target of an operator tool that holds the store.
func (r rig) direct() Target {
	return Target{Reader: r.store, Store: r.store, Audit: r.store}
}

// queued is the target of an operator tool while a connector holds it.
func (r rig) queued() Target {
	return Target{Reader: r.store, Inbox: r.store, Audit: r.store}
}

func (r rig) load(t *testing.T, tenant, stream string) checkpoint.Checkpoint {
	t.Helper()
	cp, err := r.store.Load(context.Background(), checkpoint.Key{Tenant: tenant, Stream: stream})
	if err != nil {
		t.Fatalf("loading %s/%s: %v", tenant, stream, err)
	}
	return cp
}

func (r rig) all(t *testing.T) []checkpoint.Checkpoint {
	t.Helper()
	cps, err := r.store.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cps
}

func (r rig) entries(t *testing.T) []checkpoint.AuditEntry {
	t.Helper()
	es, err := r.store.Entries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func (r rig) requests(t *testing.T) []checkpoint.Request {
	t.Helper()
	reqs, err := r.store.Requests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return reqs
}

// withoutRequest returns cp without its ExtraRequest mark (and the mark),
// so tests compare the rest with a fixed want; an empty Extra becomes nil.
func withoutRequest(cp checkpoint.Checkpoint) (checkpoint.Checkpoint, string) {
	id := cp.Extra[checkpoint.ExtraRequest]
	delete(cp.Extra, checkpoint.ExtraRequest)
	if len(cp.Extra) == 0 {
		cp.Extra = nil
	}
	return cp, id
}

func change(reason string) Change {
	return Change{Reason: reason, Now: now, Who: "ops", Host: "bastion"}
}

// squeeze collapses the tabwriter's padding to two spaces.
func squeeze(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		b.WriteString(strings.Join(strings.FieldsFunc(line, func(r rune) bool {
			return r == '\t'
		}), ""))
		b.WriteByte('\n')
	}
	out := b.String()
	for strings.Contains(out, "   ") {
		out = strings.ReplaceAll(out, "   ", "  ")
	}
	return out
}
