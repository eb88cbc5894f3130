package config

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOneTenantsBadCredentials loads a tenants file of a good tenant and a
// bad one whose credentials cannot be read: AllTenants returns both, the
// good one usable and the bad one failed with an error naming it, the
// file, the line, the field, what it names and the fix; Tenants, which
// wants them all, fails with that error.
func TestOneTenantsBadCredentials(t *testing.T) {
	good := "- id: good\n  domain: good.okta.com\n  token_env: GOOD_TOKEN\n"
	missing := filepath.Join(t.TempDir(), "rotated", "bad-token")
	tests := []struct {
		name string
		bad  string // the bad tenant's credential lines
		line int    // of the field at fault
		want []string
		is   error // an error the failure wraps; nil: none checked
	}{
		{name: "token file missing", bad: "  token_file: " + missing + "\n", line: 6,
			want: []string{"token_file", missing, "correct token_file"}, is: fs.ErrNotExist},
		{name: "token file empty",
			bad: "  token_file: " + writeFile(t, "empty-token", "\n") + "\n", line: 6,
			want: []string{"token_file", "is empty"}},
		{name: "token variable unset", bad: "  token_env: BAD_TOKEN\n", line: 6,
			want: []string{"token_env", "BAD_TOKEN is not set", "restart"}},
		{name: "private key missing",
			bad: "  client_id: 0oa9\n  private_key_file: " + missing + "\n", line: 7,
			want: []string{"private_key_file", missing}, is: fs.ErrNotExist},
		{name: "private key not pem",
			bad: "  client_id: 0oa9\n  private_key_file: " + writeFile(t, "k", "x") + "\n", line: 7,
			want: []string{"private_key_file", "no PEM block"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeFile(t, "tenants.yaml", good+"- id: bad\n  domain: bad.okta.com\n"+tt.bad)
			cfg, err := LoadEnv([]string{"TENANTS_FILE=" + file, "GOOD_TOKEN=" + testToken})
			if err != nil {
				t.Fatalf("LoadEnv: %v", err)
			}
			ts, err := cfg.AllTenants()
			if err != nil {
				t.Fatalf("AllTenants: got %v, want no error", err)
			}
			ids := func(ts []Tenant) (out []string) {
				for _, tn := range ts {
					out = append(out, tn.ID)
				}
				return out
			}
			if diff := cmp.Diff([]string{"good", "bad"}, ids(ts)); diff != "" {
				t.Fatalf("tenants (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"good"}, ids(Usable(ts))); diff != "" {
				t.Errorf("usable tenants (-want +got):\n%s", diff)
			}
			if ts[0].Err != nil || ts[0].Credentials.Token.IsZero() {
				t.Errorf("good tenant: got error %v, token set %v; want no error and a token",
					ts[0].Err, !ts[0].Credentials.Token.IsZero())
			}
			bad := ts[1]
			if bad.Err == nil {
				t.Fatal("bad tenant: got no error")
			}
			if !bad.Credentials.Token.IsZero() || bad.Credentials.PrivateKey != nil {
				t.Error("bad tenant: got credentials, want none")
			}
			msg := bad.Err.Error()
			at := fmt.Sprintf("line %d:", tt.line)
			for _, w := range append(tt.want, file, at, "tenant bad") {
				if !strings.Contains(msg, w) {
					t.Errorf("got %q, want it to say %q", msg, w)
				}
			}
			if tt.is != nil && !errors.Is(bad.Err, tt.is) {
				t.Errorf("got %v, want it to wrap %v", bad.Err, tt.is)
			}
			if _, err := cfg.Tenants(); err == nil || err.Error() != msg {
				t.Errorf("Tenants: got %v, want %q", err, msg)
			}
			if strings.Contains(fmt.Sprint(ts, bad.Err), testToken) {
				t.Error("the tenants or the error print the good tenant's token")
			}
		})
	}
}

// TestFileFaultsStillStop: a fault of the tenants file itself fails
// AllTenants too, whatever the other tenants' credentials, so that the
// operator fixes the file before anything starts.
func TestFileFaultsStillStop(t *testing.T) {
	good := "- id: good\n  domain: good.okta.com\n  token_env: GOOD_TOKEN\n"
	tests := []struct{ name, bad, want string }{
		{"no credentials", "- id: bad\n  domain: bad.okta.com\n", "exactly one"},
		{"token pasted as path", "- id: bad\n  domain: bad.okta.com\n  token_file: x\n",
			"not a file path"},
		{"duplicate id", "- id: good\n  domain: bad.okta.com\n  token_env: GOOD_TOKEN\n",
			"already used"},
		{"bad stream", "- id: bad\n  domain: bad.okta.com\n  token_env: UNSET_TOKEN\n" +
			"  streams: [users]\n", `unknown stream "users"`},
		{"key without client", "- id: bad\n  domain: bad.okta.com\n" +
			"  token_env: UNSET_TOKEN\n  key_id: k\n", "only for a service app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeFile(t, "tenants.yaml", good+tt.bad)
			cfg, err := LoadEnv([]string{"TENANTS_FILE=" + file, "GOOD_TOKEN=" + testToken})
			if err != nil {
				t.Fatalf("LoadEnv: %v", err)
			}
			ts, err := cfg.AllTenants()
			if err == nil || !strings.Contains(err.Error(), tt.want) ||
				!strings.Contains(err.Error(), file) {
				t.Errorf("got %v (%d tenants), want an error naming %q and saying %q",
					err, len(ts), file, tt.want)
			}
		})
	}
}

// TestTenantErrorsJoins: several failed tenants are all named, so one
// start-up reports them all.
func TestTenantErrorsJoins(t *testing.T) {
	ts := []Tenant{
		{ID: "a", Err: errors.New("tenant a: token_file: x")},
		{ID: "b"},
		{ID: "c", Err: errors.New("tenant c: token_env: y")},
	}
	got := TenantErrors(ts).Error()
	if want := "tenant a: token_file: x\ntenant c: token_env: y"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if err := TenantErrors(ts[1:2]); err != nil {
		t.Errorf("got %v, want nil", err)
	}
}
