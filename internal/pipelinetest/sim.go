package pipelinetest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// simStartTimeout bounds generating the org and binding its ports; a
// million-event org is generated lazily, so even the largest is quick.
const simStartTimeout = 2 * time.Minute

// SimConfig sizes the orgs an okta-sim process serves. Zero counts take
// okta-sim's defaults.
type SimConfig struct {
	Seed                        uint64
	Users, Groups, Apps, Events int
	Orgs                        int           // default 1
	LookBack                    time.Duration // span of generated events; default 7 days
	RateLimitsOff               bool
	Token                       string // the SSWS token every org accepts
}

// OrgConfig is the configuration of org i (from 0) as okta-sim builds it,
// so a test can generate the same org in its own process as the truth.
func (c SimConfig) OrgConfig(i int) oktasim.OrgConfig {
	seed := c.Seed + uint64(i)
	return oktasim.OrgConfig{Seed: seed, Users: c.Users, Groups: c.Groups, Apps: c.Apps,
		Events: c.Events, LookBack: c.LookBack, Token: c.Token,
		Subdomain: fmt.Sprintf("sim%d", seed), Limits: oktasim.RateLimits{Off: c.RateLimitsOff}}
}

func (c SimConfig) args() []string {
	args := []string{"--addr", "127.0.0.1:0", "--seed", strconv.FormatUint(c.Seed, 10)}
	for _, f := range []struct {
		name string
		n    int
	}{{"users", c.Users}, {"groups", c.Groups}, {"apps", c.Apps}, {"events", c.Events},
		{"orgs", c.Orgs}} {
		if f.n > 0 {
			args = append(args, "--"+f.name, strconv.Itoa(f.n))
		}
	}
	if c.LookBack > 0 {
		args = append(args, "--lookback", c.LookBack.String())
	}
	if c.RateLimitsOff {
		args = append(args, "--rate-limits", "off")
	}
	return args
}

// Sim is a running okta-sim process.
type Sim struct {
	// URLs are the orgs' base URLs, the first org first.
	URLs  []string
	token string
	http  *http.Client
}

// StartSim runs okta-sim with cfg in a process of its own, waits for its
// ready lines and stops it with SIGTERM at cleanup. The token travels in
// the environment, never on the command line where ps would show it.
func StartSim(t testing.TB, cfg SimConfig) *Sim {
	t.Helper()
	cmd := exec.Command(Binary(t, SimPkg), cfg.args()...)
	cmd.Env = append(baseEnv(), "OKTA_SIM_TOKEN="+cfg.Token)
	cmd.SysProcAttr = orphanSignal(syscall.SIGTERM)
	var stderr kafkatest.LockedBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("piping from okta-sim: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting okta-sim: %v", err)
	}
	t.Cleanup(func() { stopSim(t, cmd, &stderr) })
	orgs := max(cfg.Orgs, 1)
	urls, err := readSimURLs(stdout, orgs)
	if err != nil {
		t.Fatalf("reading okta-sim's ready lines: %v (stderr: %q)", err, stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return &Sim{URLs: urls, token: cfg.Token, http: &http.Client{Timeout: 30 * time.Second}}
}

// readSimURLs reads "okta-sim ready url=…" and one "okta-sim org=N url=…"
// line per further org.
func readSimURLs(stdout io.Reader, orgs int) ([]string, error) {
	type result struct {
		urls []string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		var r result
		sc := bufio.NewScanner(stdout)
		for len(r.urls) < orgs && sc.Scan() {
			for _, f := range strings.Fields(sc.Text()) {
				if u, ok := strings.CutPrefix(f, "url="); ok {
					r.urls = append(r.urls, u)
				}
			}
		}
		if len(r.urls) < orgs {
			r.err = fmt.Errorf("got %d org urls before the output ended, want %d",
				len(r.urls), orgs)
		}
		ch <- r
	}()
	select {
	case r := <-ch:
		return r.urls, r.err
	case <-time.After(simStartTimeout):
		return nil, fmt.Errorf("no ready line within %v", simStartTimeout)
	}
}

func stopSim(t testing.TB, cmd *exec.Cmd, stderr *kafkatest.LockedBuffer) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("okta-sim exited with %v (stderr: %q)", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Errorf("okta-sim ignored SIGTERM for 10s; killed it")
	}
}

// Admin calls the simulator's admin API (/_sim/…) of org i with method,
// path and an optional JSON body, fails the test unless the answer is 2xx,
// and decodes the answer into out when out is not nil.
func (s *Sim) Admin(t testing.TB, org int, method, path string, body, out any) {
	t.Helper()
	if err := s.Call(org, method, path, body, out); err != nil {
		t.Fatal(err)
	}
}

// Call is Admin for goroutines other than the test's own, which must not
// fail the test: it returns the error instead.
func (s *Sim) Call(org int, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encoding the body of %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URLs[org]+path, rd)
	if err != nil {
		return fmt.Errorf("building %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "SSWS "+s.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		return fmt.Errorf("calling %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	text, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("reading the answer to %s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: got status %d (%s), want 2xx", method, path,
			resp.StatusCode, text)
	}
	if out != nil {
		if err := json.Unmarshal(text, out); err != nil {
			return fmt.Errorf("decoding the answer to %s %s: %w", method, path, err)
		}
	}
	return nil
}

// Requests returns org i's request log.
func (s *Sim) Requests(t testing.TB, org int) []oktasim.Request {
	t.Helper()
	var out []oktasim.Request
	s.Admin(t, org, http.MethodGet, "/_sim/requests", nil, &out)
	return out
}

// ResetRequests empties org i's request log.
func (s *Sim) ResetRequests(t testing.TB, org int) {
	t.Helper()
	s.Admin(t, org, http.MethodDelete, "/_sim/requests", nil, nil)
}

// Summary is what /_sim/summary counts.
type Summary struct {
	Users, Groups, Apps, Events int
}

// Summary returns org i's counts of users, groups, apps and events.
func (s *Sim) Summary(t testing.TB, org int) Summary {
	t.Helper()
	var out Summary
	s.Admin(t, org, http.MethodGet, "/_sim/summary", nil, &out)
	return out
}
