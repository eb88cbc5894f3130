package oktasim

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"
)

// authState holds the org's credentials: its SSWS token and the access
// tokens its token endpoint issued. Secrets stay inside; nothing here is
// logged or put in an error.
type authState struct {
	mu      sync.Mutex
	ssws    map[string]bool // token → still valid
	access  map[string]accessToken
	jtis    map[string]time.Time // assertion ids already used
	nonce   string
	revokeN map[string]int // requests left before a token is revoked
}

type accessToken struct {
	scopes  map[string]bool
	expires time.Time
}

// principal is who a request authenticated as.
type principal struct {
	secret string
	bearer bool
	scopes map[string]bool // bearer only
}

func newAuthState(cfg OrgConfig) *authState {
	a := &authState{
		ssws:    map[string]bool{},
		access:  map[string]accessToken{},
		jtis:    map[string]time.Time{},
		revokeN: map[string]int{},
		nonce:   randomText(24),
	}
	if cfg.Token != "" {
		a.ssws[cfg.Token] = true
	}
	return a
}

// randomText returns n base64url characters from crypto/rand, for access
// tokens, nonces and error ids.
func randomText(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// authenticate checks the Authorization header (API.md §1.1, §1.2). The
// second result is false when the caller must get 401 E0000011; expired
// tokens also report so, and bearer callers get a challenge header.
func (a *authState) authenticate(r *http.Request, now time.Time) (principal, bool) {
	scheme, secret, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	secret = strings.TrimSpace(secret)
	a.mu.Lock()
	defer a.mu.Unlock()
	switch strings.ToUpper(scheme) {
	case "SSWS":
		if a.ssws[secret] {
			return principal{secret: secret}, true
		}
	case "BEARER":
		t, ok := a.access[secret]
		if ok && now.Before(t.expires) {
			return principal{secret: secret, bearer: true, scopes: t.scopes}, true
		}
	}
	return principal{}, false
}

// issue stores a new access token for scopes, valid for life.
func (a *authState) issue(scopes []string, now time.Time, life time.Duration) string {
	tok := "sim." + randomText(40)
	set := map[string]bool{}
	for _, s := range scopes {
		set[s] = true
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.access[tok] = accessToken{scopes: set, expires: now.Add(life)}
	return tok
}

// revoke invalidates secret, SSWS or access token. It reports whether
// the secret was known.
func (a *authState) revoke(secret string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, known := a.access[secret]
	delete(a.access, secret)
	if _, ok := a.ssws[secret]; ok {
		a.ssws[secret] = false
		known = true
	}
	return known
}

// countDown spends one of the requests a token has left under the
// revoke-after fault; when none are left the token is revoked
// (a token revoked mid-listing, task brief).
func (a *authState) countDown(p principal, after int) {
	if after <= 0 {
		return
	}
	a.mu.Lock()
	n, ok := a.revokeN[p.secret]
	if !ok {
		n = after
	}
	n--
	a.revokeN[p.secret] = n
	a.mu.Unlock()
	if n <= 0 {
		a.revoke(p.secret)
	}
}

// useJTI records an assertion id and reports whether it was fresh, so a
// replayed assertion is refused (API.md §1.2: jti prevents replay).
func (a *authState) useJTI(jti string, exp time.Time, now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for k, e := range a.jtis {
		if now.After(e) {
			delete(a.jtis, k)
		}
	}
	if _, seen := a.jtis[jti]; seen {
		return false
	}
	a.jtis[jti] = exp
	return true
}

// scopeFor is the OAuth scope each resource needs (API.md §0).
var scopeFor = map[string]string{
	"users": "okta.users.read", "groups": "okta.groups.read",
	"apps": "okta.apps.read", "logs": "okta.logs.read",
	"org": "okta.orgs.read", "domains": "okta.domains.read",
}
