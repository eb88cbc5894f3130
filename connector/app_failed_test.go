package connector

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/admin"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/metrics"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// slogJSON logs JSON lines at Info and above to w.
func slogJSON(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }

// TestRunKeepsGoodTenantWhileOneHasNoToken runs the daemon as run does on
// a tenants file of two tenants, one whose token file is missing: the
// good tenant syncs; the bad one is logged once with its file and fix,
// shows as config_error on /status and in the metrics; once its token
// file appears, Watch's retry starts it, without a change of the tenants
// file or a SIGHUP.
func TestRunKeepsGoodTenantWhileOneHasNoToken(t *testing.T) {
	_, srv := oktasim.StartTest(t, oktasim.OrgConfig{Seed: 9, Users: 20, Groups: 2,
		Apps: 2, Events: 20, Token: appToken})
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "secrets", "bad-token")
	tenantsFile := filepath.Join(dir, "tenants.yaml")
	body := "- id: good\n  domain: " + srv.URL() + "\n  token_env: GOOD_TOKEN\n" +
		"- id: bad\n  domain: " + srv.URL() + "\n  token_file: " + tokenFile + "\n"
	must(t, os.WriteFile(tenantsFile, []byte(body), 0o600))
	prefix := kafkatest.UniqueTopicPrefix(t)
	cfg, err := config.LoadEnv([]string{
		"TENANTS_FILE=" + tenantsFile, "GOOD_TOKEN=" + appToken,
		"KAFKA_BROKERS=" + kafkatest.Fake(t).ListenAddrs()[0],
		"TOPIC_PREFIX=" + prefix, "TOPIC_PARTITIONS=1", "RATE_LIMIT_SHARE=1",
		"CHECKPOINT_DIR=" + t.TempDir(),
	})
	if err != nil {
		t.Fatalf("loading config: %v", err)
	}
	tenants, err := cfg.AllTenants()
	if err != nil {
		t.Fatalf("AllTenants: %v", err)
	}
	var logs kafkatest.LockedBuffer
	a := openWith(t, AppConfig{Config: cfg, Tenants: tenants,
		Logger: slogJSON(&logs), Metrics: metrics.New(metrics.Options{NoRuntime: true})})
	if got := len(a.Engine.Tenants()); got != 1 || a.Engine.Tenants()[0].ID != "good" {
		t.Fatalf("engine tenants: got %d (%v), want only good", got, a.Engine.Tenants())
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	rl := NewReloader(a.Engine, a.AppConfig())
	wg.Go(func() { a.Engine.Run(ctx) })
	wg.Go(func() { rl.Watch(ctx, nil, 20*time.Millisecond) })
	waitFor(t, "good's first pass", func() bool { return synced(a, "good") })

	st := adminStatus(t, a)
	if got := tenantState(st, "good"); got != admin.StateOK && got != admin.StateSyncing {
		t.Errorf("/status good: got %s, want ok or syncing", got)
	}
	bad := tenantStatus(st, "bad")
	if bad.State != admin.StateConfigError || !strings.Contains(bad.ConfigError, tokenFile) ||
		!strings.Contains(bad.ConfigError, "correct token_file") {
		t.Errorf("/status bad: got %+v, want config_error naming %s and the fix", bad, tokenFile)
	}
	if got := gauge(t, a, "okta_connector_tenant_config_error", "bad"); got != 1 {
		t.Errorf("config error gauge of bad: got %v, want 1", got)
	}
	time.Sleep(100 * time.Millisecond) // five retries of Watch
	lines := strings.Count(logs.String(), "tenant not started")
	if lines != 1 || !strings.Contains(logs.String(), `"tenant":"bad"`) {
		t.Errorf("got %d lines saying bad did not start, want 1 naming it:\n%s",
			lines, logs.String())
	}

	must(t, os.MkdirAll(filepath.Dir(tokenFile), 0o700))
	must(t, os.WriteFile(tokenFile, []byte(appToken+"\n"), 0o600))
	waitFor(t, "bad's first pass once its token file appeared",
		func() bool { return synced(a, "bad") })
	if got := tenantStatus(adminStatus(t, a), "bad"); got.ConfigError != "" {
		t.Errorf("/status bad after the fix: got %+v, want no config error", got)
	}
	if got := gauge(t, a, "okta_connector_tenant_config_error", "bad"); got != 0 {
		t.Errorf("config error gauge of bad after the fix: got %v, want no series", got)
	}
	if strings.Contains(logs.String(), appToken) {
		t.Error("the logs show a token")
	}
}

// openWith opens an App on ac, closed at cleanup.
func openWith(t *testing.T, ac AppConfig) *App {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, err := Open(ctx, ac)
	if err != nil {
		t.Fatalf("opening app: %v", err)
	}
	t.Cleanup(func() { _ = a.Close(context.Background()) })
	return a
}

// synced reports whether tenant's organisation stream has completed a
// pass: its checkpoint has a last success.
func synced(a *App, tenant string) bool {
	cp, err := a.Store.Load(context.Background(),
		checkpoint.Key{Tenant: tenant, Stream: StreamOrganizations})
	return err == nil && !cp.LastSuccess.IsZero()
}

// adminStatus fetches and decodes the app's /status.
func adminStatus(t *testing.T, a *App) admin.Status {
	t.Helper()
	srv := httptest.NewServer(a.adminServer().Handler())
	defer srv.Close()
	_, body := fetch(t, srv.URL+"/status")
	var st admin.Status
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("decoding /status %q: %v", body, err)
	}
	if strings.Contains(body, appToken) {
		t.Errorf("/status shows a token: %s", body)
	}
	return st
}

// tenantStatus is tenant's entry of st; the zero value when absent.
func tenantStatus(st admin.Status, tenant string) admin.TenantStatus {
	for _, ts := range st.Tenants {
		if ts.Tenant == tenant {
			return ts
		}
	}
	return admin.TenantStatus{}
}

// tenantState is tenant's state in st.
func tenantState(st admin.Status, tenant string) admin.State {
	return tenantStatus(st, tenant).State
}

// gauge sums the gauge name's samples of tenant (0 with none).
func gauge(t *testing.T, a *App, name, tenant string) float64 {
	t.Helper()
	fams, err := a.Metrics().Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "tenant" && l.GetValue() == tenant {
					sum += m.GetGauge().GetValue()
				}
			}
		}
	}
	return sum
}
