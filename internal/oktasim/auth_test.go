package oktasim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestAuthAndPermissions(t *testing.T) {
	_, srv := StartTest(t, OrgConfig{Seed: 1, Users: 5, Token: testToken,
		Deny: []string{"groups"}})
	tests := []struct {
		name   string
		auth   string
		path   string
		status int
		code   string
	}{
		{"valid token", "SSWS " + testToken, "/api/v1/users", 200, ""},
		{"unknown token", "SSWS nope", "/api/v1/users", 401, "E0000011"},
		{"no header", "", "/api/v1/users", 401, "E0000011"},
		{"denied resource", "SSWS " + testToken, "/api/v1/groups", 403, "E0000006"},
		{"well-known needs none", "", "/.well-known/okta-organization", 200, ""},
		{"unknown user", "SSWS " + testToken, "/api/v1/users/00uNOPE", 404, "E0000007"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL()+tt.path, nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var e map[string]any
			_ = json.Unmarshal(body, &e)
			if resp.StatusCode != tt.status || (tt.code != "" && e["errorCode"] != tt.code) {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, body, tt.status, tt.code)
			}
			if strings.Contains(string(body), testToken) {
				t.Errorf("response body carries the token")
			}
		})
	}
}

// oauthOrg starts an org with a service app whose key the test holds.
func oauthOrg(t *testing.T, clock Clock, cfg OAuthConfig) (*Org, *Server, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ClientID = "0oaservice"
	cfg.PublicKey = &key.PublicKey
	o, srv := StartTest(t, OrgConfig{Seed: 1, Users: 5, Token: testToken, Clock: clock,
		OAuth: cfg})
	return o, srv, key
}

func assertion(t *testing.T, key *ecdsa.PrivateKey, aud string, now time.Time,
	edit func(jwt.MapClaims)) string {
	t.Helper()
	c := jwt.MapClaims{"iss": "0oaservice", "sub": "0oaservice", "aud": aud,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "jti": randomText(16)}
	if edit != nil {
		edit(c)
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodES256, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func tokenCall(t *testing.T, srv *Server, a, scope string) (int, map[string]any, http.Header) {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {scope},
		"client_assertion_type": {assertionType}, "client_assertion": {a}}
	resp, err := http.PostForm(srv.URL()+"/oauth2/v1/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body, resp.Header
}

func TestOAuthTokenEndpoint(t *testing.T) {
	clock := NewManualClock(epoch)
	_, srv, key := oauthOrg(t, clock, OAuthConfig{TokenLifetime: 2 * time.Minute})
	aud := srv.URL() + "/oauth2/v1/token"
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tests := []struct {
		name  string
		a     string
		scope string
		error string
	}{
		{"valid", assertion(t, key, aud, epoch, nil), "okta.users.read", ""},
		{"other key", assertion(t, other, aud, epoch, nil), "okta.users.read", "invalid_client"},
		{"wrong audience", assertion(t, key, "https://x/oauth2/v1/token", epoch, nil),
			"okta.users.read", "invalid_client"},
		{"wrong issuer", assertion(t, key, aud, epoch, func(c jwt.MapClaims) { c["iss"] = "x" }),
			"okta.users.read", "invalid_client"},
		{"expired", assertion(t, key, aud, epoch.Add(-time.Hour), nil), "okta.users.read",
			"invalid_client"},
		{"exp too far", assertion(t, key, aud, epoch, func(c jwt.MapClaims) {
			c["exp"] = epoch.Add(3 * time.Hour).Unix()
		}), "okta.users.read", "invalid_client"},
		{"ungranted scope", assertion(t, key, aud, epoch, nil), "okta.users.manage",
			"invalid_scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := tokenCall(t, srv, tt.a, tt.scope)
			if tt.error == "" {
				if status != 200 || body["token_type"] != "Bearer" || body["expires_in"] != 120.0 {
					t.Errorf("got %d %v, want a Bearer token for 120 s", status, body)
				}
				return
			}
			if status < 400 || body["error"] != tt.error {
				t.Errorf("got %d %v, want error %s", status, body, tt.error)
			}
		})
	}
	t.Run("bearer token use, scope and expiry", func(t *testing.T) {
		a := assertion(t, key, aud, epoch, nil)
		_, body, _ := tokenCall(t, srv, a, "okta.users.read")
		tok := body["access_token"].(string)
		if status, _, _ := tokenCall(t, srv, a, "okta.users.read"); status != 401 {
			t.Errorf("replayed assertion got %d, want 401", status)
		}
		call := func(path string) *http.Response {
			req, _ := http.NewRequest(http.MethodGet, srv.URL()+path, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		if r := call("/api/v1/users"); r.StatusCode != 200 {
			t.Errorf("users with the token: got %d, want 200", r.StatusCode)
		}
		r := call("/api/v1/logs")
		if r.StatusCode != 403 || r.ContentLength != 0 ||
			!strings.Contains(r.Header.Get("WWW-Authenticate"), `error="insufficient_scope"`) {
			t.Errorf("logs without the scope: got %d %v, want 403 insufficient_scope, no body",
				r.StatusCode, r.Header)
		}
		clock.Advance(3 * time.Minute)
		if r := call("/api/v1/users"); r.StatusCode != 401 {
			t.Errorf("expired token: got %d, want 401", r.StatusCode)
		}
	})
}

func TestOAuthDPoPRequired(t *testing.T) {
	_, srv, key := oauthOrg(t, NewManualClock(epoch), OAuthConfig{RequireDPoP: true})
	status, body, h := tokenCall(t, srv, assertion(t, key, srv.URL()+"/oauth2/v1/token",
		epoch, nil), "okta.users.read")
	if status != 400 || body["error"] != "use_dpop_nonce" || h.Get("DPoP-Nonce") == "" {
		t.Errorf("got %d %v nonce %q, want 400 use_dpop_nonce with a nonce", status, body,
			h.Get("DPoP-Nonce"))
	}
}
