package connector

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

func TestProgressRatePercentETA(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	now := start.Add(10 * time.Second)
	tests := []struct {
		name      string
		p         Progress
		rate, pct float64
		pctOK     bool
		eta       time.Duration
		etaOK     bool
	}{
		{"unknown total", Progress{Started: start, Records: 500},
			50, 0, false, 0, false},
		{"a quarter done", Progress{Started: start, Records: 250, Total: 1000},
			25, 25, true, 30 * time.Second, true},
		{"past the estimate", Progress{Started: start, Records: 1200, Total: 1000},
			120, 100, true, 0, true},
		{"nothing yet", Progress{Started: start, Total: 1000},
			0, 0, true, 0, false},
		{"just started", Progress{Started: now, Records: 10, Total: 100},
			0, 10, true, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Rate(now); got != tc.rate {
				t.Errorf("rate: got %v, want %v", got, tc.rate)
			}
			pct, ok := tc.p.Percent()
			if pct != tc.pct || ok != tc.pctOK {
				t.Errorf("percent: got %v %v, want %v %v", pct, ok, tc.pct, tc.pctOK)
			}
			eta, ok := tc.p.ETA(now)
			if eta != tc.eta || ok != tc.etaOK {
				t.Errorf("eta: got %v %v, want %v %v", eta, ok, tc.eta, tc.etaOK)
			}
		})
	}
}

func TestProgressBoardCountsRecordsNotMarkers(t *testing.T) {
	e := NewEngine(EngineConfig{Logger: discard()})
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b := e.board.start("beta", StreamGroups, at)
	a := e.board.start("alpha", StreamEmployees, at)
	a.total.Store(40)
	a.add([]Record{{Stream: StreamSyncMarkers}, {Stream: StreamEmployees},
		{Stream: StreamEmployees}})
	b.add([]Record{{Stream: StreamGroups}, {Stream: StreamGroupMembers}})
	a.add([]Record{{Stream: StreamEmployees}})
	want := []Progress{
		{Tenant: "alpha", Stream: StreamEmployees, Started: at, Records: 3, Total: 40},
		{Tenant: "beta", Stream: StreamGroups, Started: at, Records: 2},
	}
	if diff := cmp.Diff(want, e.Progress()); diff != "" {
		t.Errorf("runs in flight (-want +got):\n%s", diff)
	}
	e.board.finish(a)
	if got := len(e.Progress()); got != 1 {
		t.Errorf("got %d runs in flight after one finished, want 1", got)
	}
	if got := e.Finished(); got != 1 {
		t.Errorf("got %d finished runs, want 1", got)
	}
}

// progressLines keeps the attributes of every "sync progress" log line.
type progressLines struct {
	mu    sync.Mutex
	lines []map[string]string
}

func (p *progressLines) Enabled(context.Context, slog.Level) bool { return true }
func (p *progressLines) WithAttrs([]slog.Attr) slog.Handler       { return p }
func (p *progressLines) WithGroup(string) slog.Handler            { return p }

func (p *progressLines) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "sync progress" {
		return nil
	}
	m := map[string]string{}
	r.Attrs(func(a slog.Attr) bool {
		m[a.Key] = a.Value.String()
		return true
	})
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lines = append(p.lines, m)
	return nil
}

// TestReconciliationLogsPercent syncs a slow org twice: the second, full
// again by a tiny reconciliation interval, knows the first listing's size
// and logs progress with a total and a percentage.
func TestReconciliationLogsPercent(t *testing.T) {
	base := simOrg(t, 1, oktasim.OrgConfig{Users: 1500, Groups: 1, Apps: 1, Events: 5,
		Limits: oktasim.RateLimits{Off: true}}, oktasim.Faults{Latency: 20 * time.Millisecond})
	tn := simTenant(t, "slow", base, simToken)
	tn.Streams = []string{StreamEmployees}
	pub := newMemPublisher(t)
	lines := &progressLines{}
	e := NewEngine(EngineConfig{Tenants: []Tenant{tn}, Store: pub.store, Publisher: pub,
		Logger: slog.New(lines), ProgressInterval: 20 * time.Millisecond,
		Options: Options{Reconcile: time.Nanosecond}})
	for pass := range 2 {
		for _, r := range e.SyncOnce(context.Background(), "") {
			if r.Err != nil {
				t.Fatalf("pass %d: %v", pass, r.Err)
			}
		}
		lines.mu.Lock()
		got := lines.lines
		lines.lines = nil
		lines.mu.Unlock()
		if len(got) == 0 {
			t.Fatalf("pass %d: got no progress line, want some", pass)
		}
		last := got[len(got)-1]
		if last["tenant"] != "slow" || last["stream"] != StreamEmployees {
			t.Errorf("pass %d: got line %v, want tenant slow, stream employees", pass, last)
		}
		_, hasTotal := last["total"]
		if want := pass == 1; hasTotal != want {
			t.Errorf("pass %d: got total in line %v, want total %v", pass, last, want)
		}
		if pass == 1 && (last["total"] != "1500" || last["percent"] == "" || last["eta"] == "") {
			t.Errorf("pass 1: got %v, want total 1500 with percent and eta", last)
		}
	}
}
