package ops

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
)

var now = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

// rig is a file store holding two tenants' checkpoints, and its audit.
type rig struct {
	store *checkpoint.FileStore
	audit *checkpoint.FileAudit
	scope Scope
}

func newRig(t *testing.T) rig {
	t.Helper()
	dir := t.TempDir()
	store, err := checkpoint.NewFileStore(dir)
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
	return rig{store: store, audit: checkpoint.NewFileAudit(dir),
		scope: Scope{Tenants: []string{"acme", "globex"}}}
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
	es, err := r.audit.Entries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func change(reason string) Change {
	return Change{Reason: reason, Now: now, Who: "ops", Host: "bastion"}
}

func TestListShowsEveryTenantAndStream(t *testing.T) {
	r := newRig(t)
	r.scope.Tenants = []string{"acme", "initech"} // globex no longer configured
	var out bytes.Buffer
	if err := List(context.Background(), &out, r.store, r.scope, now); err != nil {
		t.Fatalf("List: %v", err)
	}
	tests := []struct{ name, want string }{
		{"activity cursor and lag", "acme  activity  cursor, last event 2026-12-04T10:00:00Z"},
		{"employees snapshot", "acme  employees  full sync in progress"},
		{"lag", "2026-12-04T11:00:00Z  1h0m0s"},
		{"tenant without checkpoints", "initech  apps  none (full sync next)"},
		{"stored but not configured", "globex (not configured)  activity"},
	}
	text := squeeze(out.String())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(text, tt.want) {
				t.Errorf("List output: got\n%s\nwant a line containing %q", out.String(), tt.want)
			}
		})
	}
	if got := strings.Count(out.String(), "\n"); got != 1+2*7+2 {
		t.Errorf("List lines: got %d, want header + 14 configured + 2 unconfigured", got)
	}
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

func TestShow(t *testing.T) {
	r := newRig(t)
	var out bytes.Buffer
	if err := Show(context.Background(), &out, r.store, r.scope, "acme", "activity"); err != nil {
		t.Fatalf("Show: %v", err)
	}
	if !strings.Contains(out.String(), `"cursor": "https://x/api/v1/logs?after=1"`) {
		t.Errorf("Show output: got\n%s\nwant the stored cursor", out.String())
	}
	err := Show(context.Background(), &out, r.store, r.scope, "nope", "")
	if err == nil || !strings.Contains(err.Error(), `unknown tenant "nope"`) {
		t.Errorf("Show of an unknown tenant: got %v, want a refusal naming it", err)
	}
}

func TestResetTenant(t *testing.T) {
	r := newRig(t)
	globex := r.load(t, "globex", "employees")
	var out bytes.Buffer
	opts := ResetOptions{Scope: r.scope, Change: change("ticket 7"), Tenant: "acme",
		Lookback: 48 * time.Hour}
	if err := Reset(context.Background(), &out, r.store, r.audit, opts); err != nil {
		t.Fatalf("Reset: %v", err)
	}

	wantEmp := checkpoint.Checkpoint{Version: 1, Tenant: "acme", Stream: "employees",
		LastSuccess: now.Add(-time.Hour), UpdatedAt: now}
	if diff := cmp.Diff(wantEmp, r.load(t, "acme", "employees")); diff != "" {
		t.Errorf("employees after reset (-want +got):\n%s", diff)
	}
	wantAct := checkpoint.Checkpoint{Version: 1, Tenant: "acme", Stream: "activity",
		LastSuccess: now.Add(-time.Hour), UpdatedAt: now,
		Extra: map[string]string{ExtraSince: "2026-12-02T12:00:00Z"}}
	if diff := cmp.Diff(wantAct, r.load(t, "acme", "activity")); diff != "" {
		t.Errorf("activity after reset (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(globex, r.load(t, "globex", "employees")); diff != "" {
		t.Errorf("another tenant changed (-want +got):\n%s", diff)
	}

	es := r.entries(t)
	if len(es) != 2 {
		t.Fatalf("audit entries: got %d, want 2", len(es))
	}
	for _, e := range es {
		if e.Action != "reset" || e.Reason != "ticket 7" || e.User != "ops" ||
			e.Host != "bastion" || e.Old == nil || e.New == nil || !e.Time.Equal(now) {
			t.Errorf("audit entry: got %+v, want a reset by ops, why, old and new", e)
		}
	}
	if es[0].Old.Cursor == "" && es[1].Old.Cursor == "" {
		t.Errorf("audit entries lost the old activity cursor: %+v", es)
	}
	for _, want := range []string{"old: cursor, last event", "new: replay from 2026-12-02"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("Reset output: got\n%s\nwant %q", out.String(), want)
		}
	}
}

