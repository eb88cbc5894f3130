package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// uuids returns n made-up event uuids, space separated.
func uuids(n int) string {
	f := make([]string, n)
	for i := range f {
		f[i] = fmt.Sprintf("u%d", i)
	}
	return strings.Join(f, " ")
}

// TestCheckpointsShowShortensLongLists stores an activity checkpoint with
// 500 recent uuids: show prints their count and the first and last few,
// and --full prints every one.
func TestCheckpointsShowShortensLongLists(t *testing.T) {
	w := newCPWorld(t)
	s, err := checkpoint.NewFileStore(w.dir)
	if err != nil {
		t.Fatal(err)
	}
	cp := w.start
	cp.Extra = map[string]string{"recent_uuids": uuids(500)}
	if err := s.Save(context.Background(), cp); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	short := "u0 u1 u2 … (500 in all; --full shows every one) … u498 u499"
	tests := []struct {
		name     string
		args     []string
		want     string
		wantNot  string
		maxBytes int
	}{
		{"brief", nil, short, "u250", 2000},
		{"full", []string{"--full"}, uuids(500), "in all", 10000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"show", "--tenant", "acme", "--stream", "activity"},
				tt.args...)
			status, out, errOut := w.run(t, args...)
			if status != exitOK {
				t.Fatalf("show: got status %d, want 0\nstderr:\n%s", status, errOut)
			}
			if !strings.Contains(out, tt.want) || strings.Contains(out, tt.wantNot) {
				t.Errorf("show: got\n%.600s\nwant %.80q and no %q", out, tt.want, tt.wantNot)
			}
			if len(out) > tt.maxBytes {
				t.Errorf("show: got %d bytes, want at most %d", len(out), tt.maxBytes)
			}
		})
	}
	if diff := cmp.Diff(cp, w.load(t)); diff != "" {
		t.Errorf("show changed the stored checkpoint (-want +got):\n%s", diff)
	}
}

// TestBrief cuts lists longer than five entries only, and leaves the
// checkpoint it was given as it was.
func TestBrief(t *testing.T) {
	long := []string{"a", "b", "c", "d", "e", "f"}
	tests := []struct {
		name  string
		in    checkpoint.Checkpoint
		want  checkpoint.Checkpoint
		input checkpoint.Checkpoint // in, after the call
	}{
		{"short lists",
			checkpoint.Checkpoint{AtWatermark: long[:5], Extra: map[string]string{"k": "1 2"}},
			checkpoint.Checkpoint{AtWatermark: long[:5], Extra: map[string]string{"k": "1 2"}},
			checkpoint.Checkpoint{AtWatermark: long[:5], Extra: map[string]string{"k": "1 2"}}},
		{"long lists",
			checkpoint.Checkpoint{AtWatermark: long, Extra: map[string]string{
				"recent_uuids": "1 2 3 4 5 6 7", "hash": "x"}},
			checkpoint.Checkpoint{AtWatermark: []string{"a", "b", "c",
				"… (6 in all; --full shows every one) …", "e", "f"},
				Extra: map[string]string{"hash": "x",
					"recent_uuids": "1 2 3 … (7 in all; --full shows every one) … 6 7"}},
			checkpoint.Checkpoint{AtWatermark: long, Extra: map[string]string{
				"recent_uuids": "1 2 3 4 5 6 7", "hash": "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, brief(tt.in)); diff != "" {
				t.Errorf("brief (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.input, tt.in); diff != "" {
				t.Errorf("brief changed its input (-before +after):\n%s", diff)
			}
		})
	}
}

// TestCheckpointsBeforeTheFirstSync: with no CHECKPOINT_DIR yet, list,
// show and audit say there are no checkpoints and exit 0, and create
// nothing.
func TestCheckpointsBeforeTheFirstSync(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not-yet")
	w := cpWorld{dir: dir, environ: []string{"OKTA_DOMAIN=acme.okta.com",
		"TENANT_ID=acme", "CHECKPOINT_DIR=" + dir, "LOG_FORMAT=json", "LOG_LEVEL=error"}}
	note := "no checkpoints yet: CHECKPOINT_DIR " + dir + " does not exist\n"
	tests := []struct {
		name string
		args []string
		want string // after the note
	}{
		{"list", []string{"list"}, "acme    activity"},
		{"show", []string{"show", "--tenant", "acme", "--stream", "employees"},
			"acme/employees: no checkpoint (full sync next)"},
		{"audit", []string{"audit"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out, errOut := w.run(t, tt.args...)
			if status != exitOK || errOut != "" {
				t.Errorf("got status %d, stderr %q, want 0 and nothing", status, errOut)
			}
			if !strings.HasPrefix(out, note) || !strings.Contains(out, tt.want) {
				t.Errorf("got\n%s\nwant it to start %q and hold %q", out, note, tt.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("stat %s: got %v, want it still missing", dir, err)
			}
		})
	}
}
