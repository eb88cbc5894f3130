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

// TestQueuedSetIsAppliedByInstall walks a change made while a connector
// holds the store: it is queued and changes nothing; the stream moves on
// meanwhile; Install then applies it to the checkpoint as it is by then,
// once, and records it.
func TestQueuedSetIsAppliedByInstall(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	before := r.all(t)
	wm := now.Add(-72 * time.Hour)
	opts := SetOptions{Scope: r.scope, Change: change("reload HR fix"), Tenant: "acme",
		Stream: "employees", Watermark: wm}
	var out bytes.Buffer
	if err := Set(ctx, &out, r.queued(), opts); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if diff := cmp.Diff(before, r.all(t)); diff != "" {
		t.Errorf("a queued change wrote checkpoints (-before +after):\n%s", diff)
	}
	if !strings.Contains(out.String(), "queued 1 change(s)") {
		t.Errorf("Set output: got\n%s\nwant it to say the change is queued", out.String())
	}
	reqs := r.requests(t)
	if len(reqs) != 1 || reqs[0].Action != "set" || !reqs[0].Watermark.Equal(wm) {
		t.Fatalf("inbox: got %+v, want one set to %v", reqs, wm)
	}

	// The running stream finishes its snapshot before the next cycle.
	moved := r.load(t, "acme", "employees")
	moved.Snapshot, moved.LastFullSync = nil, now
	if err := r.store.Save(ctx, moved); err != nil {
		t.Fatal(err)
	}
	applyAt := now.Add(time.Minute)
	got, wrote, err := Install(ctx, r.store, r.store.Save, r.store, reqs[0], applyAt)
	if err != nil || !wrote {
		t.Fatalf("Install: got wrote %v, %v; want a write", wrote, err)
	}
	if !got.Watermark.Equal(wm) || got.Snapshot != nil || !got.LastFullSync.Equal(now) ||
		got.AtWatermark != nil || got.Extra[checkpoint.ExtraRequest] != reqs[0].ID {
		t.Errorf("applied checkpoint: got %+v, want the watermark on the moved "+
			"checkpoint, marked with the request", got)
	}
	if _, wrote, err := Install(ctx, r.store, r.store.Save, r.store, reqs[0],
		applyAt); err != nil || wrote {
		t.Errorf("Install again: got wrote %v, %v; want nothing written", wrote, err)
	}
	es := r.entries(t)
	if len(es) != 2 || es[0].Stage != checkpoint.StageRequested ||
		es[1].Stage != checkpoint.StageApplied || es[1].Request != reqs[0].ID ||
		!es[1].Time.Equal(applyAt) || es[1].Old.LastFullSync != now {
		t.Errorf("audit entries: got %+v, want requested, then applied to the moved "+
			"checkpoint", es)
	}
}

