package config

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLoadWithoutCredentials loads configurations whose credentials are
// missing: LoadEnvWithoutCredentials yields the tenant ids, while LoadEnv
// (what the commands that call Okta use) fails naming what is missing.
// Problems of shape are refused either way.
func TestLoadWithoutCredentials(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "rotated", "acme-token")
	tenants := func(body string) string {
		return "TENANTS_FILE=" + writeFile(t, "tenants.yaml", body)
	}
	tests := []struct {
		name    string
		env     []string
		wantIDs []string
		// wantErr is what LoadEnv plus Tenants says; "" means the
		// configuration is wrong without credentials too.
		wantErr string
		// wantShapeErr is what both loaders say of a wrong shape.
		wantShapeErr string
	}{
		{name: "token file missing",
			env: []string{tenants("- id: acme\n  domain: acme.okta.com\n" +
				"  token_file: " + missing + "\n- id: globex\n  domain: globex.okta.com\n" +
				"  token_env: GLOBEX_TOKEN\n")},
			wantIDs: []string{"acme", "globex"}, wantErr: missing},
		{name: "token variable unset",
			env: []string{tenants("- id: globex\n  domain: globex.okta.com\n" +
				"  token_env: GLOBEX_TOKEN\n")},
			wantIDs: []string{"globex"}, wantErr: "GLOBEX_TOKEN is not set"},
		{name: "private key missing",
			env: []string{tenants("- id: initech\n  domain: initech.okta.com\n" +
				"  client_id: 0oa9\n  private_key_file: " + missing + "\n")},
			wantIDs: []string{"initech"}, wantErr: "private_key_file"},
		{name: "single tenant token file missing",
			env:     []string{"OKTA_DOMAIN=acme.okta.com", "OKTA_API_TOKEN_FILE=" + missing},
			wantIDs: []string{"acme.okta.com"}, wantErr: "OKTA_API_TOKEN_FILE"},
		{name: "single tenant without a token",
			env:     []string{"OKTA_DOMAIN=acme.okta.com", "TENANT_ID=acme"},
			wantIDs: []string{"acme"}, wantErr: "OKTA_API_TOKEN: not set"},
		{name: "literal token refused",
			env: []string{tenants("- id: acme\n  domain: acme.okta.com\n" +
				"  token: " + testToken + "\n")},
			wantShapeErr: "literal secret"},
		{name: "unknown stream refused",
			env: []string{tenants("- id: acme\n  domain: acme.okta.com\n" +
				"  token_file: " + missing + "\n  streams: [users]\n")},
			wantShapeErr: `unknown stream "users"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, err := loadIDs(LoadEnvWithoutCredentials, tt.env)
			if tt.wantShapeErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantShapeErr) {
					t.Errorf("without credentials: got %v, want %q", err, tt.wantShapeErr)
				}
			} else if err != nil {
				t.Errorf("without credentials: got %v, want no error", err)
			} else if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("tenant ids (-want +got):\n%s", diff)
			}
			want := tt.wantErr + tt.wantShapeErr
			if _, err := loadIDs(LoadEnv, tt.env); err == nil ||
				!strings.Contains(err.Error(), want) {
				t.Errorf("with credentials: got %v, want an error saying %q", err, want)
			}
		})
	}
}

// loadIDs loads env with load and returns the tenants' ids, checking that
// a Config without credentials hands out none.
func loadIDs(load func([]string) (Config, error), env []string) ([]string, error) {
	cfg, err := load(env)
	if err != nil {
		return nil, err
	}
	ts, err := cfg.Tenants()
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, tn := range ts {
		if cfg.withoutCredentials && (!tn.Credentials.Token.IsZero() ||
			tn.Credentials.PrivateKey != nil) {
			return nil, &credentialsLoaded{tn.ID}
		}
		ids = append(ids, tn.ID)
	}
	return ids, nil
}

// credentialsLoaded is a tenant that carries credentials although its
// Config was loaded without them.
type credentialsLoaded struct{ id string }

func (e *credentialsLoaded) Error() string {
	return "tenant " + e.id + " carries credentials; want none"
}
