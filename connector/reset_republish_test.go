package connector

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/ops"
	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/schemas"
)

// pairCase is one stream that carries another's records: groups with
// group_members, apps with app_assignments.
type pairCase struct {
	owner, pairs string
	truth        func(org *oktasim.Org) map[string]bool // every pair key Okta lists
	remove       func(t *testing.T, org *oktasim.Org) string
}

var pairCases = []pairCase{
	{StreamGroups, StreamGroupMembers, membershipKeys, removeMember},
	{StreamApps, StreamAppAssignments, assignmentKeys, removeAssignment},
}

// resetOrg is big enough that a full listing of members or assignments
// takes more than one batch (coalesceSets re-lists a batch), so a crash
// can land after some of them were published and their sets saved. Rate
// limits are off: at Okta's 100 app calls a minute, 70 apps listed three
// times would take minutes.
var resetOrg = oktasim.OrgConfig{Seed: 5, Users: 150, Groups: 70, Apps: 70, Events: 40,
	Limits: oktasim.RateLimits{Off: true}}

func membershipKeys(org *oktasim.Org) map[string]bool {
	out := map[string]bool{}
	for _, g := range org.Groups() {
		for _, u := range g.Members {
			out[PairKey("sim", g.ID, u)] = true
		}
	}
	return out
}

func assignmentKeys(org *oktasim.Org) map[string]bool {
	out := map[string]bool{}
	for _, a := range org.Apps() {
		for _, u := range org.AppUserIDs(a.ID) {
			out[PairKey("sim", a.ID, u)] = true
		}
	}
	return out
}

// removeMember takes a user out of an Okta-managed group and returns the
// key that must become a tombstone.
func removeMember(t *testing.T, org *oktasim.Org) string {
	t.Helper()
	for _, g := range org.Groups() {
		if g.Type == "OKTA_GROUP" && len(g.Members) > 0 {
			must(t, org.RemoveGroupMember(g.ID, g.Members[0]))
			return PairKey("sim", g.ID, g.Members[0])
		}
	}
	t.Fatal("no Okta-managed group with members")
	return ""
}

// removeAssignment ends a direct assignment that no group assignment
// keeps alive and returns the key that must become a tombstone.
func removeAssignment(t *testing.T, org *oktasim.Org) string {
	t.Helper()
	for _, a := range org.Apps() {
		for _, u := range a.Users {
			must(t, org.UnassignAppUser(a.ID, u))
			if !slices.Contains(org.AppUserIDs(a.ID), u) {
				return PairKey("sim", a.ID, u)
			}
		}
	}
	t.Fatal("no direct assignment that only the user held")
	return ""
}

// queueReset queues `checkpoints reset` of stream for the running
// connector, as the command does while the connector holds the store.
func (s *simEngine) queueReset(t *testing.T, stream string) {
	t.Helper()
	store := s.tp.store.(*checkpoint.FileStore)
	target := ops.Target{Reader: store, Inbox: store, Audit: store}
	opts := ops.ResetOptions{Scope: ops.Scope{Tenants: []string{"sim"}},
		Change: ops.Change{Reason: "consumer rebuild", Who: "ops", Host: "bastion"},
		Tenant: "sim", Stream: stream}
	if err := ops.Reset(context.Background(), &bytes.Buffer{}, target, opts); err != nil {
		t.Fatalf("queueing the reset of %s: %v", stream, err)
	}
}

func (s *simEngine) checkpoint(t *testing.T, stream string) checkpoint.Checkpoint {
	t.Helper()
	cp, err := s.tp.store.Load(context.Background(),
		checkpoint.Key{Tenant: "sim", Stream: stream})
	if err != nil {
		t.Fatalf("loading checkpoint of %s: %v", stream, err)
	}
	return cp
}

// snapshotView is what one cycle published of a pair stream: its upserts
// by key, its tombstones, and the markers bracketing them.
type snapshotView struct {
	upserts     map[string]int
	tombstones  map[string]bool
	begin, done *schemas.SyncMarker
	outside     int // pair records before the begin or after the completed marker
}

