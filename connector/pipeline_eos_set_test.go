package connector_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/internal/pipelinetest"
	"github.com/okta-connector/okta-connector/schemas"
)

// Timing of the set-while-running test: the activity poll interval, how
// often an event is added to tenant B's org, and how much later than one
// interval a B event may reach the consumer: one cycle's own work and
// its commit (a skipped cycle would add a whole interval).
const (
	setPoll     = time.Second
	setAddEvery = 200 * time.Millisecond
	setSlack    = 500 * time.Millisecond
)

// Tenants of the set-while-running test: A is rewound, B keeps streaming.
const (
	tenantA = "alpha"
	tenantB = "beta"
)

// setOrg is two small orgs whose logs a first sync reads in seconds; A's
// replay spans several pages and cycles of B. The tenant ids hash onto
// different shards of the Kafka store (11 and 7 of 16), as most tenants
// of a deployment do.
var setOrg = pipelinetest.SimConfig{Seed: 23, Users: 200, Groups: 8, Apps: 4,
	Events: 20000, Orgs: 2, LookBack: 48 * time.Hour, RateLimitsOff: true}

// TestPipelineCheckpointsSetWhileRunning is issue 5 Must-show 2, on each
// store: while `run` streams tenants A and B, `checkpoints set --tenant A
// --stream activity --since T` makes A republish exactly the events
// persisted from T on, while B's new events keep arriving at least once
// per poll interval; a --since older than Okta's retention is refused
// with the reason and changes neither the checkpoint nor the audit trail.
func TestPipelineCheckpointsSetWhileRunning(t *testing.T) {
	for _, store := range []string{"file", "kafka"} {
		t.Run(store, func(t *testing.T) { testSetWhileRunning(t, store) })
	}
}

func testSetWhileRunning(t *testing.T, store string) {
	w := newWorld(t, setOrg)
	orgA, orgB := w.replica(t, 0), w.replica(t, 1)
	env := w.twoTenantEnv(t, store)
	asOf := time.Now()
	run := pipelinetest.Start(t, env, "run")
	f := pipelinetest.Follow(t, w.brokers, w.registry, w.prefix, schemas.Activity)
	_, uuidsA := truthKeys(orgA, tenantA, asOf)
	_, uuidsB := truthKeys(orgB, tenantB, asOf)
	waitForEvents(t, f, run, map[string]map[string]bool{tenantA: uuidsA, tenantB: uuidsB})

	adder := startAdding(t, w.sim, orgB.Users()[0].ID)
	time.Sleep(2 * setPoll) // B's pace before any change, for comparison
	checkRefused(t, env)
	since := pickSince(orgA)
	setAt := time.Now()
	out := cli(t, env, 0, "checkpoints", "set", "--tenant", tenantA, "--stream",
		schemas.Activity, "--since", since.Format(time.RFC3339), "--reason", "test replay")
	t.Logf("checkpoints set:\n%s", out)
	want := replaySet(orgA, uuidsA, since)
	replayedAt := waitForReplay(t, f, run, setAt, want)
	time.Sleep(2 * setPoll) // B's pace after the replay
	added := adder.stop(t)
	waitForEvents(t, f, run, map[string]map[string]bool{tenantB: set(added...)})

	stopRun(t, run)
	checkReplay(t, f.Arrivals(t), setAt, want)
	checkPace(t, f.Arrivals(t), set(added...), setAt, replayedAt)
	checkAudit(t, env)
}

// twoTenantEnv writes a tenants file of A on org 0 and B on org 1 and
// returns the environment of `run` on store, polling the System Log
// every setPoll and the other streams rarely.
func (w world) twoTenantEnv(t *testing.T, store string) pipelinetest.Env {
	t.Helper()
	file := filepath.Join(t.TempDir(), "tenants.yaml")
	text := "- id: " + tenantA + "\n  domain: " + w.sim.URLs[0] + "\n  token_env: TOKEN_A\n" +
		"- id: " + tenantB + "\n  domain: " + w.sim.URLs[1] + "\n  token_env: TOKEN_B\n"
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatalf("writing the tenants file: %v", err)
	}
	env := w.env()
	if store == "kafka" {
		env = w.kafkaEnv(0)
	}
	for _, k := range []string{"OKTA_DOMAIN", "TENANT_ID", "OKTA_API_TOKEN"} {
		delete(env, k)
	}
	env["TENANTS_FILE"] = file
	env["TOKEN_A"], env["TOKEN_B"] = w.cfg.Token, w.cfg.Token
	env["LOG_LEVEL"] = "info"
	env["ACTIVITY_POLL_INTERVAL"] = setPoll.String()
	for _, k := range []string{"DIRECTORY_POLL_INTERVAL", "APPS_POLL_INTERVAL",
		"ORG_POLL_INTERVAL"} {
		env[k] = "10m"
	}
	return env
}

