package oktasim

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServerTLSAndSeveralOrgs(t *testing.T) {
	a := newTestOrg(t, OrgConfig{Seed: 1, Users: 5, Subdomain: "alpha"})
	b := newTestOrg(t, OrgConfig{Seed: 2, Users: 5, Subdomain: "beta",
		PublicURL: "https://beta.example.test"})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	srv, err := Start(ServerConfig{TLS: true, CAFile: caFile}, a, b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	pem, err := os.ReadFile(caFile)
	if err != nil || !strings.Contains(string(pem), "CERTIFICATE") {
		t.Fatalf("CA file: got %v, want the certificate PEM", err)
	}
	urls := srv.URLs()
	if len(urls) != 2 || urls[0] == urls[1] || !strings.HasPrefix(urls[0], "https://127.0.0.1:") {
		t.Fatalf("got urls %v, want two https loopback listeners", urls)
	}
	c := srv.Client()
	for i, want := range []struct{ sub, link string }{
		{"alpha", urls[0]}, {"beta", "https://beta.example.test"},
	} {
		req, _ := http.NewRequest("GET", urls[i]+"/api/v1/users?limit=1", nil)
		req.Header.Set("Authorization", "SSWS "+testToken)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("org %d: %v", i, err)
		}
		resp.Body.Close()
		if next := links(resp.Header)["next"]; !strings.HasPrefix(next, want.link+"/api/v1/users") {
			t.Errorf("org %s: got next %q, want it under %s", want.sub, next, want.link)
		}
		req, _ = http.NewRequest("GET", urls[i]+"/api/v1/org", nil)
		req.Header.Set("Authorization", "SSWS "+testToken)
		resp, err = c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var org map[string]any
		_ = json.Unmarshal(body, &org)
		if org["subdomain"] != want.sub {
			t.Errorf("got subdomain %v, want %s", org["subdomain"], want.sub)
		}
	}
}

func TestServerHostRouting(t *testing.T) {
	a := newTestOrg(t, OrgConfig{Seed: 1, Users: 5, Subdomain: "alpha"})
	b := newTestOrg(t, OrgConfig{Seed: 2, Users: 5, Subdomain: "beta"})
	srv, err := Start(ServerConfig{HostRouting: true}, a, b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	for _, sub := range []string{"alpha", "beta"} {
		req, _ := http.NewRequest("GET", srv.URL()+"/api/v1/org", nil)
		req.Host = sub + ".okta.test"
		req.Header.Set("Authorization", "SSWS "+testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var org map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&org)
		resp.Body.Close()
		if org["subdomain"] != sub {
			t.Errorf("Host %s.okta.test reached %v, want %s", sub, org["subdomain"], sub)
		}
	}
}