func TestSetActivitySince(t *testing.T) {
	r := newRig(t)
	since := now.Add(-30 * 24 * time.Hour)
	opts := SetOptions{Scope: r.scope, Change: change("replay for audit"), Tenant: "acme",
		Stream: "activity", Since: since}
	var out bytes.Buffer
	if err := Set(context.Background(), &out, r.store, r.audit, opts); err != nil {
		t.Fatalf("Set: %v", err)
	}
	want := checkpoint.Checkpoint{Version: 1, Tenant: "acme", Stream: "activity",
		LastPublished: since, LastSuccess: now.Add(-time.Hour), UpdatedAt: now,
		Extra: map[string]string{ExtraSince: "2026-11-04T12:00:00Z"}}
	if diff := cmp.Diff(want, r.load(t, "acme", "activity")); diff != "" {
		t.Errorf("activity after set (-want +got):\n%s", diff)
	}
	if es := r.entries(t); len(es) != 1 || es[0].Action != "set" ||
		es[0].Old.Cursor != "https://x/api/v1/logs?after=1" {
		t.Errorf("audit entries: got %+v, want one set with the old cursor", es)
	}
}

func TestSetEmployeesWatermark(t *testing.T) {
	r := newRig(t)
	wm := now.Add(-72 * time.Hour)
	opts := SetOptions{Scope: r.scope, Change: change("reload HR fix"), Tenant: "globex",
		Stream: "employees", Watermark: wm}
	if err := Set(context.Background(), &bytes.Buffer{}, r.store, r.audit, opts); err != nil {
		t.Fatalf("Set: %v", err)
	}
	got := r.load(t, "globex", "employees")
	if !got.Watermark.Equal(wm) || got.AtWatermark != nil || got.Snapshot == nil {
		t.Errorf("employees after set: got watermark %v, versions %q, snapshot %v; "+
			"want %v, none, kept", got.Watermark, got.AtWatermark, got.Snapshot, wm)
	}
}

func TestRefusalsChangeNothing(t *testing.T) {
	tests := []struct {
		name string
		run  func(r rig) error
		want string
	}{
		{"since past retention", func(r rig) error {
			return Set(context.Background(), &bytes.Buffer{}, r.store, r.audit, SetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "activity",
				Since: now.Add(-91 * 24 * time.Hour)})
		}, "outside Okta's 90-day System Log retention"},
		{"since in the future", func(r rig) error {
			return Set(context.Background(), &bytes.Buffer{}, r.store, r.audit, SetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "activity",
				Since: now.Add(time.Minute)})
		}, "in the future"},
		{"unknown tenant", func(r rig) error {
			return Reset(context.Background(), &bytes.Buffer{}, r.store, r.audit, ResetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "initech"})
		}, `unknown tenant "initech"`},
		{"unknown stream", func(r rig) error {
			return Reset(context.Background(), &bytes.Buffer{}, r.store, r.audit, ResetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "users"})
		}, `unknown stream "users"`},
		{"no reason", func(r rig) error {
			return Reset(context.Background(), &bytes.Buffer{}, r.store, r.audit, ResetOptions{
				Scope: r.scope, Change: change(""), Tenant: "acme"})
		}, "--reason is required"},
		{"stream without a position", func(r rig) error {
			return Set(context.Background(), &bytes.Buffer{}, r.store, r.audit, SetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "group_members",
				Watermark: now.Add(-time.Hour)})
		}, "use reset"},
		{"since for employees", func(r rig) error {
			return Set(context.Background(), &bytes.Buffer{}, r.store, r.audit, SetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "employees",
				Since: now.Add(-time.Hour)})
		}, "takes a watermark"},
		{"dry run", func(r rig) error {
			c := change("")
			c.DryRun = true
			return Reset(context.Background(), &bytes.Buffer{}, r.store, r.audit, ResetOptions{
				Scope: r.scope, Change: c, Tenant: "acme"})
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			before := r.all(t)
			err := tt.run(r)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
			if diff := cmp.Diff(before, r.all(t)); diff != "" {
				t.Errorf("checkpoints changed (-before +after):\n%s", diff)
			}
			if es := r.entries(t); len(es) != 0 {
				t.Errorf("audit entries: got %d, want none", len(es))
			}
		})
	}
}
