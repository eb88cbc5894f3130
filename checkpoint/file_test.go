package checkpoint

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// openStore opens a FileStore in a fresh directory and closes it at the end
// of the test.
func openStore(t *testing.T) *FileStore {
	t.Helper()
	s, err := NewFileStore(t.TempDir())
	if err != nil {
		t.Fatalf("NewFileStore: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// sample is a checkpoint with every field set.
func sample(tenant, stream string) Checkpoint {
	ts := time.Date(2026, 3, 4, 5, 6, 7, 8_000_000, time.UTC)
	return Checkpoint{
		Version:       Version,
		Tenant:        tenant,
		Stream:        stream,
		Watermark:     ts,
		AtWatermark:   []string{"00u1@1772600767008#ab12"},
		Cursor:        "https://acme.okta.com/api/v1/logs?after=1772_abc",
		LastPublished: ts.Add(-time.Minute),
		LastUUID:      "a1b2c3d4-0000-11ee-8000-000000000001",
		Snapshot: &Snapshot{
			ID: "snap-1", Cursor: "https://acme.okta.com/api/v1/users?after=00u9",
			StartedAt: ts.Add(-time.Hour), Records: 4200,
		},
		LastFullSync: ts.Add(-24 * time.Hour),
		LastSuccess:  ts,
		UpdatedAt:    ts,
		Extra:        map[string]string{"org_hash": "9f8e"},
	}
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	want := []Checkpoint{
		sample("acme.okta.com", "activity"),
		sample("acme.okta.com", "employees"),
		sample("127.0.0.1:8443", "groups"),
	}
	for _, cp := range want {
		if err := s.Save(ctx, cp); err != nil {
			t.Fatalf("Save(%s/%s): %v", cp.Tenant, cp.Stream, err)
		}
	}
	for _, cp := range want {
		got, err := s.Load(ctx, Key{Tenant: cp.Tenant, Stream: cp.Stream})
		if err != nil {
			t.Fatalf("Load(%s/%s): %v", cp.Tenant, cp.Stream, err)
		}
		if diff := cmp.Diff(cp, got); diff != "" {
			t.Errorf("Load(%s/%s) mismatch (-want +got):\n%s", cp.Tenant, cp.Stream, diff)
		}
	}
	list, err := s.List(ctx)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	// Ordered by tenant directory name, then stream.
	wantList := []Checkpoint{want[2], want[0], want[1]}
	if diff := cmp.Diff(wantList, list); diff != "" {
		t.Errorf("List mismatch (-want +got):\n%s", diff)
	}

	k := Key{Tenant: "acme.okta.com", Stream: "activity"}
	if err := s.Delete(ctx, k); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Load(ctx, k); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load after Delete: got %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, k); err != nil {
		t.Errorf("second Delete: got %v, want nil", err)
	}
}

func TestSaveFillsVersionAndTime(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	before := time.Now().Add(-time.Second)
	if err := s.Save(ctx, Checkpoint{Tenant: "t1", Stream: "apps"}); err != nil {
		t.Fatalf("Save: %v", err)
	}
	got, err := s.Load(ctx, Key{Tenant: "t1", Stream: "apps"})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got.Version != Version {
		t.Errorf("Version: got %d, want %d", got.Version, Version)
	}
	if got.UpdatedAt.Before(before) {
		t.Errorf("UpdatedAt: got %v, want after %v", got.UpdatedAt, before)
	}
	err = s.Save(ctx, Checkpoint{Version: Version + 1, Tenant: "t1", Stream: "apps"})
	if err == nil {
		t.Errorf("Save with future version: got nil error, want one")
	}
}

func TestLoadMissing(t *testing.T) {
	s := openStore(t)
	_, err := s.Load(context.Background(), Key{Tenant: "t1", Stream: "employees"})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("got %v, want ErrNotFound", err)
	}
}

func TestConcurrentSaves(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	const writers, rounds = 8, 10
	streams := []string{"employees", "groups"}
	var wg sync.WaitGroup
	errs := make(chan error, writers*rounds)
	for w := range writers {
		wg.Go(func() {
			for r := range rounds {
				cp := Checkpoint{
					Tenant: "t1",
					Stream: streams[w%len(streams)],
					Cursor: fmt.Sprintf("w%d-r%d", w, r),
					Extra:  map[string]string{"writer": strconv.Itoa(w)},
				}
				if err := s.Save(ctx, cp); err != nil {
					errs <- err
				}
				if _, err := s.Load(ctx, Key{Tenant: cp.Tenant, Stream: cp.Stream}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent use: %v", err)
	}
	for _, stream := range streams {
		got, err := s.Load(ctx, Key{Tenant: "t1", Stream: stream})
		if err != nil {
			t.Fatalf("Load(%s): %v", stream, err)
		}
		// Each value a writer saved is internally consistent: the cursor
		// names the same writer as Extra.
		if !strings.HasPrefix(got.Cursor, "w"+got.Extra["writer"]+"-") {
			t.Errorf("Load(%s): cursor %q and writer %q mixed", stream, got.Cursor,
				got.Extra["writer"])
		}
	}
}

func TestLeftoverTempIgnored(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := NewFileStore(dir)
	if err != nil {
		t.Fatalf("NewFileStore: %v", err)
	}
	want := sample("t1", "employees")
	if err := s.Save(ctx, want); err != nil {
		t.Fatalf("Save: %v", err)
	}
	// A crash between CreateTemp and Rename leaves a half-written file.
	tmp := filepath.Join(dir, "t1", tempPrefix+"employees.json-123")
	if err := os.WriteFile(tmp, []byte(`{"version":1,"ten`), 0o600); err != nil {
		t.Fatal(err)
	}

	list, err := s.List(ctx)
	if err != nil {
		t.Fatalf("List with a leftover temporary file: %v", err)
	}
	if diff := cmp.Diff([]Checkpoint{want}, list); diff != "" {
		t.Errorf("List mismatch (-want +got):\n%s", diff)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2, err := NewFileStore(dir)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	t.Cleanup(func() { _ = s2.Close() })
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("leftover temporary file after reopening: got %v, want it removed", err)
	}
	got, err := s2.Load(ctx, Key{Tenant: "t1", Stream: "employees"})
	if err != nil {
		t.Fatalf("Load after reopening: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load mismatch (-want +got):\n%s", diff)
	}
}

func TestCorruptFile(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string // in the error, besides the file name
	}{
		{name: "truncated", content: `{"version":1,"tenant":"t1","str`, want: "unexpected end"},
		{name: "empty", content: "", want: "unexpected end"},
		{name: "not json", content: "\x00\x01garbage", want: "invalid character"},
		{name: "no version", content: `{"tenant":"t1","stream":"groups"}`, want: "version 0"},
		{name: "future version", content: `{"version":99,"tenant":"t1","stream":"groups"}`,
			want: "version 99"},
		{name: "other key", content: `{"version":1,"tenant":"t2","stream":"groups"}`,
			want: "holds t2/groups"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			path := filepath.Join(s.Dir(), "t1", "groups.json")
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.Load(context.Background(), Key{Tenant: "t1", Stream: "groups"})
			if err == nil || errors.Is(err, ErrNotFound) {
				t.Fatalf("Load: got %v, want a corruption error", err)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error: got %q, want it to name %q and say %q", err, path, tt.want)
			}
			if _, err := s.List(context.Background()); err == nil {
				t.Errorf("List: got nil error, want one naming %q", path)
			}
		})
	}
}

func TestTraversalRejected(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	keys := []Key{
		{Tenant: "..", Stream: "employees"},
		{Tenant: ".", Stream: "employees"},
		{Tenant: "../etc", Stream: "employees"},
		{Tenant: "a/b", Stream: "employees"},
		{Tenant: "", Stream: "employees"},
		{Tenant: "Acme", Stream: "employees"},
		{Tenant: "t1", Stream: "../../x"},
		{Tenant: "t1", Stream: "a/b"},
		{Tenant: "t1", Stream: ""},
		{Tenant: "t1", Stream: ".hidden"},
	}
	for _, k := range keys {
		t.Run(k.Tenant+"|"+k.Stream, func(t *testing.T) {
			if err := s.Save(ctx, Checkpoint{Tenant: k.Tenant, Stream: k.Stream}); err == nil {
				t.Errorf("Save: got nil error, want a rejection")
			}
			if _, err := s.Load(ctx, k); err == nil || errors.Is(err, ErrNotFound) {
				t.Errorf("Load: got %v, want a rejection", err)
			}
			if err := s.Delete(ctx, k); err == nil {
				t.Errorf("Delete: got nil error, want a rejection")
			}
		})
	}
	owners := []string{"..", ".", "../x", "a/b", "_all", "-x", "a\x00b"}
	for _, o := range owners {
		t.Run("owner "+o, func(t *testing.T) {
			k := SetKey{Tenant: "t1", Stream: "group_members", Owner: o}
			if err := s.SaveSet(ctx, k, []string{"00u1"}); err == nil {
				t.Errorf("SaveSet: got nil error, want a rejection")
			}
			if _, err := s.LoadSet(ctx, k); err == nil {
				t.Errorf("LoadSet: got nil error, want a rejection")
			}
		})
	}
	entries, err := os.ReadDir(filepath.Dir(s.Dir()))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("entries beside the store directory: got %d, want 1 (the store)", len(entries))
	}
}

func TestLockExcludesSecondOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFileStore(dir)
	if err != nil {
		t.Fatalf("NewFileStore: %v", err)
	}
	_, err = NewFileStore(dir)
	if err == nil {
		t.Fatal("second NewFileStore: got nil error, want the directory in use")
	}
	pid := strconv.Itoa(os.Getpid())
	if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), pid) {
		t.Errorf("second NewFileStore: got %q, want it to name %q and pid %s", err, dir, pid)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Save(context.Background(), sample("t1", "groups")); err == nil {
		t.Error("Save after Close: got nil error, want one")
	}
	s2, err := NewFileStore(dir)
	if err != nil {
		t.Fatalf("NewFileStore after Close: %v", err)
	}
	_ = s2.Close()
}