func TestRefusalsChangeNothing(t *testing.T) {
	tests := []struct {
		name string
		run  func(r rig, tg Target) error
		want string
	}{
		{"since past retention", func(r rig, tg Target) error {
			return Set(context.Background(), &bytes.Buffer{}, tg, SetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "activity",
				Since: now.Add(-91 * 24 * time.Hour)})
		}, "outside Okta's 90-day System Log retention"},
		{"since in the future", func(r rig, tg Target) error {
			return Set(context.Background(), &bytes.Buffer{}, tg, SetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "activity",
				Since: now.Add(time.Minute)})
		}, "in the future"},
		{"unknown tenant", func(r rig, tg Target) error {
			return Reset(context.Background(), &bytes.Buffer{}, tg, ResetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "initech"})
		}, `unknown tenant "initech"`},
		{"unknown stream", func(r rig, tg Target) error {
			return Reset(context.Background(), &bytes.Buffer{}, tg, ResetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "users"})
		}, `unknown stream "users"`},
		{"no reason", func(r rig, tg Target) error {
			return Reset(context.Background(), &bytes.Buffer{}, tg, ResetOptions{
				Scope: r.scope, Change: change(""), Tenant: "acme"})
		}, "--reason is required"},
		{"blank reason", func(r rig, tg Target) error {
			return Reset(context.Background(), &bytes.Buffer{}, tg, ResetOptions{
				Scope: r.scope, Change: change(" \t "), Tenant: "acme"})
		}, "--reason is required"},
		{"stream without a position", func(r rig, tg Target) error {
			return Set(context.Background(), &bytes.Buffer{}, tg, SetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "organizations",
				Watermark: now.Add(-time.Hour)})
		}, "use reset"},
		{"set memberships", func(r rig, tg Target) error {
			return Set(context.Background(), &bytes.Buffer{}, tg, SetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "group_members",
				Watermark: now.Add(-time.Hour)})
		}, "reset --stream groups instead, which republishes every membership"},
		{"reset memberships", func(r rig, tg Target) error {
			return Reset(context.Background(), &bytes.Buffer{}, tg, ResetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "group_members"})
		}, "reset --stream groups instead, which republishes every membership"},
		{"reset assignments", func(r rig, tg Target) error {
			return Reset(context.Background(), &bytes.Buffer{}, tg, ResetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "app_assignments"})
		}, "reset --stream apps instead, which republishes every assignment"},
		{"dry-run reset of assignments", func(r rig, tg Target) error {
			c := change("")
			c.DryRun = true
			return Reset(context.Background(), &bytes.Buffer{}, tg, ResetOptions{
				Scope: r.scope, Change: c, Tenant: "acme", Stream: "app_assignments"})
		}, "reset --stream apps instead"},
		{"since for employees", func(r rig, tg Target) error {
			return Set(context.Background(), &bytes.Buffer{}, tg, SetOptions{
				Scope: r.scope, Change: change("x"), Tenant: "acme", Stream: "employees",
				Since: now.Add(-time.Hour)})
		}, "takes a watermark"},
		{"dry run", func(r rig, tg Target) error {
			c := change("")
			c.DryRun = true
			return Reset(context.Background(), &bytes.Buffer{}, tg, ResetOptions{
				Scope: r.scope, Change: c, Tenant: "acme"})
		}, ""},
	}
	for _, mode := range []string{"direct", "queued"} {
		for _, tt := range tests {
			t.Run(mode+"/"+tt.name, func(t *testing.T) {
				r := newRig(t)
				tg := r.direct()
				if mode == "queued" {
					tg = r.queued()
				}
				before := r.all(t)
				err := tt.run(r, tg)
				switch {
				case tt.want == "" && err != nil:
					t.Errorf("got %v, want no error", err)
				case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
					t.Errorf("got %v, want an error containing %q", err, tt.want)
				case tt.want != "" && !errors.Is(err, ErrInvalidRequest):
					t.Errorf("got %v, want it to match ErrInvalidRequest", err)
				}
				if diff := cmp.Diff(before, r.all(t)); diff != "" {
					t.Errorf("checkpoints changed (-before +after):\n%s", diff)
				}
				if es := r.entries(t); len(es) != 0 {
					t.Errorf("audit entries: got %d, want none", len(es))
				}
				if reqs := r.requests(t); len(reqs) != 0 {
					t.Errorf("queued requests: got %d, want none", len(reqs))
				}
			})
		}
	}
}

func TestAuditPrintsTheTrail(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	opts := SetOptions{Scope: r.scope, Change: change("replay for SOC"), Tenant: "acme",
		Stream: "activity", Since: now.Add(-24 * time.Hour)}
	if err := Set(ctx, &bytes.Buffer{}, r.direct(), opts); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, tenant string
		want         []string
	}{
		{"one tenant", "acme", []string{
			"2026-12-04T12:00:00Z  requested  set acme/activity  by ops@bastion  request ",
			"2026-12-04T12:00:00Z  applied    set acme/activity  by ops@bastion  request ",
			"  why: replay for SOC",
			"  old: cursor, last event 2026-12-04T10:00:00Z, last success",
			"  new: replay from 2026-12-03T12:00:00Z"}},
		{"another tenant", "globex", []string{"no checkpoint changes recorded"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := Audit(ctx, &out, r.store, tt.tenant, ""); err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.want {
				if !strings.Contains(out.String(), want) {
					t.Errorf("Audit output: got\n%s\nwant %q", out.String(), want)
				}
			}
		})
	}
}
