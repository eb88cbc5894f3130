package admin

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// fixedNow is the clock of board tests.
var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// get fetches path from h and returns the status and body.
func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return resp.StatusCode, string(body)
}

// simClient returns a client of a simulated org that knows token, and the
// org; the client's requests go through rt when it is not nil.
func simClient(t *testing.T, token string, rt http.RoundTripper) (*okta.Client, *oktasim.Org) {
	t.Helper()
	org, srv := oktasim.StartTest(t, oktasim.OrgConfig{Seed: 11, Users: 20, Token: token})
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatalf("parsing %q: %v", srv.URL(), err)
	}
	c, err := okta.New(okta.Config{BaseURL: u, MaxAttempts: 1,
		Credentials: okta.Credentials{Token: okta.NewToken(token)},
		HTTPClient:  &http.Client{Transport: rt, Timeout: 10 * time.Second}})
	if err != nil {
		t.Fatalf("creating client: %v", err)
	}
	return c, org
}
