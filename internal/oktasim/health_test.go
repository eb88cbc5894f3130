package oktasim

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestHealthNeedsNoToken(t *testing.T) {
	plain := newTestOrg(t, OrgConfig{Seed: 1, Users: 5})
	noAdmin := newTestOrg(t, OrgConfig{Seed: 2, Users: 5, DisableAdmin: true})
	routed := newTestOrg(t, OrgConfig{Seed: 3, Users: 5, Subdomain: "routed"})
	servers := map[string]ServerConfig{"plain": {}, "no admin": {},
		"host routing": {HostRouting: true}}
	orgs := map[string]*Org{"plain": plain, "no admin": noAdmin, "host routing": routed}
	for name, cfg := range servers {
		t.Run(name, func(t *testing.T) {
			srv, err := Start(cfg, orgs[name])
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = srv.Close() })
			tests := []struct {
				method, path string
				want         int
			}{
				{http.MethodGet, HealthPath, http.StatusOK},
				{http.MethodHead, HealthPath, http.StatusOK},
				{http.MethodPost, HealthPath, http.StatusMethodNotAllowed},
			}
			for _, tt := range tests {
				req, _ := http.NewRequest(tt.method, srv.URL()+tt.path, nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatalf("%s %s: %v", tt.method, tt.path, err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tt.want {
					t.Errorf("%s %s: got %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
				}
				if tt.method == http.MethodGet && !strings.Contains(string(body), `"ok"`) {
					t.Errorf("GET %s: got body %q, want status ok", tt.path, body)
				}
			}
		})
	}
	t.Run("admin still needs the token", func(t *testing.T) {
		srv, err := Start(ServerConfig{}, plain)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		resp, err := http.Get(srv.URL() + "/_sim/summary")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET /_sim/summary without token: got %d, want 401", resp.StatusCode)
		}
	})
}
