package connector_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/internal/pipelinetest"
	"github.com/okta-connector/okta-connector/schemas"
)

// pollInterval is every stream's interval in the two-tenant run, so each
// cycle runs every stream and the refused tenant earns one line a cycle.
const pollInterval = time.Second

// authLine is the message the engine logs once per cycle of a tenant whose
// credentials Okta refused.
const authLine = "okta refused the connector"

// wantCycles is how many refused cycles the run must show before SIGTERM.
const wantCycles = 4

// TestPipelineTenants is issue 3 Must-show 5: two tenants in one `run` from
// a TENANTS_FILE, the second's token revoked in the simulator. The healthy
// tenant publishes everything; the other logs the actionable 401 message
// once per cycle, without stack traces; no token appears in the output;
// SIGTERM ends the run with exit 0 and its checkpoints saved.
func TestPipelineTenants(t *testing.T) {
	cfg := smallOrg
	cfg.Orgs = 2
	w := newWorld(t, cfg)
	org := w.replica(t, 0)
	var rev struct{ Revoked bool }
	w.sim.Admin(t, 1, http.MethodPost, "/_sim/tokens/revoke",
		map[string]string{"token": w.cfg.Token}, &rev)
	if !rev.Revoked {
		t.Fatalf("revoking the second org's token: got revoked false, want true")
	}
	asOf := time.Now()
	p := pipelinetest.Start(t, w.tenantsEnv(t), "run")
	lines := waitForLines(t, p, wantCycles)
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("sending SIGTERM: %v", err)
	}
	if !p.WaitFor(30 * time.Second) {
		t.Fatalf("run still running 30s after SIGTERM")
	}
	if code := p.ExitCode(); code != 0 {
		t.Errorf("run after SIGTERM: got exit status %d, want 0\nstderr (tail):\n%s", code,
			pipelinetest.Tail(p.Stderr(), 20))
	}
	checkAuthLines(t, lines)
	checkOutput(t, p, w.cfg.Token)
	checkHealthyTenant(t, w, org, asOf)
	checkFinalCheckpoints(t, w.ckpt, "healthy")
}

// tenantsEnv writes the tenants file (tokens by environment reference)
// and returns the environment of `run` with every interval at
// pollInterval.
func (w world) tenantsEnv(t *testing.T) pipelinetest.Env {
	t.Helper()
	file := filepath.Join(t.TempDir(), "tenants.yaml")
	text := "- id: healthy\n  domain: " + w.sim.URLs[0] + "\n  token_env: TOKEN_HEALTHY\n" +
		"- id: refused\n  domain: " + w.sim.URLs[1] + "\n  token_env: TOKEN_REFUSED\n"
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatalf("writing the tenants file: %v", err)
	}
	env := w.env()
	for _, k := range []string{"OKTA_DOMAIN", "TENANT_ID", "OKTA_API_TOKEN"} {
		delete(env, k)
	}
	env["TENANTS_FILE"] = file
	env["TOKEN_HEALTHY"], env["TOKEN_REFUSED"] = w.cfg.Token, w.cfg.Token
	env["LOG_LEVEL"] = "info"
	for _, k := range []string{"DIRECTORY_POLL_INTERVAL", "ACTIVITY_POLL_INTERVAL",
		"APPS_POLL_INTERVAL", "ORG_POLL_INTERVAL"} {
		env[k] = pollInterval.String()
	}
	return env
}

// logLine is the part of a JSON log line the test reads.
type logLine struct {
	Time   time.Time `json:"time"`
	Level  string    `json:"level"`
	Msg    string    `json:"msg"`
	Tenant string    `json:"tenant"`
	Stream string    `json:"stream"`
	Status int       `json:"status"`
	Advice string    `json:"advice"`
}

