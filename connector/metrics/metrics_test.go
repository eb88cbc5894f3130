package metrics

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEndpoint(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/api/v1/users", "/api/v1/users"},
		{"/api/v1/users/", "/api/v1/users"},
		{"/api/v1/users/00u1abc", "/api/v1/users/{id}"},
		{"/api/v1/groups/00g1/users", "/api/v1/groups/{id}/users"},
		{"/api/v1/apps/0oa1/groups", "/api/v1/apps/{id}/groups"},
		{"/api/v1/logs", "/api/v1/logs"},
		{"/.well-known/okta-organization", "/.well-known/okta-organization"},
		{"/oauth2/v1/token", "/oauth2/v1/token"},
		{"/api/v1/groups//users", OtherEndpoint},
		{"/api/v1/users/00u1/factors", OtherEndpoint},
		{"/anything", OtherEndpoint},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := Endpoint(tt.path); got != tt.want {
				t.Errorf("Endpoint(%q): got %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestTenantCapAggregatesCounters(t *testing.T) {
	m := newTest(2)
	m.Published("a", "employees", 3)
	m.Published("b", "employees", 4)
	m.Published("c", "employees", 5)
	m.Published("d", "employees", 6)
	m.Published("a", "employees", 1)
	m.Published("a", "activity", 0) // nothing published: no series

	got := samples(t, m)
	want := map[string]float64{
		"okta_connector_records_published_total{stream=employees,tenant=a}":      4,
		"okta_connector_records_published_total{stream=employees,tenant=b}":      4,
		"okta_connector_records_published_total{stream=employees,tenant=_other}": 11,
		"okta_connector_tenants_unlabelled{}":                                    2,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
}

func TestOtherTenantGaugesShowTheWorst(t *testing.T) {
	m := newTest(1)
	m.RateLimitBudget("a", "logs", 40)
	m.RateLimitBudget("b", "logs", 30)
	m.RateLimitBudget("c", "logs", 10)
	m.CheckpointLag("a", "activity", time.Minute)
	m.CheckpointLag("b", "activity", 2*time.Minute)
	m.Watermark("c", "activity", fixedNow.Add(-time.Hour))
	m.SyncDone("b", "activity", time.Second, nil)
	m.SyncDone("c", "activity", time.Second, errors.New("boom"))

	got := samples(t, m)
	want := map[string]float64{
		"okta_connector_rate_limit_remaining{bucket=logs,tenant=a}":            40,
		"okta_connector_rate_limit_remaining{bucket=logs,tenant=_other}":       10,
		"okta_connector_checkpoint_lag_seconds{stream=activity,tenant=a}":      60,
		"okta_connector_checkpoint_lag_seconds{stream=activity,tenant=_other}": 3600,
		"okta_connector_last_success_timestamp_seconds{stream=activity,tenant=_other}": float64(
			fixedNow.Unix()),
		"okta_connector_syncs_total{result=ok,stream=activity,tenant=_other}":      1,
		"okta_connector_syncs_total{result=error,stream=activity,tenant=_other}":   1,
		"okta_connector_sync_duration_seconds_count{result=ok,stream=activity}":    1,
		"okta_connector_sync_duration_seconds_count{result=error,stream=activity}": 1,
		"okta_connector_tenants_unlabelled{}":                                      2,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
}

func TestForgetFreesTheLabel(t *testing.T) {
	m := newTest(1)
	m.Published("a", "apps", 1)
	m.RateLimitBudget("a", "apps", 5)
	m.Forget("a")
	m.Published("b", "apps", 2)

	got := samples(t, m)
	want := map[string]float64{
		"okta_connector_records_published_total{stream=apps,tenant=b}": 2,
		"okta_connector_tenants_unlabelled{}":                          0,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
}

func TestTransportCountsByEndpointAndStatus(t *testing.T) {
	const secret = "SSWS do-not-leak-00T"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/users") {
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	t.Cleanup(srv.Close)
	m := newTest(10)
	client := &http.Client{Transport: m.Tenant("acme").Transport(nil)}
	for _, path := range []string{"/api/v1/groups/00g1/users", "/api/v1/groups", "/api/v1/groups"} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if err != nil {
			t.Fatalf("building request: %v", err)
		}
		req.Header.Set("Authorization", secret)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("requesting %s: %v", path, err)
		}
		_ = resp.Body.Close()
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	if _, err := client.Get(closed.URL + "/api/v1/logs"); err == nil {
		t.Fatal("request to a closed server: got no error")
	}

	got := samples(t, m)
	want := map[string]float64{
		"okta_connector_okta_requests_total{endpoint=/api/v1/groups/{id}/users,status=429," +
			"tenant=acme}": 1,
		"okta_connector_okta_requests_total{endpoint=/api/v1/groups,status=200,tenant=acme}":     2,
		"okta_connector_okta_requests_total{endpoint=/api/v1/logs,status=error,tenant=acme}":     1,
		"okta_connector_okta_request_duration_seconds_count{endpoint=/api/v1/groups/{id}/users}": 1,
		"okta_connector_okta_request_duration_seconds_count{endpoint=/api/v1/groups}":            2,
		"okta_connector_okta_request_duration_seconds_count{endpoint=/api/v1/logs}":              1,
		"okta_connector_tenants_unlabelled{}":                                                    0,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	for k := range got {
		if strings.Contains(k, "do-not-leak") {
			t.Errorf("series %s carries the credential", k)
		}
	}
}

func TestRateLimitWaits(t *testing.T) {
	m := newTest(10)
	tn := m.Tenant("acme")
	tn.RateLimitWait("apps", 1500*time.Millisecond)
	tn.RateLimitWait("apps", 500*time.Millisecond)
	tn.RateLimitBudget("apps", 7)

	got := samples(t, m)
	want := map[string]float64{
		"okta_connector_rate_limit_waits_total{bucket=apps,tenant=acme}":        2,
		"okta_connector_rate_limit_wait_seconds_total{bucket=apps,tenant=acme}": 2,
		"okta_connector_rate_limit_remaining{bucket=apps,tenant=acme}":          7,
		"okta_connector_tenants_unlabelled{}":                                   0,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
}

// TestConfigError: a tenant that cannot run shows 1 until fixed, _other
// shows 1 while any of its tenants cannot, and Forget drops the series.
func TestConfigError(t *testing.T) {
	m := newTest(1)
	m.ConfigError("a", true)
	m.ConfigError("b", true)
	m.ConfigError("c", true)
	m.ConfigError("c", false)
	want := map[string]float64{
		"okta_connector_tenant_config_error{reason=credentials,tenant=a}":      1,
		"okta_connector_tenant_config_error{reason=credentials,tenant=_other}": 1,
		"okta_connector_tenants_unlabelled{}":                                  2,
	}
	if diff := cmp.Diff(want, samples(t, m)); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	m.ConfigError("a", false)
	m.ConfigError("b", false)
	m.Forget("b")
	m.Forget("c")
	want = map[string]float64{"okta_connector_tenants_unlabelled{}": 0}
	if diff := cmp.Diff(want, samples(t, m)); diff != "" {
		t.Errorf("after fixing (-want +got):\n%s", diff)
	}
}
