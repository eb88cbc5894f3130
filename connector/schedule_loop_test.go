package connector

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// runLog is a StreamObserver that keeps, in order, "start <stream>" and
// "done <stream>" for every run with when it was heard, and each run's
// error.
type runLog struct {
	mu     sync.Mutex
	events []string
	at     []time.Time
	errs   []error
}

func (l *runLog) StreamStarted(_, stream string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, "start "+stream)
	l.at = append(l.at, time.Now())
}

func (l *runLog) StreamDone(_ context.Context, r StreamResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, "done "+r.Stream)
	l.at = append(l.at, time.Now())
	l.errs = append(l.errs, r.Err)
}

// count returns how many of the events so far are event.
func (l *runLog) count(event string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.events {
		if e == event {
			n++
		}
	}
	return n
}

func (l *runLog) snapshot() ([]string, []time.Time, []error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.events), slices.Clone(l.at), slices.Clone(l.errs)
}

// counter counts the requests to one path (every path when empty).
type counter struct {
	path string
	n    atomic.Int64
}

func (c *counter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.path == "" || r.URL.Path == c.path {
			c.n.Add(1)
		}
		next.ServeHTTP(w, r)
	})
}

// every returns intervals of d for every stream.
func every(d time.Duration) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, s := range runOrder {
		out[s] = d
	}
	return out
}

// runDaemon starts e.Run and returns the function that cancels it and
// waits, within patience, for it to return; a cleanup calls it too.
func runDaemon(t *testing.T, e *Engine) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ended := make(chan struct{})
	go func() { defer close(ended); e.Run(ctx) }()
	stopped := false
	stop = func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		receive(t, ended, "Run to return after cancel")
	}
	t.Cleanup(stop)
	return stop
}

// TestSystemLogPollsDuringHeldListing holds the users listing of a tenant
// in the daemon: its System Log keeps its own schedule meanwhile, which a
// loop that waits for a whole cycle would not allow. The org runs first
// and alone, and once the listing is released every stream completes.
func TestSystemLogPollsDuringHeldListing(t *testing.T) {
	org := newOrg(t, oktasim.OrgConfig{Seed: 21, Users: 30, Groups: 3, Apps: 2, Events: 20})
	g := newGate("/api/v1/users")
	g.arm()
	logs := &counter{path: "/api/v1/logs"}
	tenant := serveOrg(t, "held", org, func(h http.Handler) http.Handler {
		return logs.wrap(g.wrap(h))
	})
	t.Cleanup(g.release) // runs before the server's Close
	pub := newMemPublisher(t)
	runs := &runLog{}
	e := NewEngine(EngineConfig{Tenants: []Tenant{tenant}, Store: pub.store, Publisher: pub,
		Logger: discard(), Intervals: every(20 * time.Millisecond), Observer: runs})
	stop := runDaemon(t, e)

	receive(t, g.reached, "the users listing to be held")
	polled := runs.count("done " + StreamActivity)
	requested := logs.n.Load()
	// A run in flight at the hold may count once; three more must start.
	waitFor(t, "3 System Log runs while the listing is held", func() bool {
		return runs.count("done "+StreamActivity) >= polled+3 &&
			logs.n.Load() >= requested+3
	})
	if got := runs.count("done " + StreamEmployees); got != 0 {
		t.Fatalf("got %d employees runs done while held, want 0", got)
	}

	g.release()
	waitFor(t, "every stream to complete after the release", func() bool {
		for _, s := range runOrder {
			if runs.count("done "+s) == 0 {
				return false
			}
		}
		return true
	})
	stop()

	events, _, errs := runs.snapshot()
	first := []string{"start " + StreamOrganizations, "done " + StreamOrganizations}
	if diff := cmp.Diff(first, events[:2]); diff != "" {
		t.Errorf("first pass (-want +got):\n%s", diff)
	}
	for i, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("run %d: got %v, want no error but the shutdown's", i, err)
		}
	}
}

// heldPublisher is a memPublisher that holds the batches that save one
// stream's checkpoint until released, whatever their context says: a batch in
// flight that is still waiting for Kafka's acknowledgements.
type heldPublisher struct {
	*memPublisher
	stream  string
	reached chan struct{}
	open    chan struct{}
	once    sync.Once
}

func (p *heldPublisher) Publish(ctx context.Context, b Batch) error {
	if savesCheckpoint(p.stream)(b) {
		p.once.Do(func() { close(p.reached) })
		<-p.open
		ctx = context.WithoutCancel(ctx)
	}
	return p.memPublisher.Publish(ctx, b)
}

