package oktasim

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// oauthError is the token endpoint's error body (RFC 6749 §5.2), which
// differs from the management API's (API.md §1.3).
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func writeOAuth(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// serveToken is POST /oauth2/v1/token for the org's service app:
// client_credentials with a private_key_jwt assertion verified against
// the configured public key (API.md §1.2). Tokens are Bearer tokens with
// the configured lifetime; with RequireDPoP every request is answered
// use_dpop_nonce (API.md §1.3).
func (o *Org) serveToken(w http.ResponseWriter, r *http.Request) {
	now := o.now()
	status, body := o.token(r, now, w.Header())
	w.Header().Set("Date", now.Format(http.TimeFormat))
	writeOAuth(w, status, body)
	o.reqs.add(Request{Method: r.Method, Path: r.URL.Path, Status: status,
		Bucket: "oauth", Time: now})
}

func (o *Org) token(r *http.Request, now time.Time, h http.Header) (int, any) {
	bad := func(code, why string) (int, any) {
		status := http.StatusBadRequest
		if code == "invalid_client" {
			status = http.StatusUnauthorized
		}
		return status, oauthError{code, why}
	}
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, oauthError{"invalid_request", "POST required."}
	}
	if err := r.ParseForm(); err != nil {
		return bad("invalid_request", "The request body is not a form.")
	}
	f := r.PostForm
	if f.Get("grant_type") != "client_credentials" {
		return bad("unsupported_grant_type", "Only client_credentials is supported.")
	}
	if f.Get("client_assertion_type") != assertionType || f.Get("client_assertion") == "" {
		return bad("invalid_client", "A private_key_jwt client assertion is required.")
	}
	cfg := o.cfg.OAuth
	if cfg.ClientID == "" {
		return bad("invalid_client", "No service app is configured.")
	}
	if cfg.RequireDPoP {
		if !o.dpopHasNonce(r) {
			h.Set("DPoP-Nonce", o.auth.nonce)
			return bad("use_dpop_nonce", "Authorization server requires nonce in DPoP proof.")
		}
		return bad("invalid_dpop_proof", "DPoP-bound tokens are not simulated.")
	}
	if why := o.verifyAssertion(r, f.Get("client_assertion"), now); why != "" {
		return bad("invalid_client", why)
	}
	scopes := strings.Fields(f.Get("scope"))
	if len(scopes) == 0 {
		return bad("invalid_scope", "The authorization server requires scopes.")
	}
	for _, s := range scopes {
		if !slices.Contains(cfg.Scopes, s) {
			return bad("invalid_scope", "The following scopes are not allowed: "+s)
		}
	}
	life := cfg.TokenLifetime
	tok := o.auth.issue(scopes, now, life)
	return http.StatusOK, map[string]any{"token_type": "Bearer",
		"expires_in": int(life / time.Second), "access_token": tok,
		"scope": strings.Join(scopes, " ")}
}

// dpopHasNonce reports whether a DPoP proof carrying the current nonce is
// present. The simulator never verifies proofs or binds tokens; it only
// makes a client meet the challenge (doc.go, known limits).
func (o *Org) dpopHasNonce(r *http.Request) bool {
	proof := r.Header.Get("DPoP")
	if proof == "" {
		return false
	}
	claims := jwt.MapClaims{}
	_, _, err := jwt.NewParser().ParseUnverified(proof, claims)
	return err == nil && claims["nonce"] == o.auth.nonce
}

// verifyAssertion checks the client assertion: signature by the
// configured key with an allowed algorithm, iss = sub = client id, aud =
// this token URL, exp present and at most an hour ahead, jti unused
// (API.md §1.2). It returns why it was refused, or "".
func (o *Org) verifyAssertion(r *http.Request, assertion string, now time.Time) string {
	cfg := o.cfg.OAuth
	aud := o.linkBase(r) + "/oauth2/v1/token"
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithIssuer(cfg.ClientID), jwt.WithSubject(cfg.ClientID),
		jwt.WithAudience(aud), jwt.WithExpirationRequired(),
	)
	claims := &jwt.RegisteredClaims{}
	_, err := p.ParseWithClaims(assertion, claims, func(*jwt.Token) (any, error) {
		return cfg.PublicKey, nil
	})
	switch {
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "The client_assertion signature is invalid."
	case err != nil:
		return "The client_assertion token is invalid: " + assertionProblem(err)
	case claims.ExpiresAt.After(now.Add(time.Hour + time.Minute)):
		return "The client_assertion token has an expiration too far in the future."
	case claims.ID != "" && !o.auth.useJTI(claims.ID, claims.ExpiresAt.Time, now):
		return "The client_assertion token has already been used (jti)."
	}
	return ""
}

// assertionProblem names the failed check without echoing the token.
func assertionProblem(err error) string {
	for _, c := range []struct {
		err  error
		what string
	}{
		{jwt.ErrTokenExpired, "expired."},
		{jwt.ErrTokenRequiredClaimMissing, "a required claim is missing."},
		{jwt.ErrTokenInvalidAudience, "wrong audience."},
		{jwt.ErrTokenInvalidIssuer, "wrong issuer."},
		{jwt.ErrTokenInvalidSubject, "wrong subject."},
		{jwt.ErrTokenSignatureInvalid, "bad signature."},
		{jwt.ErrTokenUnverifiable, "unverifiable."},
		{jwt.ErrTokenMalformed, "malformed."},
	} {
		if errors.Is(err, c.err) {
			return c.what
		}
	}
	return "rejected."
}