// waitForLines waits until the run logged n refused cycles, at most 30s.
func waitForLines(t *testing.T, p *pipelinetest.Proc, n int) []logLine {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && !p.Exited() {
		if lines := authLines(p.Stderr()); len(lines) >= n {
			// One interval more, so a repeat within a cycle would show.
			time.Sleep(pollInterval / 2)
			return authLines(p.Stderr())
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("got %d refused-tenant lines in 30s, want %d\nstderr (tail):\n%s",
		len(authLines(p.Stderr())), n, pipelinetest.Tail(p.Stderr(), 20))
	return nil
}

func authLines(stderr string) []logLine {
	var out []logLine
	sc := bufio.NewScanner(strings.NewReader(stderr))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l logLine
		if json.Unmarshal(sc.Bytes(), &l) == nil && strings.Contains(l.Msg, authLine) {
			out = append(out, l)
		}
	}
	return out
}

// checkAuthLines: every line names the refused tenant, status 401 and
// advice to replace the token; consecutive lines are a cycle apart (at
// least one interval), so there is one per cycle, not one per stream or
// page.
func checkAuthLines(t *testing.T, lines []logLine) {
	t.Helper()
	if len(lines) < wantCycles {
		t.Fatalf("got %d refused-tenant lines, want at least %d", len(lines), wantCycles)
	}
	for i, l := range lines {
		if l.Tenant != "refused" || l.Status != 401 || !strings.Contains(l.Advice,
			"create a new one") {
			t.Errorf("line %d: got tenant %q, status %d, advice %q; want refused, 401 and "+
				"advice to create a new token", i, l.Tenant, l.Status, l.Advice)
		}
		if i > 0 {
			if gap := l.Time.Sub(lines[i-1].Time); gap < pollInterval {
				t.Errorf("lines %d and %d: %v apart, want at least one cycle (%v)", i-1, i,
					gap, pollInterval)
			}
		}
	}
	span := lines[len(lines)-1].Time.Sub(lines[0].Time)
	t.Logf("%d refused-tenant lines over %v", len(lines), span.Round(time.Millisecond))
}

// checkOutput: no stack trace or panic, and the token nowhere.
func checkOutput(t *testing.T, p *pipelinetest.Proc, token string) {
	t.Helper()
	out := p.Stdout() + p.Stderr()
	if strings.Contains(out, token) {
		t.Errorf("the output holds the API token")
	}
	for _, bad := range []string{"goroutine ", "panic:", "\n\t", ".go:"} {
		if strings.Contains(out, bad) {
			t.Errorf("the output holds %q, a stack trace's mark", bad)
		}
	}
}

// checkHealthyTenant: exactly the healthy org's keys and events on Kafka,
// and nothing of the refused tenant.
func checkHealthyTenant(t *testing.T, w world, org *oktasim.Org, asOf time.Time) {
	t.Helper()
	keys, uuids := truthKeys(org, "healthy", asOf)
	got := w.read(t)
	for _, s := range schemas.Published() {
		for _, r := range got[s] {
			if strings.HasPrefix(r.Key, "refused") {
				t.Errorf("%s: got record %q of the refused tenant", s, r.Key)
				break
			}
		}
	}
	for _, s := range schemas.Streams() {
		upserts, _ := got.Keys(s)
		if diff := cmp.Diff(keys[s], upserts); diff != "" {
			t.Errorf("%s keys of the healthy tenant (-want +got):\n%s", s, diff)
		}
	}
	if diff := cmp.Diff(uuids, keysOf(got.EventUUIDs())); diff != "" {
		t.Errorf("event uuids of the healthy tenant (-want +got):\n%s", diff)
	}
}

// checkFinalCheckpoints: after SIGTERM every stream of tenant has a
// checkpoint with no unfinished snapshot, activity its cursor, and the
// directory's lock is free again.
func checkFinalCheckpoints(t *testing.T, dir, tenant string) {
	t.Helper()
	store, err := checkpoint.NewFileStore(dir)
	if err != nil {
		t.Fatalf("opening the checkpoints after run ended: %v", err)
	}
	defer store.Close()
	ctx := context.Background()
	for _, s := range []string{schemas.Employees, schemas.Groups, schemas.Apps,
		schemas.Organizations, schemas.Activity} {
		cp, err := store.Load(ctx, checkpoint.Key{Tenant: tenant, Stream: s})
		if err != nil {
			t.Errorf("checkpoint of %s/%s: %v", tenant, s, err)
			continue
		}
		if cp.Snapshot != nil {
			t.Errorf("checkpoint of %s/%s: got an unfinished snapshot %+v, want none", tenant,
				s, *cp.Snapshot)
		}
		if s == schemas.Activity && cp.Cursor == "" {
			t.Errorf("checkpoint of %s/%s: no System Log cursor", tenant, s)
		}
	}
}