// waitForEvents waits until every uuid of want, per tenant, arrived.
func waitForEvents(t *testing.T, f *pipelinetest.Follower, run *pipelinetest.Proc,
	want map[string]map[string]bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		missing := 0
		got := tenantEvents(f.Arrivals(t))
		for tenant, uuids := range want {
			for u := range uuids {
				if got[tenant][u] == 0 {
					missing++
				}
			}
		}
		if missing == 0 {
			return
		}
		if run.Exited() || time.Now().After(deadline) {
			t.Fatalf("%d events still missing (run exited: %t)\nstderr (tail):\n%s", missing,
				run.Exited(), pipelinetest.Tail(run.Stderr(), 20))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tenantEvents counts arrivals per tenant and event uuid.
func tenantEvents(as []pipelinetest.Arrival) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, a := range as {
		e, ok := a.Value.(*schemas.ActivityEvent)
		if !ok {
			continue
		}
		if out[a.Key] == nil {
			out[a.Key] = map[string]int{}
		}
		out[a.Key][e.UUID]++
	}
	return out
}

// adder adds an event to org 1 every setAddEvery until stopped.
type adder struct {
	quit chan struct{}
	done chan struct{}
	mu   sync.Mutex
	uuid []string
	err  error
}

func startAdding(t *testing.T, sim *pipelinetest.Sim, actor string) *adder {
	t.Helper()
	a := &adder{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		tick := time.NewTicker(setAddEvery)
		defer tick.Stop()
		for {
			select {
			case <-a.quit:
				return
			case <-tick.C:
			}
			var ev struct{ UUID string }
			err := sim.Call(1, http.MethodPost, "/_sim/events",
				map[string]any{"eventType": "user.session.start", "actorId": actor}, &ev)
			a.mu.Lock()
			a.uuid, a.err = append(a.uuid, ev.UUID), err
			a.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { a.halt() })
	return a
}

func (a *adder) halt() {
	select {
	case <-a.quit:
	default:
		close(a.quit)
	}
	<-a.done
}

// stop stops adding and returns the uuids added.
func (a *adder) stop(t *testing.T) []string {
	t.Helper()
	a.halt()
	if a.err != nil {
		t.Fatalf("adding an event to B's org: %v", a.err)
	}
	return a.uuid
}

// cli runs `okta-connector args…` with env and returns its standard
// output, failing t unless it exits with code.
func cli(t *testing.T, env pipelinetest.Env, code int, args ...string) string {
	t.Helper()
	p := pipelinetest.Run(t, 30*time.Second, env, args...)
	if got := p.ExitCode(); got != code {
		t.Fatalf("okta-connector %v: got exit status %d, want %d\nstdout:\n%s\nstderr:\n%s",
			args, got, code, p.Stdout(), p.Stderr())
	}
	return p.Stdout()
}

// checkRefused: a --since older than Okta's 90-day retention is refused
// with the reason, and changes neither A's activity checkpoint nor the
// audit trail.
func checkRefused(t *testing.T, env pipelinetest.Env) {
	t.Helper()
	show := []string{"checkpoints", "show", "--tenant", tenantA, "--stream",
		schemas.Activity}
	audit := []string{"checkpoints", "audit", "--tenant", tenantA}
	before, auditBefore := cli(t, env, 0, show...), cli(t, env, 0, audit...)
	old := time.Now().Add(-91 * 24 * time.Hour).UTC().Format(time.RFC3339)
	p := pipelinetest.Run(t, 30*time.Second, env, "checkpoints", "set", "--tenant", tenantA,
		"--stream", schemas.Activity, "--since", old, "--reason", "too old")
	if p.ExitCode() == 0 {
		t.Errorf("checkpoints set --since %s: got exit status 0, want a refusal", old)
	}
	if reason := "outside Okta's 90-day System Log retention"; !strings.Contains(p.Stderr(),
		reason) {
		t.Errorf("checkpoints set --since %s: stderr %q lacks the reason %q", old,
			p.Stderr(), reason)
	}
	if after := cli(t, env, 0, show...); after != before {
		t.Errorf("A's activity checkpoint changed after a refused set:\nbefore:\n%s\nafter:\n%s",
			before, after)
	}
	if after := cli(t, env, 0, audit...); after != auditBefore {
		t.Errorf("the audit trail changed after a refused set:\nbefore:\n%s\nafter:\n%s",
			auditBefore, after)
	}
}

// pickSince returns a time inside org's log, half way along it and on a
// whole second, so the replay is half of the events.
func pickSince(org *oktasim.Org) time.Time {
	var ts []time.Time
	for e := range org.Events() {
		ts = append(ts, e.Persisted)
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	return ts[len(ts)/2].Truncate(time.Second).UTC()
}

// replaySet returns the uuids of published that were persisted at or
// after since: what a replay from since must publish again (Okta's
// polling `since` bounds persistence time, API.md §8.2).
func replaySet(org *oktasim.Org, published map[string]bool, since time.Time) map[string]bool {
	out := map[string]bool{}
	for e := range org.Events() {
		if published[e.UUID] && !e.Persisted.Before(since) {
			out[e.UUID] = true
		}
	}
	return out
}

// waitForReplay waits until every uuid of want arrived again after setAt
// and returns when the last one did.
func waitForReplay(t *testing.T, f *pipelinetest.Follower, run *pipelinetest.Proc,
	setAt time.Time, want map[string]bool) time.Time {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var last time.Time
		seen := map[string]bool{}
		for _, a := range f.Arrivals(t) {
			if e, ok := a.Value.(*schemas.ActivityEvent); ok && a.Key == tenantA &&
				a.At.After(setAt) && want[e.UUID] {
				seen[e.UUID], last = true, a.At
			}
		}
		if len(seen) == len(want) {
			t.Logf("A replayed %d events in %v", len(want), last.Sub(setAt).Round(time.Millisecond))
			return last
		}
		if run.Exited() || time.Now().After(deadline) {
			t.Fatalf("A replayed %d of %d events (run exited: %t)\nstderr (tail):\n%s",
				len(seen), len(want), run.Exited(), pipelinetest.Tail(run.Stderr(), 20))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stopRun sends SIGTERM and wants exit status 0 within 30s.
func stopRun(t *testing.T, run *pipelinetest.Proc) {
	t.Helper()
	if err := run.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("sending SIGTERM: %v", err)
	}
	if !run.WaitFor(30 * time.Second) {
		t.Fatalf("run still running 30s after SIGTERM")
	}
	if code := run.ExitCode(); code != 0 {
		t.Errorf("run after SIGTERM: got exit status %d, want 0\nstderr (tail):\n%s", code,
			pipelinetest.Tail(run.Stderr(), 20))
	}
}

// checkReplay: after the set, A published exactly the events of want
// once more, and nothing else.
func checkReplay(t *testing.T, as []pipelinetest.Arrival, setAt time.Time,
	want map[string]bool) {
	t.Helper()
	again := map[string]int{}
	for _, a := range as {
		if e, ok := a.Value.(*schemas.ActivityEvent); ok && a.Key == tenantA &&
			a.At.After(setAt) {
			again[e.UUID]++
		}
	}
	checkOnce(t, "A's replay: event", want, again)
}

// checkPace: B's new events reached the consumer with no gap longer than
// one poll interval (plus setSlack), before, during and after A's replay.
func checkPace(t *testing.T, as []pipelinetest.Arrival, added map[string]bool,
	setAt, replayedAt time.Time) {
	t.Helper()
	var at []time.Time
	seen := map[string]bool{}
	for _, a := range as {
		if e, ok := a.Value.(*schemas.ActivityEvent); ok && a.Key == tenantB &&
			added[e.UUID] && !seen[e.UUID] {
			seen[e.UUID] = true
			at = append(at, a.At)
		}
	}
	if len(at) < 2 || !at[0].Before(setAt) || !at[len(at)-1].After(replayedAt) {
		t.Fatalf("B's new events do not span A's replay: %d arrivals", len(at))
	}
	var worst, during time.Duration
	for i := 1; i < len(at); i++ {
		gap := at[i].Sub(at[i-1])
		worst = max(worst, gap)
		if at[i].After(setAt) && at[i-1].Before(replayedAt) {
			during = max(during, gap)
		}
	}
	t.Logf("B: %d new events; longest gap between arrivals %v overall, %v around the set",
		len(at), worst.Round(time.Millisecond), during.Round(time.Millisecond))
	if limit := setPoll + setSlack; worst > limit {
		t.Errorf("B's output paused %v, want at most one poll interval (%v, plus %v)",
			worst.Round(time.Millisecond), setPoll, setSlack)
	}
}

// checkAudit: the trail holds the set, requested and applied, and nothing
// of the refused one.
func checkAudit(t *testing.T, env pipelinetest.Env) {
	t.Helper()
	out := cli(t, env, 0, "checkpoints", "audit", "--tenant", tenantA)
	t.Logf("checkpoints audit:\n%s", out)
	for _, want := range []string{"requested", "applied", "why: test replay"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit trail lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "too old") {
		t.Errorf("audit trail holds the refused set:\n%s", out)
	}
}
