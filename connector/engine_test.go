package connector

import (
	"context"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

const simToken = "sim-token-for-tests"

// simEngine serves a generated org and wires an engine to it, to a fresh
// set of topics and to a fresh checkpoint store.
type simEngine struct {
	org    *oktasim.Org
	engine *Engine
	tp     testPublisher
	rec    *recordingPublisher
	tenant Tenant
}

// recordingPublisher keeps the records of every batch that went through.
type recordingPublisher struct {
	Publisher
	mu   sync.Mutex
	recs []Record
}

func (r *recordingPublisher) Publish(ctx context.Context, b Batch) error {
	if err := r.Publisher.Publish(ctx, b); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, b.Records...)
	return nil
}

// take returns the records published since the last call.
func (r *recordingPublisher) take() []Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.recs
	r.recs = nil
	return out
}

func newSimEngine(t *testing.T, cfg oktasim.OrgConfig) *simEngine {
	t.Helper()
	cfg.Token = simToken
	org, err := oktasim.NewOrg(cfg)
	if err != nil {
		t.Fatalf("generating org: %v", err)
	}
	srv := httptest.NewServer(org.Handler())
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL)
	cl, err := okta.New(okta.Config{BaseURL: base,
		Credentials: okta.Credentials{Token: okta.NewToken(simToken)}, RateShare: 1})
	if err != nil {
		t.Fatalf("creating okta client: %v", err)
	}
	tp := newTestPublisher(t, kafkatest.Brokers(t), true, 0)
	tenant := Tenant{ID: "sim", Domain: base.Host, Client: cl}
	rec := &recordingPublisher{Publisher: tp.pub}
	e := NewEngine(EngineConfig{Tenants: []Tenant{tenant}, Store: tp.store,
		Publisher: rec, Logger: discard()})
	return &simEngine{org: org, engine: e, tp: tp, rec: rec, tenant: tenant}
}

// syncOnce runs one pass and fails the test on any stream error.
func (s *simEngine) syncOnce(t *testing.T) {
	t.Helper()
	for _, r := range s.engine.SyncOnce(context.Background(), "") {
		if r.Err != nil {
			t.Fatalf("stream %s: %v", r.Stream, r.Err)
		}
	}
}

// counts returns the records each stream's topic received so far.
func (s *simEngine) counts() map[string]Count {
	out := map[string]Count{}
	for topic, c := range s.tp.pub.Counts() {
		out[topic[len(s.tp.topics.Prefix):]] = c
	}
	return out
}

// truth counts, per stream, the records a first full sync of org must
// publish: every user of every status, group, membership, app and
// assignment, the org, every event persisted inside the look-back, and a
// begin and a completed marker for each of the five snapshotted streams.
func truth(org *oktasim.Org, since time.Time) map[string]int64 {
	want := map[string]int64{StreamOrganizations: 1, StreamSyncMarkers: 10}
	want[StreamEmployees] = int64(len(org.Users()))
	for _, g := range org.Groups() {
		want[StreamGroups]++
		want[StreamGroupMembers] += int64(len(g.Members))
	}
	for _, a := range org.Apps() {
		want[StreamApps]++
		want[StreamAppAssignments] += int64(len(org.AppUserIDs(a.ID)))
	}
	for e := range org.Events() {
		if !e.Persisted.Before(since) {
			want[StreamActivity]++
		}
	}
	return want
}

func TestFullSyncPublishesTheOrg(t *testing.T) {
	s := newSimEngine(t, oktasim.OrgConfig{Seed: 1, Users: 300, Groups: 12, Apps: 6,
		Events: 800})
	since := time.Now().Add(-7 * 24 * time.Hour)
	s.syncOnce(t)
	got := map[string]int64{}
	for stream, c := range s.counts() {
		got[stream] = c.Records
	}
	if diff := cmp.Diff(truth(s.org, since), got); diff != "" {
		t.Errorf("records per stream (-want +got):\n%s", diff)
	}
}
