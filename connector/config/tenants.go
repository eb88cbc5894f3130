package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"github.com/okta-connector/okta-connector/connector/okta"
)

// Tenant is one Okta org to sync, with its credentials loaded. Printing a
// Tenant (fmt or slog) shows its id, base URL, auth kind and streams, never
// its credentials.
type Tenant struct {
	ID          string
	BaseURL     *url.URL
	Credentials okta.Credentials
	// Streams are the enabled streams, in AllStreams order.
	Streams []string
	// Schedules are the tenant's, defaults from the environment and
	// overrides from the tenants file applied.
	Schedules Schedules
	// Err, when set, says why the tenant's credentials could not be read
	// (a token file missing or unreadable, a token_env variable unset, a
	// private key unreadable): its file, line, field and fix. Such a
	// tenant has no credentials and must not be run; the others can be.
	// Only AllTenants returns one.
	Err error
}

// authKind names how a tenant authenticates, for printing.
func (t Tenant) authKind() string {
	switch {
	case t.Credentials.ClientID != "":
		return "service app " + t.Credentials.ClientID
	case t.Credentials.Token.IsZero():
		return "credentials not loaded"
	}
	return "api token"
}

// String describes the tenant without its credentials.
func (t Tenant) String() string {
	base := ""
	if t.BaseURL != nil {
		base = t.BaseURL.String()
	}
	return fmt.Sprintf("tenant %s (%s, %s, streams %s)", t.ID, base, t.authKind(),
		strings.Join(t.Streams, ","))
}

// Format prints String under every verb, so that %+v and %#v cannot reach
// the credentials.
func (t Tenant) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, t.String()) }

// LogValue logs the tenant as a group without its credentials.
func (t Tenant) LogValue() slog.Value {
	base := ""
	if t.BaseURL != nil {
		base = t.BaseURL.String()
	}
	return slog.GroupValue(
		slog.String("id", t.ID),
		slog.String("okta_domain", base),
		slog.String("auth", t.authKind()),
		slog.Any("streams", t.Streams),
	)
}

// Tenants returns the tenants to sync: those of TENANTS_FILE, or else the
// single tenant of the OKTA_* variables. It reads credential files and
// variables, so call it at start-up and again on reload; it makes no
// network call. On a Config from LoadEnvWithoutCredentials it reads no
// credential and the tenants have none.
//
// A tenant whose credentials cannot be read fails the whole call; run and
// sync use AllTenants so that it does not stop the others.
func (c Config) Tenants() ([]Tenant, error) {
	ts, err := c.AllTenants()
	if err != nil {
		return nil, err
	}
	if err := TenantErrors(ts); err != nil {
		return nil, err
	}
	return ts, nil
}

// AllTenants is Tenants, except that in a tenants file a tenant whose
// credentials cannot be read comes back with Err set instead of failing
// the call: one tenant's missing token file must not stop the others. A
// fault of the file itself (YAML, an unknown field, a duplicate id, a
// literal secret, an unknown stream) still fails it, naming the file and
// line, and so does the single tenant of the OKTA_* variables.
func (c Config) AllTenants() ([]Tenant, error) {
	if c.TenantsFile != "" {
		return c.loadTenantsFile(c.TenantsFile)
	}
	if c.Okta.Domain == "" {
		return nil, errors.New("no tenant configured: set OKTA_DOMAIN or TENANTS_FILE")
	}
	t, err := c.envTenant()
	if err != nil {
		return nil, err
	}
	return []Tenant{t}, nil
}

// envTenant builds the tenant of the OKTA_* variables.
func (c Config) envTenant() (Tenant, error) {
	o := c.Okta
	base, err := BaseURL(o.Domain)
	if err != nil {
		return Tenant{}, fmt.Errorf("OKTA_DOMAIN: %w", err)
	}
	t := Tenant{
		ID:        o.TenantID,
		BaseURL:   base,
		Streams:   AllStreams(),
		Schedules: c.Schedules,
	}
	if t.ID == "" {
		t.ID = DefaultTenantID(base)
	}
	if err := checkTenantID(t.ID); err != nil {
		return Tenant{}, fmt.Errorf("TENANT_ID: %w", err)
	}
	if c.withoutCredentials {
		return t, nil
	}
	if o.ClientID == "" {
		if !o.APIToken.IsSet() {
			return Tenant{}, errors.New("OKTA_API_TOKEN: not set (nor _FILE, nor OKTA_CLIENT_ID)")
		}
		t.Credentials.Token = okta.NewToken(o.APIToken.Reveal())
		return t, nil
	}
	key, err := readPrivateKey(o.PrivateKeyFile)
	if err != nil {
		return Tenant{}, fmt.Errorf("OKTA_PRIVATE_KEY_FILE: %w", err)
	}
	t.Credentials = okta.Credentials{
		ClientID: o.ClientID, PrivateKey: key, KeyID: o.KeyID, Scopes: o.Scopes,
	}
	return t, nil
}

// getenv reads a variable the way Load saw the environment.
func (c Config) getenv(name string) (string, bool) {
	if c.lookupEnv != nil {
		return c.lookupEnv(name)
	}
	return os.LookupEnv(name)
}

// Usable returns the tenants of ts whose credentials were read.
func Usable(ts []Tenant) []Tenant {
	out := make([]Tenant, 0, len(ts))
	for _, t := range ts {
		if t.Err == nil {
			out = append(out, t)
		}
	}
	return out
}

// TenantErrors joins the Err of every tenant of ts that has one; nil when
// every tenant's credentials were read.
func TenantErrors(ts []Tenant) error {
	var errs []error
	for _, t := range ts {
		if t.Err != nil {
			errs = append(errs, t.Err)
		}
	}
	return errors.Join(errs...)
}
