package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	vcs := func(rev, at, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "-trimpath", Value: "true"},
			{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: at},
			{Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "(unknown)"},
		{"go run", &debug.BuildInfo{GoVersion: "go1.26.0",
			Main: debug.Module{Version: "(devel)"}}, "(devel) go1.26.0"},
		{"go build in a checkout with changes", &debug.BuildInfo{GoVersion: "go1.26.0",
			Main: debug.Module{Version: "v0.0.0-20261204100000-d817008aa1b2+dirty"},
			Settings: vcs("d817008aa1b2c3d4e5f60718293a4b5c6d7e8f90",
				"2026-12-04T10:00:00Z", "true")},
			"v0.0.0-20261204100000-d817008aa1b2+dirty (commit d817008aa1b2, " +
				"2026-12-04T10:00:00Z, modified) go1.26.0"},
		{"tagged release", &debug.BuildInfo{GoVersion: "go1.26.0",
			Main:     debug.Module{Version: "v1.4.0"},
			Settings: vcs("0123456789abcdef", "2026-11-01T08:00:00Z", "false")},
			"v1.4.0 (commit 0123456789ab, 2026-11-01T08:00:00Z) go1.26.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := version(tt.bi); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHelpFlags: -h and --help print the usage on stdout and exit 0, as
// help does; an unknown command is still a usage error.
func TestHelpFlags(t *testing.T) {
	tests := []struct {
		args       []string
		wantStatus int
		wantOut    string
		wantErr    string
	}{
		{[]string{"help"}, exitOK, "usage: okta-connector <command>", ""},
		{[]string{"-h"}, exitOK, "usage: okta-connector <command>", ""},
		{[]string{"--help"}, exitOK, "usage: okta-connector <command>", ""},
		{[]string{"--hlep"}, exitUsage, "", `unknown command "--hlep"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			got := dispatch(tt.args, &out, &errOut)
			if got != tt.wantStatus {
				t.Errorf("exit status: got %d, want %d", got, tt.wantStatus)
			}
			if !strings.Contains(out.String(), tt.wantOut) ||
				!strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("got stdout %q, stderr %q; want %q and %q", out.String(),
					errOut.String(), tt.wantOut, tt.wantErr)
			}
		})
	}
}
