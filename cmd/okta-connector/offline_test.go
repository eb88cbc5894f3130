package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// missingTokenEnv is a tenants file of two tenants whose token file is
// missing (say, mid-rotation) and whose token variable is unset, with a
// checkpoint directory.
func missingTokenEnv(t *testing.T) (environ []string, tokenFile string) {
	t.Helper()
	dir := t.TempDir()
	tokenFile = filepath.Join(dir, "secrets", "acme-okta-token")
	tenants := filepath.Join(dir, "tenants.yaml")
	body := "- id: acme\n  domain: acme.okta.com\n  token_file: " + tokenFile + "\n" +
		"- id: globex\n  domain: globex.okta.com\n  token_env: GLOBEX_OKTA_TOKEN\n"
	if err := os.WriteFile(tenants, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(dir, "checkpoints")
	if err := os.Mkdir(cp, 0o700); err != nil {
		t.Fatal(err)
	}
	return []string{"TENANTS_FILE=" + tenants, "CHECKPOINT_DIR=" + cp,
		"LOG_FORMAT=json", "LOG_LEVEL=error"}, tokenFile
}

// TestCheckpointsNeedNoCredentials: the checkpoints commands read no
// token, so a missing token file stops none of them, while check, which
// calls Okta, fails before any request naming the file.
func TestCheckpointsNeedNoCredentials(t *testing.T) {
	environ, tokenFile := missingTokenEnv(t)
	tests := []struct {
		name       string
		run        func(environ, args []string, stdout, stderr *bytes.Buffer) int
		args       []string
		wantStatus int
		wantOut    string
		wantErr    string
	}{
		{name: "checkpoints list", run: checkpointsCmd, args: []string{"list"},
			wantStatus: exitOK, wantOut: "globex"},
		{name: "checkpoints show", run: checkpointsCmd,
			args:       []string{"show", "--tenant", "globex"},
			wantStatus: exitOK, wantOut: "globex/activity: no checkpoint"},
		{name: "checkpoints reset dry run", run: checkpointsCmd,
			args:       []string{"reset", "--tenant", "acme", "--dry-run"},
			wantStatus: exitOK, wantOut: "acme/employees: no checkpoint"},
		{name: "checkpoints audit", run: checkpointsCmd, args: []string{"audit"},
			wantStatus: exitOK, wantOut: "no checkpoint changes recorded"},
		{name: "check", run: checkCmd, wantStatus: exitUsage, wantErr: tokenFile},
		{name: "check of the other tenant", run: checkCmd,
			args: []string{"--tenant", "globex"}, wantStatus: exitUsage,
			wantErr: "GLOBEX_OKTA_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			got := tt.run(environ, tt.args, &out, &errOut)
			if got != tt.wantStatus {
				t.Errorf("exit status: got %d, want %d\nstdout:\n%s\nstderr:\n%s", got,
					tt.wantStatus, out.String(), errOut.String())
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("stdout: got\n%s\nwant %q", out.String(), tt.wantOut)
			}
			if !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("stderr: got\n%s\nwant %q", errOut.String(), tt.wantErr)
			}
		})
	}
}

// TestUnknownTenantIsAUsageError: every command that takes --tenant exits
// 2 (usage) for a tenant the configuration does not know, as the README
// says, naming it. The checkpoint directory does not exist: the refusal
// comes before the store is opened.
func TestUnknownTenantIsAUsageError(t *testing.T) {
	// check loads credentials before it looks at --tenant, so it gets a
	// tenant whose token works.
	noStore := func(t *testing.T, _ ...string) []string {
		environ, _ := missingTokenEnv(t)
		return append(environ, "CHECKPOINT_DIR="+filepath.Join(t.TempDir(), "absent"))
	}
	tests := []struct {
		name    string
		environ func(t *testing.T, deny ...string) []string
		run     func(environ, args []string, stdout, stderr *bytes.Buffer) int
		args    []string
	}{
		{"check", checkEnv, checkCmd, []string{"--tenant", "initech"}},
		{"checkpoints show", noStore, checkpointsCmd,
			[]string{"show", "--tenant", "initech"}},
		{"checkpoints reset", noStore, checkpointsCmd,
			[]string{"reset", "--tenant", "initech", "--reason", "x"}},
		{"checkpoints set", noStore, checkpointsCmd, []string{"set", "--tenant", "initech",
			"--stream", "activity", "--since", "1h", "--reason", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if got := tt.run(tt.environ(t), tt.args, &out, &errOut); got != exitUsage {
				t.Errorf("exit status: got %d, want %d\nstderr:\n%s", got, exitUsage,
					errOut.String())
			}
			if !strings.Contains(errOut.String(), `"initech"`) {
				t.Errorf("stderr: got\n%s\nwant it to name \"initech\"", errOut.String())
			}
		})
	}
}

// checkpointsCmd and checkCmd run the commands with a background context.
func checkpointsCmd(environ, args []string, stdout, stderr *bytes.Buffer) int {
	return runCheckpoints(context.Background(), environ, args, stdout, stderr)
}

func checkCmd(environ, args []string, stdout, stderr *bytes.Buffer) int {
	return runCheck(context.Background(), environ, args, stdout, stderr)
}
