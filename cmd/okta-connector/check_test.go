package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// denyLogsFix is the fix `check` prints for a token whose owner may not
// read the System Log (issue 6, Must-show 4).
const denyLogsFix = "FIX   read the System Log (okta.logs.read): the token's owner lacks " +
	"read access to the System Log: give the admin who created the API token, or " +
	"the service app, an admin role that can read it, such as Read-Only " +
	"Administrator; a service app also needs the scope okta.logs.read " +
	"(Okta answered 403 E0000006)"

// checkEnv is the environment of one tenant on a simulated org; no
// KAFKA_BROKERS, since check needs no Kafka.
func checkEnv(t *testing.T, deny ...string) []string {
	t.Helper()
	return spentEnv(t, "", deny...)
}

// spentEnv is checkEnv on an org whose spend bucket ("" for none) another
// client has used up.
func spentEnv(t *testing.T, spend string, deny ...string) []string {
	t.Helper()
	const token = "00T-cmd-check-token"
	org, srv := oktasim.StartTest(t, oktasim.OrgConfig{Seed: 5, Users: 12, Groups: 3,
		Apps: 2, Events: 20, Token: token, Deny: deny})
	if spend != "" {
		org.SpendRateLimit(spend, 100000)
	}
	return []string{"OKTA_DOMAIN=" + srv.URL(), "OKTA_API_TOKEN=" + token,
		"TENANT_ID=acme", "LOG_FORMAT=json", "LOG_LEVEL=error"}
}

func TestCheckCommand(t *testing.T) {
	tests := []struct {
		name       string
		deny       []string
		spend      string
		args       []string
		wantStatus int
		wantOut    []string
		wantErr    string
	}{
		{name: "system log denied", deny: []string{"logs"}, wantStatus: exitFailed,
			wantOut: []string{"checking tenant acme at http://127.0.0.1:", denyLogsFix,
				"ok    read users (okta.users.read)", "1 of 10 permissions need a fix"}},
		{name: "healthy", args: []string{"--tenant", "acme"}, wantStatus: exitOK,
			wantOut: []string{"all permissions ok"}},
		{name: "users bucket spent", spend: "users", wantStatus: exitRetry,
			wantOut: []string{"WAIT  read users (okta.users.read): /api/v1/users: " +
				"Okta's users rate limit", "ok    read groups (okta.groups.read)",
				"1 of 10 permissions not checked: rate limited, retry later"}},
		{name: "unknown tenant", args: []string{"--tenant", "initech"},
			wantStatus: exitUsage, wantErr: `--tenant "initech": no such tenant`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			got := runCheck(context.Background(), spentEnv(t, tt.spend, tt.deny...), tt.args,
				&out, &errOut)
			if got != tt.wantStatus {
				t.Errorf("exit status: got %d, want %d\nstdout:\n%s\nstderr:\n%s", got,
					tt.wantStatus, out.String(), errOut.String())
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(out.String(), want) {
					t.Errorf("stdout: got\n%s\nwant a line containing %q", out.String(), want)
				}
			}
			if !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("stderr: got\n%s\nwant %q", errOut.String(), tt.wantErr)
			}
			if tt.wantStatus != exitFailed && strings.Contains(out.String(), "FIX") {
				t.Errorf("stdout: got\n%s\nwant no fix", out.String())
			}
			if strings.Contains(out.String()+errOut.String(), "00T-cmd-check-token") {
				t.Errorf("the token appears in the output")
			}
		})
	}
}