// TestRunWaitsForRunInFlight cancels the daemon while a batch is being
// published: Run must not return before the batch ends, and must return
// once it has.
func TestRunWaitsForRunInFlight(t *testing.T) {
	org := newOrg(t, oktasim.OrgConfig{Seed: 22, Users: 15, Groups: 2, Apps: 2, Events: 20})
	tenant := serveOrg(t, "inflight", org, nil)
	pub := &heldPublisher{memPublisher: newMemPublisher(t), stream: StreamEmployees,
		reached: make(chan struct{}), open: make(chan struct{})}
	release := sync.OnceFunc(func() { close(pub.open) })
	t.Cleanup(release)
	e := NewEngine(EngineConfig{Tenants: []Tenant{tenant}, Store: pub.store, Publisher: pub,
		Logger: discard(), Intervals: every(20 * time.Millisecond)})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()

	receive(t, pub.reached, "an employees batch to be published")
	cancel()
	select {
	case <-done:
		t.Fatal("got Run returned while a batch was in flight, want it to wait")
	case <-time.After(100 * time.Millisecond):
	}
	release()
	receive(t, done, "Run to return once the batch ended")
	if n := pub.batches(tenant.ID); n == 0 {
		t.Errorf("got %d batches published, want the held one among them", n)
	}
}

// TestAuthErrorOneLinePerPeriod runs the daemon on a revoked token. No
// stream starts within an interval of the first refusal; the tenant logs
// one line per shortest interval, not one per stream and run; each stream
// asks Okta at most once per interval. With the org enabled it goes first
// and alone whenever due, so it is the only stream that ever asks.
func TestAuthErrorOneLinePerPeriod(t *testing.T) {
	const interval = 40 * time.Millisecond
	entities := []string{StreamEmployees, StreamGroups, StreamApps, StreamActivity}
	tests := []struct {
		name    string
		streams []string
		want    []string // the streams that ever run
	}{
		{"org refused first", nil, []string{StreamOrganizations}},
		{"streams refused together", entities, entities},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			org := newOrg(t, oktasim.OrgConfig{Seed: 23, Users: 15, Groups: 2, Apps: 2,
				Events: 20})
			reqs := &counter{}
			bad := simTenant(t, "revoked", serveURL(t, org, reqs.wrap), "not-the-token")
			bad.Streams = tc.streams
			lines, runs := &authLines{}, &runLog{}
			pub := newMemPublisher(t)
			e := NewEngine(EngineConfig{Tenants: []Tenant{bad}, Store: pub.store,
				Publisher: pub, Logger: slog.New(lines), Intervals: every(interval),
				Observer: runs})

			start := time.Now()
			stop := runDaemon(t, e)
			waitFor(t, "three auth lines", func() bool { return lines.count() >= 3 })
			stop()
			elapsed := time.Since(start)

			events, at, _ := runs.snapshot()
			checkRefusedRuns(t, tc.want, events, at, interval)
			periods := int(elapsed/interval) + 1
			if got := lines.count(); got > periods {
				t.Errorf("got %d auth lines in %v, want at most %d (one per %v)",
					got, elapsed, periods, interval)
			}
			// A refused run asks once: the client does not retry a 401.
			want := int64(len(tc.want) * periods)
			if got := reqs.n.Load(); got > want {
				t.Errorf("got %d requests to Okta in %v, want at most %d", got, elapsed, want)
			}
		})
	}
}

// checkRefusedRuns checks that the streams started are want, and that no
// stream started again within interval of the first run's end, a refusal.
// First runs are left out: those of one pass may be heard after it.
func checkRefusedRuns(t *testing.T, want, events []string, at []time.Time,
	interval time.Duration) {
	t.Helper()
	var ran []string
	refused := -1
	for i, ev := range events {
		stream, started := strings.CutPrefix(ev, "start ")
		switch {
		case started && !slices.Contains(ran, stream):
			ran = append(ran, stream)
		case started:
			if wait := at[i].Sub(at[refused]); wait < interval {
				t.Errorf("got %q again %v after the first refusal, want at least %v",
					stream, wait, interval)
			}
		case refused < 0:
			refused = i
		}
	}
	slices.Sort(ran)
	want = slices.Sorted(slices.Values(want))
	if diff := cmp.Diff(want, ran); diff != "" {
		t.Errorf("streams run (-want +got):\n%s", diff)
	}
}
