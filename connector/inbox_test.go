package connector

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/ops"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// runCycle runs one cycle of stream as the engine's tenant loop does:
// beforeCycle first, then the stream.
func (s *simEngine) runCycle(t *testing.T, stream string) {
	t.Helper()
	ctx := context.Background()
	tr := s.engine.newRun(s.tenant, discard())
	if err := tr.beforeCycle(ctx, stream); err != nil {
		t.Fatalf("before the cycle of %s: %v", stream, err)
	}
	if err := tr.run(ctx, stream); err != nil {
		t.Fatalf("cycle of %s: %v", stream, err)
	}
}

// TestQueuedSinceReplaysActivity is a `checkpoints set --stream activity
// --since` made while the connector holds the store: the next cycle
// applies it and republishes every event from that time on, with its own
// uuid; the request leaves the inbox, the trail says it was applied, and
// the stream is back on a cursor.
func TestQueuedSinceReplaysActivity(t *testing.T) {
	s := newSimEngine(t, oktasim.OrgConfig{Seed: 4, Users: 30, Groups: 3, Apps: 2,
		Events: 120})
	s.syncOnce(t)
	first := eventUUIDs(s.rec.take())
	if len(first) == 0 {
		t.Fatal("first sync published no events")
	}
	s.runCycle(t, StreamActivity)
	if again := eventUUIDs(s.rec.take()); len(again) != 0 {
		t.Fatalf("an idle cycle republished %d events", len(again))
	}

	store := s.tp.store.(*checkpoint.FileStore)
	target := ops.Target{Reader: store, Inbox: store, Audit: store}
	opts := ops.SetOptions{Scope: ops.Scope{Tenants: []string{"sim"}},
		Change: ops.Change{Reason: "replay", Who: "ops", Host: "bastion"},
		Tenant: "sim", Stream: StreamActivity, Since: time.Now().Add(-8 * 24 * time.Hour)}
	if err := ops.Set(context.Background(), &bytes.Buffer{}, target, opts); err != nil {
		t.Fatalf("queueing the set: %v", err)
	}
	reqs, err := store.Requests(context.Background())
	if err != nil || len(reqs) != 1 {
		t.Fatalf("queued requests: got %d (%v), want 1", len(reqs), err)
	}

	s.runCycle(t, StreamActivity)
	replayed := eventUUIDs(s.rec.take())
	if diff := cmp.Diff(first, replayed); diff != "" {
		t.Errorf("events replayed (-first sync +replay):\n%s", diff)
	}
	cp, err := store.Load(context.Background(), checkpoint.Key{Tenant: "sim",
		Stream: StreamActivity})
	if err != nil {
		t.Fatal(err)
	}
	if cp.Cursor == "" || cp.Extra[checkpoint.ExtraSince] != "" ||
		cp.Extra[checkpoint.ExtraRequest] != reqs[0].ID {
		t.Errorf("activity checkpoint: got cursor %q, extra %v; want a cursor, no since, "+
			"request %s", cp.Cursor, cp.Extra, reqs[0].ID)
	}
	if left, _ := store.Requests(context.Background()); len(left) != 0 {
		t.Errorf("inbox after the cycle: got %d requests, want none", len(left))
	}
	es, err := store.Entries(context.Background())
	if err != nil || len(es) != 2 || es[1].Stage != checkpoint.StageApplied ||
		es[1].Request != reqs[0].ID || es[1].Old == nil || es[1].Old.Cursor == "" {
		t.Errorf("audit trail: got %+v (%v), want requested then applied over the cursor",
			es, err)
	}
	s.runCycle(t, StreamActivity)
	if again := eventUUIDs(s.rec.take()); len(again) != 0 {
		t.Errorf("the cycle after the replay republished %d events, want none", len(again))
	}
}

// TestInboxLeftAloneWithoutRequests: a store without an inbox, or an empty
// inbox, leaves the checkpoint as it is.
func TestInboxLeftAloneWithoutRequests(t *testing.T) {
	s := newSimEngine(t, oktasim.OrgConfig{Seed: 4, Users: 10, Groups: 2, Apps: 1,
		Events: 10})
	s.syncOnce(t)
	k := checkpoint.Key{Tenant: "sim", Stream: StreamEmployees}
	before, err := s.tp.store.Load(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	tr := s.engine.newRun(s.tenant, discard())
	if err := tr.applyPendingChanges(context.Background(), StreamEmployees); err != nil {
		t.Fatalf("applyPendingChanges: %v", err)
	}
	after, err := s.tp.store.Load(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("checkpoint changed (-before +after):\n%s", diff)
	}
}
