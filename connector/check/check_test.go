package check

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

const (
	testToken    = "00T-check-test-token"
	testClientID = "0oaCHECKAPP000000001"
)

// ok lines of every probe, for a healthy org of the simulator.
var healthy = []string{
	"ok    read the org's settings (okta.orgs.read)",
	"ok    read the org's well-known document",
	"ok    read the org's custom domains (okta.domains.read)",
	"ok    read users (okta.users.read)",
	"ok    read groups (okta.groups.read)",
	"ok    read a group's members (okta.groups.read)",
	"ok    read apps (okta.apps.read)",
	"ok    read an app's users (okta.apps.read)",
	"ok    read an app's groups (okta.apps.read)",
	"ok    read the System Log (okta.logs.read)",
}

// denyLogs is the exact fix Must-show 4 asks for: a token whose owner
// may not read the System Log.
const denyLogs = "FIX   read the System Log (okta.logs.read): the token's owner lacks " +
	"read access to the System Log: give the admin who created the API token, or " +
	"the service app, an admin role that can read it, such as Read-Only " +
	"Administrator; a service app also needs the scope okta.logs.read " +
	"(Okta answered 403 E0000006)"

// revoked is the fix for a revoked, expired or mistyped API token.
const revoked = "FIX   read the org's settings (okta.orgs.read): invalid token: the " +
	"API token was revoked, expired (tokens unused for 30 days expire) or copied " +
	"incorrectly; create a new one and reconnect (Okta answered 401 E0000011)"

const skipped = " (okta.%s.read): not tried: fix the problem above first"

func TestRun(t *testing.T) {
	tests := []struct {
		name    string
		org     oktasim.OrgConfig
		revoke  bool
		verdict Status
		want    []string
	}{
		{name: "healthy org", verdict: OK,
			want: append(healthy, "all permissions ok")},
		{name: "system log denied", verdict: Fix, org: oktasim.OrgConfig{Deny: []string{"logs"}},
			want: append(healthy[:9:9], denyLogs, "1 of 10 permissions need a fix")},
		{name: "revoked token", revoke: true, verdict: Fix, want: []string{revoked,
			"SKIP  read the org's well-known document: not tried: fix the problem above first",
			"SKIP  read the org's custom domains" + sprintf(skipped, "domains"),
			"SKIP  read users" + sprintf(skipped, "users"),
			"SKIP  read groups" + sprintf(skipped, "groups"),
			"SKIP  read a group's members" + sprintf(skipped, "groups"),
			"SKIP  read apps" + sprintf(skipped, "apps"),
			"SKIP  read an app's users" + sprintf(skipped, "apps"),
			"SKIP  read an app's groups" + sprintf(skipped, "apps"),
			"SKIP  read the System Log" + sprintf(skipped, "logs"),
			"1 of 10 permissions need a fix"}},
		{name: "users and apps denied", verdict: Fix,
			org: oktasim.OrgConfig{Deny: []string{"users", "apps"}},
			want: []string{healthy[0], healthy[1], healthy[2],
				"FIX   read users (okta.users.read): the token's owner lacks read access " +
					"to users: give the admin who created the API token, or the service " +
					"app, an admin role that can read it, such as Read-Only Administrator; " +
					"a service app also needs the scope okta.users.read " +
					"(Okta answered 403 E0000006)",
				healthy[4], healthy[5],
				"FIX   read apps (okta.apps.read): the token's owner lacks read access " +
					"to apps: give the admin who created the API token, or the service " +
					"app, an admin role that can read it, such as Read-Only Administrator; " +
					"a service app also needs the scope okta.apps.read " +
					"(Okta answered 403 E0000006)",
				"SKIP  read an app's users (okta.apps.read): not tried: needs read apps first",
				"SKIP  read an app's groups (okta.apps.read): not tried: needs read apps first",
				healthy[9], "2 of 10 permissions need a fix"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.org.Seed, tt.org.Users, tt.org.Token = 7, 20, testToken
			org, srv := oktasim.StartTest(t, tt.org)
			if tt.revoke && !org.RevokeToken(testToken) {
				t.Fatal("revoking the token: the org did not know it")
			}
			c, tenant := newClient(t, srv.URL(), okta.Credentials{Token: okta.NewToken(testToken)})
			var out bytes.Buffer
			verdict, err := Run(context.Background(), &out, c, tenant)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if verdict != tt.verdict {
				t.Errorf("Run: got verdict %q, want %q", verdict, tt.verdict)
			}
			want := append([]string{"checking tenant acme at " + srv.URL()}, tt.want...)
			if diff := cmp.Diff(want, lines(out.String())); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if strings.Contains(out.String(), testToken) {
				t.Error("output carries the token")
			}
		})
	}
}

