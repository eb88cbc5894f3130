package ops

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
)

func TestListShowsEveryTenantAndStream(t *testing.T) {
	r := newRig(t)
	r.scope.Tenants = []string{"acme", "initech"} // globex no longer configured
	var out bytes.Buffer
	if err := List(context.Background(), &out, r.queued(), r.scope, now); err != nil {
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

func TestListAndShowQueuedChanges(t *testing.T) {
	r := newRig(t)
	opts := SetOptions{Scope: r.scope, Change: change("replay"), Tenant: "acme",
		Stream: "activity", Since: now.Add(-48 * time.Hour)}
	if err := Set(context.Background(), &bytes.Buffer{}, r.queued(), opts); err != nil {
		t.Fatalf("Set: %v", err)
	}
	want := "acme/activity set since 2026-12-02T12:00:00Z by ops@bastion at " +
		"2026-12-04T12:00:00Z: replay"
	for _, tt := range []struct {
		name string
		run  func(w *bytes.Buffer) error
	}{
		{"list", func(w *bytes.Buffer) error {
			return List(context.Background(), w, r.queued(), r.scope, now)
		}},
		{"show", func(w *bytes.Buffer) error {
			return Show(context.Background(), w, r.queued(), r.scope, "acme", "activity")
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := tt.run(&out); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), want) {
				t.Errorf("output: got\n%s\nwant a queued line containing %q", out.String(), want)
			}
		})
	}
	var out bytes.Buffer
	if err := Show(context.Background(), &out, r.queued(), r.scope, "globex", ""); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "queued") {
		t.Errorf("Show of another tenant: got\n%s\nwant no queued change", out.String())
	}
}

func TestShow(t *testing.T) {
	r := newRig(t)
	var out bytes.Buffer
	err := Show(context.Background(), &out, r.direct(), r.scope, "acme", "activity")
	if err != nil {
		t.Fatalf("Show: %v", err)
	}
	if !strings.Contains(out.String(), `"cursor": "https://x/api/v1/logs?after=1"`) {
		t.Errorf("Show output: got\n%s\nwant the stored cursor", out.String())
	}
	err = Show(context.Background(), &out, r.direct(), r.scope, "nope", "")
	if err == nil || !strings.Contains(err.Error(), `unknown tenant "nope"`) ||
		!errors.Is(err, ErrInvalidRequest) {
		t.Errorf("Show of an unknown tenant: got %v, want an invalid request naming it", err)
	}
}

func TestResetTenantDirect(t *testing.T) {
	r := newRig(t)
	globex := r.load(t, "globex", "employees")
	var out bytes.Buffer
	opts := ResetOptions{Scope: r.scope, Change: change("ticket 7"), Tenant: "acme",
		Lookback: 48 * time.Hour}
	if err := Reset(context.Background(), &out, r.direct(), opts); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	wantEmp := checkpoint.Checkpoint{Version: 1, Tenant: "acme", Stream: "employees",
		LastSuccess: now.Add(-time.Hour), UpdatedAt: now}
	gotEmp, empID := withoutRequest(r.load(t, "acme", "employees"))
	if diff := cmp.Diff(wantEmp, gotEmp); diff != "" {
		t.Errorf("employees after reset (-want +got):\n%s", diff)
	}
	wantAct := checkpoint.Checkpoint{Version: 1, Tenant: "acme", Stream: "activity",
		LastSuccess: now.Add(-time.Hour), UpdatedAt: now,
		Extra: map[string]string{ExtraSince: "2026-12-02T12:00:00Z"}}
	gotAct, actID := withoutRequest(r.load(t, "acme", "activity"))
	if diff := cmp.Diff(wantAct, gotAct); diff != "" {
		t.Errorf("activity after reset (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(globex, r.load(t, "globex", "employees")); diff != "" {
		t.Errorf("another tenant changed (-want +got):\n%s", diff)
	}
	es := r.entries(t)
	var stages []string
	for _, e := range es {
		stages = append(stages, e.Stage+" "+e.Stream+" "+e.Request)
		if e.Action != "reset" || e.Reason != "ticket 7" || e.User != "ops" ||
			e.Host != "bastion" || e.Old == nil || e.New == nil || !e.Time.Equal(now) {
			t.Errorf("audit entry: got %+v, want a reset by ops, why, old and new", e)
		}
	}
	wantStages := []string{"requested employees " + empID, "applied employees " + empID,
		"requested activity " + actID, "applied activity " + actID}
	if diff := cmp.Diff(wantStages, stages); diff != "" {
		t.Fatalf("audit stages (-want +got):\n%s", diff)
	}
	if es[3].Old.Cursor != "https://x/api/v1/logs?after=1" {
		t.Errorf("applied entry's old cursor: got %q, want the stored one", es[3].Old.Cursor)
	}
	for _, want := range []string{"old: cursor, last event", "new: replay from 2026-12-02",
		"saved 2 change(s)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("Reset output: got\n%s\nwant %q", out.String(), want)
		}
	}
	if reqs := r.requests(t); len(reqs) != 0 {
		t.Errorf("inbox after a direct reset: got %d requests, want none", len(reqs))
	}
}

func TestSetActivitySince(t *testing.T) {
	r := newRig(t)
	since := now.Add(-30 * 24 * time.Hour)
	opts := SetOptions{Scope: r.scope, Change: change("replay for audit"), Tenant: "acme",
		Stream: "activity", Since: since}
	if err := Set(context.Background(), &bytes.Buffer{}, r.direct(), opts); err != nil {
		t.Fatalf("Set: %v", err)
	}
	want := checkpoint.Checkpoint{Version: 1, Tenant: "acme", Stream: "activity",
		LastPublished: since, LastSuccess: now.Add(-time.Hour), UpdatedAt: now,
		Extra: map[string]string{ExtraSince: "2026-11-04T12:00:00Z"}}
	got, _ := withoutRequest(r.load(t, "acme", "activity"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("activity after set (-want +got):\n%s", diff)
	}
	es := r.entries(t)
	if len(es) != 2 || es[1].Action != "set" ||
		es[1].Old.Cursor != "https://x/api/v1/logs?after=1" {
		t.Errorf("audit entries: got %+v, want a set requested and applied, old cursor", es)
	}
}

func TestSetEmployeesWatermark(t *testing.T) {
	r := newRig(t)
	wm := now.Add(-72 * time.Hour)
	opts := SetOptions{Scope: r.scope, Change: change("reload HR fix"), Tenant: "globex",
		Stream: "employees", Watermark: wm}
	if err := Set(context.Background(), &bytes.Buffer{}, r.direct(), opts); err != nil {
		t.Fatalf("Set: %v", err)
	}
	got := r.load(t, "globex", "employees")
	if !got.Watermark.Equal(wm) || got.AtWatermark != nil || got.Snapshot == nil {
		t.Errorf("employees after set: got watermark %v, versions %q, snapshot %v; "+
			"want %v, none, kept", got.Watermark, got.AtWatermark, got.Snapshot, wm)
	}
}
