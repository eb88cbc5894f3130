package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// cpWorld is a file checkpoint store with one activity checkpoint of
// tenant acme, and the command's environment pointing at it.
type cpWorld struct {
	dir     string
	environ []string
	start   checkpoint.Checkpoint
}

func newCPWorld(t *testing.T) cpWorld {
	t.Helper()
	dir := t.TempDir()
	start := checkpoint.Checkpoint{Version: 1, Tenant: "acme", Stream: "activity",
		Cursor: "https://acme.okta.com/api/v1/logs?after=9", UpdatedAt: time.Now().UTC(),
		LastPublished: time.Now().UTC().Add(-time.Hour), LastUUID: "u9",
		Extra: map[string]string{"recent_uuids": "u8 u9"}}
	s, err := checkpoint.NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(context.Background(), start); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return cpWorld{dir: dir, start: start, environ: []string{
		"OKTA_DOMAIN=acme.okta.com", "OKTA_API_TOKEN=00T-cp-token", "TENANT_ID=acme",
		"CHECKPOINT_DIR=" + dir, "LOG_FORMAT=json", "LOG_LEVEL=error"}}
}

// run runs one checkpoints command and returns its status and output.
func (w cpWorld) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	got := runCheckpoints(context.Background(), w.environ, args, &out, &errOut)
	return got, out.String(), errOut.String()
}

// load reads the activity checkpoint without the store's lock.
func (w cpWorld) load(t *testing.T) checkpoint.Checkpoint {
	t.Helper()
	r, err := checkpoint.NewFileReader(w.dir)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := r.Load(context.Background(), checkpoint.Key{Tenant: "acme", Stream: "activity"})
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func (w cpWorld) queued(t *testing.T) []checkpoint.Request {
	t.Helper()
	reqs, err := checkpoint.NewFileInbox(w.dir).Requests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return reqs
}

// TestCheckpointsSetWhileAConnectorHoldsTheStore: with the directory
// locked, as by a running connector, set queues a request, changes no
// checkpoint, and list and audit show it.
func TestCheckpointsSetWhileAConnectorHoldsTheStore(t *testing.T) {
	w := newCPWorld(t)
	held, err := checkpoint.NewFileStore(w.dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = held.Close() })

	status, out, errOut := w.run(t, "set", "--tenant", "acme", "--stream", "activity",
		"--since", "48h", "--reason", "replay for SOC-12")
	if status != exitOK {
		t.Fatalf("set: got status %d, want 0\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	for _, want := range []string{"set acme/activity", "old: cursor, last event",
		"new: replay from", "queued 1 change(s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("set output: got\n%s\nwant %q", out, want)
		}
	}
	if diff := cmp.Diff(w.start, w.load(t)); diff != "" {
		t.Errorf("checkpoint changed while held (-before +after):\n%s", diff)
	}
	reqs := w.queued(t)
	if len(reqs) != 1 || reqs[0].Reason != "replay for SOC-12" ||
		time.Since(reqs[0].Since) < 47*time.Hour {
		t.Fatalf("queued requests: got %+v, want one set 48h back", reqs)
	}
	status, out, _ = w.run(t, "list")
	if status != exitOK || !strings.Contains(out, reqs[0].ID+" acme/activity set since") {
		t.Errorf("list: got status %d and\n%s\nwant the queued request", status, out)
	}
	status, out, _ = w.run(t, "audit", "--tenant", "acme")
	if status != exitOK || !strings.Contains(out, "requested  set acme/activity") ||
		!strings.Contains(out, "why: replay for SOC-12") {
		t.Errorf("audit: got status %d and\n%s\nwant the requested entry", status, out)
	}
}

// TestCheckpointsWritesAtOnceWhenNoConnectorRuns: with the lock free the
// change is applied at once, nothing is queued.
func TestCheckpointsWritesAtOnceWhenNoConnectorRuns(t *testing.T) {
	w := newCPWorld(t)
	status, out, errOut := w.run(t, "reset", "--tenant", "acme", "--stream", "activity",
		"--reason", "ticket 9")
	if status != exitOK || !strings.Contains(out, "saved 1 change(s)") {
		t.Fatalf("reset: got status %d\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	got := w.load(t)
	if got.Cursor != "" || got.Extra[checkpoint.ExtraSince] == "" ||
		got.Extra["recent_uuids"] != "" {
		t.Errorf("activity after reset: got %+v, want no cursor, a since, no uuids", got)
	}
	if reqs := w.queued(t); len(reqs) != 0 {
		t.Errorf("queued requests: got %d, want none", len(reqs))
	}
}

func TestCheckpointsRefusals(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantErr    string
	}{
		{"since past retention", []string{"set", "--tenant", "acme", "--stream", "activity",
			"--since", "100d", "--reason", "x"}, exitUsage,
			"outside Okta's 90-day System Log retention"},
		{"unreadable since", []string{"set", "--tenant", "acme", "--stream", "activity",
			"--since", "yesterday", "--reason", "x"}, exitUsage, `--since "yesterday"`},
		{"unknown stream", []string{"reset", "--tenant", "acme", "--stream", "users",
			"--reason", "x"}, exitUsage, `unknown stream "users"`},
		{"no reason", []string{"reset", "--tenant", "acme"}, exitUsage,
			"--reason is required"},
		{"no checkpoint to set", []string{"set", "--tenant", "acme", "--stream",
			"employees", "--watermark", "1h", "--reason", "x"}, exitFailed,
			"acme/employees has no checkpoint yet"},
		{"dry run", []string{"reset", "--tenant", "acme", "--dry-run"}, exitOK, ""},
		{"unknown subcommand", []string{"move"}, exitUsage, `unknown checkpoints command`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newCPWorld(t)
			status, out, errOut := w.run(t, tt.args...)
			if status != tt.wantStatus || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("got status %d, stderr\n%s\nwant %d and %q", status, errOut,
					tt.wantStatus, tt.wantErr)
			}
			if diff := cmp.Diff(w.start, w.load(t)); diff != "" {
				t.Errorf("checkpoint changed (-before +after):\n%s\nstdout:\n%s", diff, out)
			}
			es, err := checkpoint.NewFileAudit(w.dir).Entries(context.Background())
			if err != nil || len(es) != 0 || len(w.queued(t)) != 0 {
				t.Errorf("audit entries %d (%v), queued %d: want none", len(es), err,
					len(w.queued(t)))
			}
		})
	}
}