// TestMissingScope runs the check as a service app granted every scope
// but okta.logs.read: Okta's 403 has an empty body and names the scope
// only in WWW-Authenticate (API.md §1.4), and the fix must name it.
func TestMissingScope(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generating key: %v", err)
	}
	scopes := []string{"okta.users.read", "okta.groups.read", "okta.apps.read",
		"okta.orgs.read", "okta.domains.read"}
	_, srv := oktasim.StartTest(t, oktasim.OrgConfig{Seed: 3, Users: 10, Token: testToken,
		OAuth: oktasim.OAuthConfig{ClientID: testClientID, PublicKey: &key.PublicKey,
			Scopes: scopes}})
	c, tenant := newClient(t, srv.URL(), okta.Credentials{ClientID: testClientID,
		PrivateKey: key, Scopes: scopes})

	results, err := Probe(context.Background(), c, tenant, time.Now())
	if err != nil {
		t.Fatalf("Probe: %v", err)
	}
	got := results[len(results)-1].String()
	want := "FIX   read the System Log (okta.logs.read): the service app lacks the " +
		"scope okta.logs.read: grant it on the app's Okta API Scopes tab and reconnect " +
		"(Okta answered 403 insufficient_scope)"
	if got != want {
		t.Errorf("last result:\ngot  %s\nwant %s", got, want)
	}
	if Passed(results) {
		t.Error("Passed: got true, want false")
	}
}

// TestEmptySystemLog warns, without failing, when the look-back holds no
// event: the org's generated history ends 30 days before now.
func TestEmptySystemLog(t *testing.T) {
	now := time.Now()
	clock := oktasim.NewManualClock(now.Add(-30 * 24 * time.Hour))
	org, err := oktasim.NewOrg(oktasim.OrgConfig{Seed: 5, Users: 5, Events: 10,
		Token: testToken, Clock: clock})
	if err != nil {
		t.Fatalf("generating org: %v", err)
	}
	clock.Set(now)
	srv, err := oktasim.Start(oktasim.ServerConfig{}, org)
	if err != nil {
		t.Fatalf("starting simulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c, tenant := newClient(t, srv.URL(), okta.Credentials{Token: okta.NewToken(testToken)})
	tenant.Streams = []string{"activity"}

	results, err := Probe(context.Background(), c, tenant, now)
	if err != nil {
		t.Fatalf("Probe: %v", err)
	}
	if len(results) != 2 {
		t.Fatalf("got %d results, want 2 (org, System Log): %v", len(results), results)
	}
	got := results[1]
	if got.Status != Warn || !strings.Contains(got.Detail, "Okta keeps events for 90 days") {
		t.Errorf("System Log result: got %v, want a warning naming the retention", got)
	}
	if !Passed(results) {
		t.Error("Passed: got false, want true: an empty System Log is only a warning")
	}
}

// TestWrongDomain points the check at a server that answers 404, as a
// host that is not the tenant's org would.
func TestWrongDomain(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"errorCode":"E0000007","errorSummary":"Not found"}`))
	}))
	t.Cleanup(srv.Close)
	c, tenant := newClient(t, srv.URL, okta.Credentials{Token: okta.NewToken(testToken)})
	tenant.Streams = []string{"employees"}

	results, err := Probe(context.Background(), c, tenant, time.Now())
	if err != nil {
		t.Fatalf("Probe: %v", err)
	}
	want := []Result{
		{Permission: "read the org's settings", Scope: scopeOrgs, Status: Fix,
			Detail: "the org was not found: check the Okta domain (Okta answered 404 E0000007)"},
		{Permission: "read users", Scope: scopeUsers, Status: Skipped,
			Detail: "not tried: fix the problem above first"},
	}
	if diff := cmp.Diff(want, results); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

// newClient returns a client of the org at rawURL and its tenant with
// every stream enabled.
func newClient(t *testing.T, rawURL string, cred okta.Credentials) (
	*okta.Client, config.Tenant) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("parsing %q: %v", rawURL, err)
	}
	c, err := okta.New(okta.Config{BaseURL: u, Credentials: cred, MaxAttempts: 1})
	if err != nil {
		t.Fatalf("creating client: %v", err)
	}
	return c, config.Tenant{ID: "acme", BaseURL: u, Credentials: cred,
		Streams: config.AllStreams()}
}

// lines splits output into its lines.
func lines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }

// sprintf fills the one %s of format.
func sprintf(format, arg string) string { return strings.Replace(format, "%s", arg, 1) }
