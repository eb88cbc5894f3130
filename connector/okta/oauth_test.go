package okta

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const testClientID = "0oaSERVICEAPP0000001"

// tokenServer is an org authorization server plus one API endpoint: it
// verifies each client assertion with the public key and accepts only
// access tokens it minted and did not revoke.
type tokenServer struct {
	t      *testing.T
	pub    crypto.PublicKey
	alg    string
	clock  *fakeClock
	dpop   bool // answer like an app that requires DPoP
	mu     sync.Mutex
	mints  int
	jtis   map[string]bool
	valid  map[string]bool
	reject bool // refuse every access token
	api    int
	issued []string
}

func (s *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path == tokenPath {
		s.token(w, r)
		return
	}
	s.api++
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !s.valid[tok] || s.reject {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSON(w, 401, sample(s.t, "error-401-invalid-token.json"))
		return
	}
	writeJSON(w, 200, sample(s.t, "org.json"))
}

func (s *tokenServer) token(w http.ResponseWriter, r *http.Request) {
	s.mints++
	if s.dpop {
		w.Header().Set("dpop-nonce", "Qm9ndXNOb25jZUZvckV4YW1wbGVDb3Jw")
		writeJSON(w, 400, sample(s.t, "oauth-dpop-nonce-required.json"))
		return
	}
	if err := s.verify(r); err != nil {
		s.t.Errorf("token request: %v", err)
		writeJSON(w, 401, []byte(`{"error":"invalid_client","error_description":"bad assertion"}`))
		return
	}
	at := fmt.Sprintf("at-SECRET-%d", s.mints)
	s.valid[at] = true
	s.issued = append(s.issued, at)
	body, _ := json.Marshal(map[string]any{"token_type": "Bearer", "expires_in": 3600,
		"access_token": at, "scope": r.PostFormValue("scope")})
	writeJSON(w, 200, body)
}

// verify checks the form and the signed assertion as Okta would.
func (s *tokenServer) verify(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	const jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	if f.Get("grant_type") != "client_credentials" ||
		f.Get("client_assertion_type") != jwtBearer ||
		f.Get("scope") != "okta.users.read okta.logs.read" {
		return fmt.Errorf("got form %v", f)
	}
	aud := "http://" + r.Host + tokenPath
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(f.Get("client_assertion"), &claims,
		func(*jwt.Token) (any, error) { return s.pub, nil },
		jwt.WithValidMethods([]string{s.alg}), jwt.WithAudience(aud),
		jwt.WithIssuer(testClientID), jwt.WithSubject(testClientID),
		jwt.WithTimeFunc(s.clock.Now), jwt.WithExpirationRequired())
	if err != nil {
		return fmt.Errorf("verifying assertion: %w", err)
	}
	if life := claims.ExpiresAt.Sub(claims.IssuedAt.Time); life > time.Hour {
		return fmt.Errorf("assertion lives %s, over an hour", life)
	}
	if claims.ID == "" || s.jtis[claims.ID] {
		return fmt.Errorf("jti %q missing or replayed", claims.ID)
	}
	s.jtis[claims.ID] = true
	return nil
}

// oauthEnv starts a token server for key and a client using it.
func oauthEnv(t *testing.T, key crypto.Signer, alg string) (*testEnv, *tokenServer) {
	t.Helper()
	clock := newFakeClock()
	ts := &tokenServer{t: t, pub: key.Public(), alg: alg, clock: clock,
		jtis: map[string]bool{}, valid: map[string]bool{}}
	env := newEnv(t, ts, func(c *Config) {
		c.Clock = clock
		c.Credentials = Credentials{ClientID: testClientID, PrivateKey: key, KeyID: "k1",
			Scopes: []string{"okta.users.read", "okta.logs.read"}}
	})
	return env, ts
}

// TestOAuthLifecycle mints a token with a verified assertion, reuses it,
// re-mints it before expiry and once after a 401, and stops after a
// second 401 with the OAuth words.
func TestOAuthLifecycle(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []struct {
		alg string
		key crypto.Signer
	}{{"RS256", rsaKey}, {"ES256", ecKey}} {
		t.Run(k.alg, func(t *testing.T) {
			env, ts := oauthEnv(t, k.key, k.alg)
			ctx := context.Background()
			step := func(name string, wantMints int) {
				t.Helper()
				if _, err := env.client.Org(ctx); err != nil {
					t.Fatalf("%s: got error %v", name, err)
				}
				if ts.mints != wantMints {
					t.Fatalf("%s: got %d mints, want %d", name, ts.mints, wantMints)
				}
			}
			step("first call", 1)
			step("cached", 1)
			env.clock.Advance(56 * time.Minute) // past 60 min less the 5 min margin
			step("near expiry", 2)
			ts.mu.Lock()
			ts.valid[ts.issued[len(ts.issued)-1]] = false // revoked early
			ts.mu.Unlock()
			step("after a 401", 3)

			ts.mu.Lock()
			ts.reject = true
			apiBefore := ts.api
			ts.mu.Unlock()
			_, err := env.client.Org(ctx)
			if !errors.Is(err, ErrUnauthorized) ||
				!strings.Contains(err.Error(), "freshly minted") {
				t.Fatalf("got %v, want a 401 with the OAuth advice", err)
			}
			if ts.mints != 4 || ts.api-apiBefore != 2 {
				t.Errorf("got %d mints and %d calls, want 4 and 2 (one re-mint)",
					ts.mints, ts.api-apiBefore)
			}
		})
	}
}

// TestOAuthSampleResponses serves the token samples: the access token of
// oauth-token-response.json is what the API call carries, and the DPoP
// nonce challenge is ErrDPoPRequired, named and not retried.
func TestOAuthSampleResponses(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(sample(t, "oauth-token-response.json"), &want); err != nil {
		t.Fatal(err)
	}
	var gotAuth string
	env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath {
			writeJSON(w, 200, sample(t, "oauth-token-response.json"))
			return
		}
		gotAuth = r.Header.Get("Authorization")
		writeJSON(w, 200, sample(t, "org.json"))
	}), func(c *Config) {
		c.Credentials = Credentials{ClientID: testClientID, PrivateKey: key}
	})
	if _, err := env.client.Org(context.Background()); err != nil {
		t.Fatal(err)
	}
	if gotAuth != "Bearer "+want.AccessToken {
		t.Errorf("got Authorization %q, want the sample's access token", gotAuth)
	}

	denv, ts := oauthEnv(t, key, "ES256")
	ts.dpop = true
	_, err = denv.client.Org(context.Background())
	if !errors.Is(err, ErrDPoPRequired) || !IsAuth(err) ||
		!strings.Contains(err.Error(), "Require Demonstrating Proof of Possession") {
		t.Fatalf("got %v, want ErrDPoPRequired naming the setting", err)
	}
	var oe *Error
	if !errors.As(err, &oe) || oe.Code != "use_dpop_nonce" || oe.Summary == "" {
		t.Errorf("got %+v, want the sample's error and description", oe)
	}
	if ts.mints != 1 || ts.api != 0 {
		t.Errorf("got %d token calls and %d API calls, want 1 and 0", ts.mints, ts.api)
	}
}
