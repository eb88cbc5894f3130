package config

import (
	"fmt"
	"log/slog"
)

// redacted is what a Secret prints instead of its value.
const redacted = "[redacted]"

// Secret holds a password or token read from the environment or a file. It
// never prints: String, GoString, Format, LogValue and MarshalText all
// redact it, so a Config can be logged or printed with %+v safely. Reveal
// is the one way to read the value.
//
// NOTE: the value sits behind a pointer on purpose: where fmt cannot call
// a Secret's methods (inside an unexported field) it prints the fields by
// reflection, and a pointer prints as an address, never as the text.
type Secret struct{ value *string }

// NewSecret wraps a value, for callers that build a Config in code.
func NewSecret(value string) Secret { return Secret{value: &value} }

// Reveal returns the secret's value, for handing to a client library.
func (s Secret) Reveal() string {
	if s.value == nil {
		return ""
	}
	return *s.value
}

// IsSet reports whether the secret holds a value.
func (s Secret) IsSet() bool { return s.Reveal() != "" }

// String returns "[redacted]", or "" when the secret is empty so that an
// unset password is not mistaken for a set one.
func (s Secret) String() string {
	if !s.IsSet() {
		return ""
	}
	return redacted
}

// GoString redacts the secret under %#v.
func (s Secret) GoString() string { return fmt.Sprintf("config.Secret(%q)", s.String()) }

// Format redacts the secret under every verb, %x and %q included.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, s.String()) }

// LogValue redacts the secret in slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText redacts the secret in JSON and other text encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText stores text as the secret; caarlos0/env calls it.
func (s *Secret) UnmarshalText(text []byte) error {
	*s = NewSecret(string(text))
	return nil
}
