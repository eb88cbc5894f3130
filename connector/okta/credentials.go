package okta

import (
	"crypto"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Credentials says how to authenticate: an SSWS token, or an OAuth 2.0
// service app (client id plus private key) with the scopes to request.
// Set exactly one of Token and ClientID. Credentials never print their
// secrets: the token and the private key are left out of every format.
type Credentials struct {
	Token      Token
	ClientID   string
	PrivateKey crypto.Signer // *rsa.PrivateKey or *ecdsa.PrivateKey
	KeyID      string        // optional kid header, the id Okta gave the public key
	Scopes     []string      // default: DefaultScopes()
}

// DefaultScopes returns the read scopes every stream of the connector needs
// (API.md §1.2); okta.domains.read is added only by callers that want custom
// domains, because granting it is an extra step for the admin.
func DefaultScopes() []string {
	return []string{
		"okta.users.read", "okta.groups.read", "okta.apps.read",
		"okta.logs.read", "okta.orgs.read",
	}
}

// isOAuth reports whether the credentials name an OAuth service app.
func (c Credentials) isOAuth() bool { return c.ClientID != "" }

// String describes the credentials without their secrets.
func (c Credentials) String() string {
	if c.isOAuth() {
		return fmt.Sprintf("oauth client %q, key %s, scopes %q",
			c.ClientID, keyState(c.PrivateKey != nil), strings.Join(c.Scopes, " "))
	}
	return "ssws token " + keyState(!c.Token.IsZero())
}

// keyState names whether a secret is present without showing it.
func keyState(set bool) string {
	if set {
		return redacted
	}
	return "[unset]"
}

// GoString hides the secrets from %#v.
func (c Credentials) GoString() string { return "okta.Credentials{" + c.String() + "}" }

// Format hides the secrets from every fmt verb.
func (c Credentials) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue hides the secrets from slog.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON hides the secrets from JSON: a private key would otherwise
// marshal its exponents.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf("%q", c.String())), nil
}
