package okta

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
)

// redacted is what every secret prints as.
const redacted = "[REDACTED]"

// Token is a secret credential: an SSWS API token or an OAuth access token.
// It never prints: String, GoString, Format, LogValue, MarshalJSON and
// MarshalText all give "[REDACTED]", so a Token inside a logged, printed or
// marshalled struct stays hidden. The zero Token is empty.
//
// NOTE: the secret sits behind a pointer on purpose. fmt prints the fields
// of a struct it cannot call methods on (unexported fields) by reflection;
// a pointer there prints as an address, never as the text.
type Token struct{ secret *string }

// NewToken wraps a secret so that it cannot be printed by accident.
func NewToken(secret string) Token { return Token{secret: &secret} }

// IsZero reports whether the token is empty, so configuration can say a
// credential is missing without revealing it.
func (t Token) IsZero() bool { return t.secret == nil || *t.secret == "" }

// reveal returns the secret, for the Authorization header only.
func (t Token) reveal() string {
	if t.secret == nil {
		return ""
	}
	return *t.secret
}

// String returns "[REDACTED]" so that %s and string concatenation hide it.
func (Token) String() string { return redacted }

// GoString returns "[REDACTED]" so that %#v hides it.
func (Token) GoString() string { return redacted }

// Format writes "[REDACTED]" for every verb, %x and %q included.
func (Token) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue hides the token from every slog handler.
func (Token) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON hides the token from JSON encodings of configs and records.
func (Token) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText hides the token from text encoders (YAML, env dumps).
func (Token) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// UnmarshalJSON reads a token from a JSON string, such as the access_token
// of an OAuth token response, so the secret is wrapped as soon as it lands.
func (t *Token) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("decoding token: want a JSON string")
	}
	*t = NewToken(s)
	return nil
}
