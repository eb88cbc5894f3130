package admin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/okta-connector/okta-connector/connector/metrics"
	"github.com/okta-connector/okta-connector/connector/okta"
)

const testToken = "00T-admin-test-token"

// TestStatusShowsRevokedToken drives the board with the error the real
// client returns for a revoked token (Must-show 3): /status must show the
// tenant as auth_failed with Okta's actionable words, next to a healthy
// tenant.
func TestStatusShowsRevokedToken(t *testing.T) {
	c, org := simClient(t, testToken, nil)
	if !org.RevokeToken(testToken) {
		t.Fatal("revoking the token: the org did not know it")
	}
	_, err := c.Users(okta.UserQuery{}).Next(context.Background())
	if err == nil {
		t.Fatal("listing users with a revoked token: got no error")
	}
	board := NewStatusBoard(nil)
	board.Start("revoked", "employees")
	board.Failure("revoked", "employees", err)
	board.Start("healthy", "employees")
	board.Success("healthy", "employees", time.Now())

	code, body := get(t, New(Config{Board: board}).Handler(), "/status")
	if code != http.StatusOK {
		t.Fatalf("GET /status: got %d, want 200", code)
	}
	var st Status
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("decoding /status: %v\n%s", err, body)
	}
	got := map[string]StreamStatus{}
	for _, tn := range st.Tenants {
		got[tn.Tenant+"/"+string(tn.State)] = tn.Streams[0]
	}
	bad, ok := got["revoked/auth_failed"]
	if !ok {
		t.Fatalf("/status has no auth_failed tenant \"revoked\":\n%s", body)
	}
	const words = "invalid token: the API token was revoked, expired (tokens unused " +
		"for 30 days expire) or copied incorrectly; create a new one and reconnect"
	if bad.State != StateAuthFailed || bad.LastError != words {
		t.Errorf("revoked tenant: got state %s, last_error %q; want %s, %q",
			bad.State, bad.LastError, StateAuthFailed, words)
	}
	if _, ok := got["healthy/ok"]; !ok {
		t.Errorf("/status has no ok tenant \"healthy\":\n%s", body)
	}
	if strings.Contains(body, testToken) {
		t.Error("/status carries the token")
	}
}

// TestMetricsScrape serves metrics fed by real client traffic and the
// engine's calls, scrapes /metrics and parses it with the Prometheus text
// parser, checking each family's type and label names (Must-show 3).
func TestMetricsScrape(t *testing.T) {
	m := metrics.New(metrics.Options{})
	c, _ := simClient(t, testToken, m.Tenant("acme").Transport(nil))
	if _, err := c.Groups(okta.GroupQuery{}).Next(context.Background()); err != nil {
		t.Fatalf("listing groups: %v", err)
	}
	m.Tenant("acme").RateLimitWait("groups", time.Second)
	m.Tenant("acme").RateLimitBudget("groups", 42)
	m.Published("acme", "groups", 3)
	m.SyncDone("acme", "groups", 2*time.Second, nil)
	m.Watermark("acme", "groups", time.Now())

	code, body := get(t, New(Config{Metrics: m.Handler()}).Handler(), "/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics: got %d, want 200", code)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	want := []struct {
		name, typ string
		labels    string
	}{
		{"okta_connector_okta_requests_total", "COUNTER", "endpoint,status,tenant"},
		{"okta_connector_okta_request_duration_seconds", "HISTOGRAM", "endpoint"},
		{"okta_connector_rate_limit_waits_total", "COUNTER", "bucket,tenant"},
		{"okta_connector_rate_limit_wait_seconds_total", "COUNTER", "bucket,tenant"},
		{"okta_connector_rate_limit_remaining", "GAUGE", "bucket,tenant"},
		{"okta_connector_records_published_total", "COUNTER", "stream,tenant"},
		{"okta_connector_syncs_total", "COUNTER", "result,stream,tenant"},
		{"okta_connector_sync_duration_seconds", "HISTOGRAM", "result,stream"},
		{"okta_connector_checkpoint_lag_seconds", "GAUGE", "stream,tenant"},
		{"okta_connector_last_success_timestamp_seconds", "GAUGE", "stream,tenant"},
		{"okta_connector_tenants_unlabelled", "GAUGE", ""},
		{"go_goroutines", "GAUGE", ""},
	}
	for _, w := range want {
		f, ok := fams[w.name]
		if !ok {
			t.Errorf("/metrics has no family %s", w.name)
			continue
		}
		if got := f.GetType().String(); got != w.typ {
			t.Errorf("%s: got type %s, want %s", w.name, got, w.typ)
		}
		for _, s := range f.GetMetric() {
			var names []string
			for _, l := range s.GetLabel() {
				names = append(names, l.GetName())
			}
			if got := strings.Join(names, ","); got != w.labels {
				t.Errorf("%s: got labels %q, want %q", w.name, got, w.labels)
			}
		}
	}
	reqs := fams["okta_connector_okta_requests_total"].GetMetric()
	if len(reqs) != 1 || reqs[0].GetCounter().GetValue() != 1 {
		t.Errorf("okta requests: got %v, want one series of 1 request", reqs)
	}
}

func TestReadyz(t *testing.T) {
	var loaded Flag
	var brokerUp atomic.Bool
	broker := ReadyFunc(func(context.Context) error {
		if brokerUp.Load() {
			return nil
		}
		return errors.New("dial tcp 127.0.0.1:9092: connection refused")
	})
	s := New(Config{Ready: map[string]Readiness{"broker": broker, "checkpoints": &loaded}})

	code, body := get(t, s.Handler(), "/readyz")
	want := "broker: not ready: dial tcp 127.0.0.1:9092: connection refused\n" +
		"checkpoints: not ready: not yet\n"
	if code != http.StatusServiceUnavailable || body != want {
		t.Errorf("/readyz before: got %d %q, want 503 %q", code, body, want)
	}

	brokerUp.Store(true)
	loaded.Raise()
	if code, body := get(t, s.Handler(), "/readyz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/readyz after: got %d %q, want 200 \"ok\\n\"", code, body)
	}
	if code, _ := get(t, s.Handler(), "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: got %d, want 200", code)
	}
	if code, _ := get(t, s.Handler(), "/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics without metrics: got %d, want 404", code)
	}
}

// TestServeStopsWithContext serves on a loopback port and checks that
// cancelling the context shuts the server down cleanly.
func TestServeStopsWithContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(Config{}).Serve(ctx, ln) }()

	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		cancel()
		t.Fatalf("GET /healthz: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: got %v, want nil after cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
}