// viewOf reads recs; open is the begin marker of a snapshot a crash
// interrupted, which the records go on, or nil.
func viewOf(recs []Record, stream string, open *schemas.SyncMarker) snapshotView {
	v := snapshotView{upserts: map[string]int{}, tombstones: map[string]bool{}, begin: open}
	for _, r := range recs {
		if m, ok := r.Value.(schemas.SyncMarker); ok && m.Stream == stream {
			if m.Phase == schemas.PhaseBegin {
				v.begin = &m
			} else {
				v.done = &m
			}
			continue
		}
		if r.Stream != stream {
			continue
		}
		if v.begin == nil || v.done != nil {
			v.outside++
		}
		if r.Value == nil {
			v.tombstones[r.Key] = true
		} else {
			v.upserts[r.Key]++
		}
	}
	return v
}

// checkRepublished: every pair Okta lists was published once, between a
// begin and a completed marker of one snapshot whose count is what was
// listed, and gone is a tombstone.
func checkRepublished(t *testing.T, v snapshotView, want map[string]bool, gone string) {
	t.Helper()
	got := map[string]bool{}
	for k, n := range v.upserts {
		got[k] = true
		if n != 1 {
			t.Errorf("%s published %d times, want once", k, n)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keys republished (-listed +published):\n%s", diff)
	}
	if !v.tombstones[gone] || len(v.tombstones) != 1 {
		t.Errorf("tombstones: got %v, want only %s", v.tombstones, gone)
	}
	switch {
	case v.begin == nil || v.done == nil:
		t.Fatalf("markers: got begin %v, completed %v; want both", v.begin, v.done)
	case v.begin.SnapshotID != v.done.SnapshotID:
		t.Errorf("snapshot ids: got begin %s, completed %s; want one snapshot",
			v.begin.SnapshotID, v.done.SnapshotID)
	case v.done.RecordCount == nil || *v.done.RecordCount != int64(len(want)):
		t.Errorf("completed record_count: got %v, want %d listed", v.done.RecordCount,
			len(want))
	}
	if v.outside != 0 {
		t.Errorf("records outside the markers: got %d, want 0", v.outside)
	}
}

// checkMarkCleared: the finished snapshot dropped the reset's mark, so the
// stream is incremental again and its next cycle republishes nothing.
func checkMarkCleared(t *testing.T, s *simEngine, tc pairCase) {
	t.Helper()
	cp := s.checkpoint(t, tc.owner)
	if cp.Snapshot != nil || cp.Extra[ops.ExtraRepublish] != "" {
		t.Errorf("checkpoint after the snapshot: got snapshot %v, extra %v; want neither "+
			"a snapshot nor %q", cp.Snapshot, cp.Extra, ops.ExtraRepublish)
	}
	s.runCycle(t, tc.owner)
	if v := viewOf(s.rec.take(), tc.pairs, nil); len(v.upserts)+len(v.tombstones) != 0 {
		t.Errorf("the cycle after: got %d upserts, %d tombstones; want none",
			len(v.upserts), len(v.tombstones))
	}
}

// TestResetRepublishesPairs is `checkpoints reset` of groups or apps
// queued while the connector runs: the next cycle publishes every
// membership or assignment Okta lists between new markers, not only what
// changed, and still tombstones the one removed since the last sync.
func TestResetRepublishesPairs(t *testing.T) {
	for _, tc := range pairCases {
		t.Run(tc.owner, func(t *testing.T) {
			s := newSimEngine(t, resetOrg)
			s.syncOnce(t)
			s.rec.take()
			gone := tc.remove(t, s.org)
			s.queueReset(t, tc.owner)

			s.runCycle(t, tc.owner)
			checkRepublished(t, viewOf(s.rec.take(), tc.pairs, nil), tc.truth(s.org), gone)
			checkMarkCleared(t, s, tc)
		})
	}
}

// TestReconciliationPublishesOnlyChanges: a full listing that no reset
// asked for (the daily reconciliation) still diffs against the stored
// sets: inside its markers it publishes the one removal and nothing else.
func TestReconciliationPublishesOnlyChanges(t *testing.T) {
	for _, tc := range pairCases {
		t.Run(tc.owner, func(t *testing.T) {
			s := newSimEngine(t, resetOrg)
			s.syncOnce(t)
			s.rec.take()
			gone := tc.remove(t, s.org)

			tr := s.engine.newRun(s.tenant, discard())
			tr.opts.Reconcile = time.Nanosecond
			if err := tr.run(context.Background(), tc.owner); err != nil {
				t.Fatalf("reconciliation of %s: %v", tc.owner, err)
			}
			v := viewOf(s.rec.take(), tc.pairs, nil)
			if len(v.upserts) != 0 || !v.tombstones[gone] || len(v.tombstones) != 1 {
				t.Errorf("reconciliation: got %d upserts, tombstones %v; want 0, only %s",
					len(v.upserts), v.tombstones, gone)
			}
			if v.begin == nil || v.done == nil {
				t.Errorf("markers: got begin %v, completed %v; want both", v.begin, v.done)
			}
		})
	}
}

var errCrash = errors.New("simulated crash")

// crashingPublisher passes batches on until the one that would carry the
// (after+1)th batch of stream's records, which it refuses, as a process
// killed before Kafka acknowledged it would leave things.
type crashingPublisher struct {
	Publisher
	stream string
	after  int
	seen   int
}

func (p *crashingPublisher) Publish(ctx context.Context, b Batch) error {
	if slices.ContainsFunc(b.Records, func(r Record) bool { return r.Stream == p.stream }) {
		if p.seen == p.after {
			return errCrash
		}
		p.seen++
	}
	return p.Publisher.Publish(ctx, b)
}

// TestCrashUnderResetKeepsRepublishing: a reset snapshot that crashes
// after publishing part of the pairs (their sets saved) is resumed by the
// next cycle still republishing: every pair again, in the same snapshot,
// the removal tombstoned, the mark cleared at the end.
func TestCrashUnderResetKeepsRepublishing(t *testing.T) {
	for _, tc := range pairCases {
		t.Run(tc.owner, func(t *testing.T) {
			s := newSimEngine(t, resetOrg)
			s.syncOnce(t)
			s.rec.take()
			gone := tc.remove(t, s.org)
			s.queueReset(t, tc.owner)

			tr := s.engine.newRun(s.tenant, discard())
			crash := &crashingPublisher{Publisher: s.rec, stream: tc.pairs, after: 1}
			tr.pub = crash
			if err := tr.run(context.Background(), tc.owner); !errors.Is(err, errCrash) {
				t.Fatalf("crashing cycle: got %v, want the crash", err)
			}
			first := viewOf(s.rec.take(), tc.pairs, nil)
			if crash.seen != 1 || len(first.upserts) == 0 || first.begin == nil {
				t.Fatalf("before the crash: got %d batches, %d upserts, begin %v; want 1 "+
					"batch of upserts after a begin marker", crash.seen, len(first.upserts),
					first.begin)
			}
			cp := s.checkpoint(t, tc.owner)
			if cp.Snapshot == nil || cp.Extra[ops.ExtraRepublish] == "" {
				t.Fatalf("checkpoint after the crash: got snapshot %v, extra %v; want both",
					cp.Snapshot, cp.Extra)
			}

			s.runCycle(t, tc.owner)
			resumed := viewOf(s.rec.take(), tc.pairs, first.begin)
			if resumed.begin != first.begin {
				t.Errorf("resumed cycle: got a new begin marker %v, want the snapshot "+
					"resumed", resumed.begin)
			}
			// The removal may have gone out before the crash, its set saved.
			maps.Copy(resumed.tombstones, first.tombstones)
			checkRepublished(t, resumed, tc.truth(s.org), gone)
			checkMarkCleared(t, s, tc)
		})
	}
}
