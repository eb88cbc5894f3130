package okta

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// renewMargin is how long before expiry an access token is replaced, at
// most; short-lived tokens are replaced after four fifths of their life.
const renewMargin = 5 * time.Minute

// oauthSource mints and caches access tokens for a service app with the
// client-credentials grant and a private-key JWT assertion (API.md §1.2).
// Okta issues no refresh token: a new one is simply minted.
type oauthSource struct {
	c     *Client
	creds Credentials

	mu      sync.Mutex
	access  Token
	renewAt time.Time
}

// tokenResponse is the token endpoint's answer.
type tokenResponse struct {
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	AccessToken Token  `json:"access_token"`
	Scope       string `json:"scope"`
}

// authorization returns "Bearer <token>", minting one when none is cached
// or the cached one is near expiry. Concurrent callers wait for one mint.
func (o *oauthSource) authorization(ctx context.Context) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.access.IsZero() || !o.c.clock.Now().Before(o.renewAt) {
		if err := o.mint(ctx); err != nil {
			return "", fmt.Errorf("minting an OAuth access token: %w", err)
		}
	}
	return "Bearer " + o.access.reveal(), nil
}

// renew drops the cached token: Okta refused it, so a new one is minted
// on the next request.
func (o *oauthSource) renew() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.access = Token{}
	return true
}

func (o *oauthSource) oauth() bool { return true }

// mint asks the org authorization server for a token. Called with o.mu held.
func (o *oauthSource) mint(ctx context.Context) error {
	tokenURL := o.c.endpoint(tokenPath, nil)
	assertion, err := o.assertion(tokenURL.String())
	if err != nil {
		return err
	}
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"scope":                 {strings.Join(o.creds.Scopes, " ")},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
	}
	var tr tokenResponse
	req := request{method: http.MethodPost, url: tokenURL, form: form, noAuth: true}
	read := func(r io.Reader) error { return decodeObject(r, &tr) }
	if _, err := o.c.exchange(ctx, req, read); err != nil {
		return err
	}
	return o.keep(tr)
}

// keep caches a minted token after checking it is a usable Bearer token.
func (o *oauthSource) keep(tr tokenResponse) error {
	switch {
	case strings.EqualFold(tr.TokenType, "DPoP"):
		return fmt.Errorf("%w: the token endpoint issued a DPoP-bound token", ErrDPoPRequired)
	case !strings.EqualFold(tr.TokenType, "Bearer"):
		return fmt.Errorf("token type %q: want Bearer", tr.TokenType)
	case tr.AccessToken.IsZero():
		return fmt.Errorf("token response without an access token")
	}
	life := time.Duration(tr.ExpiresIn) * time.Second
	if life <= 0 {
		life = time.Hour // Okta's fixed lifetime (API.md §1.2)
	}
	o.access = tr.AccessToken
	o.renewAt = o.c.clock.Now().Add(life - min(renewMargin, life/5))
	o.c.log.Debug("minted oauth access token", "expires_in", life,
		"scope", tr.Scope)
	return nil
}
