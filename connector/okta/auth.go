package okta

import (
	"context"
	"math/rand/v2"
	"regexp"
	"time"
)

// authorizer produces the Authorization header of API requests.
type authorizer interface {
	// authorization returns the header value, minting a credential if needed.
	authorization(ctx context.Context) (string, error)
	// renew drops a cached credential after a 401 and reports whether a new
	// one may succeed where it failed.
	renew() bool
	// oauth reports whether the credential is an OAuth access token.
	oauth() bool
}

// newAuthorizer picks SSWS or OAuth from validated credentials.
func newAuthorizer(c *Client, cr Credentials) authorizer {
	if cr.isOAuth() {
		return &oauthSource{c: c, creds: cr}
	}
	return ssws{token: cr.Token}
}

// ssws authenticates with an API token (API.md §1.1). A 401 is final: the
// token was revoked or expired and only a human can make a new one.
type ssws struct{ token Token }

func (s ssws) authorization(context.Context) (string, error) {
	return "SSWS " + s.token.reveal(), nil
}

func (ssws) renew() bool { return false }

func (ssws) oauth() bool { return false }

// challenge matches the auth-params of a WWW-Authenticate header.
var challenge = regexp.MustCompile(`([A-Za-z_]+)="([^"]*)"`)

// challengeParams returns the quoted auth-params of a WWW-Authenticate
// header, such as error="insufficient_scope" and scope="okta.logs.read".
func challengeParams(h string) map[string]string {
	params := map[string]string{}
	for _, m := range challenge.FindAllStringSubmatch(h, -1) {
		if _, dup := params[m[1]]; !dup {
			params[m[1]] = m[2]
		}
	}
	return params
}

// randomJitter returns a random duration in [0, d).
func randomJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d)
}
