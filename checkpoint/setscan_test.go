package checkpoint

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// scanAll collects what ScanSet gives.
func scanAll(t *testing.T, s *FileStore, k SetKey) ([]string, error) {
	t.Helper()
	var got []string
	err := s.ScanSet(context.Background(), k, func(id string) error {
		got = append(got, id)
		return nil
	})
	return got, err
}

func TestScanSet(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	k := SetKey{Tenant: "t1", Stream: "employees"}
	got, err := scanAll(t, s, k)
	if err != nil || got != nil {
		t.Fatalf("ScanSet of a missing set: got %v, %v; want no id, nil", got, err)
	}
	if err := s.SaveSet(ctx, k, []string{"00u3", "00u1", "00u2", "00u1"}); err != nil {
		t.Fatalf("SaveSet: %v", err)
	}
	got, err = scanAll(t, s, k)
	if err != nil {
		t.Fatalf("ScanSet: %v", err)
	}
	if diff := cmp.Diff([]string{"00u1", "00u2", "00u3"}, got); diff != "" {
		t.Errorf("ScanSet (-want +got):\n%s", diff)
	}

	stop := errors.New("stop")
	calls := 0
	err = s.ScanSet(ctx, k, func(string) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("ScanSet with fn failing: got %v after %d calls, want stop after 1",
			err, calls)
	}

	if err := os.WriteFile(s.setPath(k), []byte("00u1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := scanAll(t, s, k); err == nil || !strings.Contains(err.Error(), s.setPath(k)) {
		t.Errorf("ScanSet of a damaged file: got %v, want an error naming the file", err)
	}
}

// TestSortedSetNoCopy checks that a sorted set is saved as it is, and an
// unsorted one sorted and de-duplicated into a copy, leaving the caller's
// slice alone.
func TestSortedSetNoCopy(t *testing.T) {
	sorted := []string{"a", "b", "c"}
	got, err := sortedSet(sorted)
	if err != nil || &got[0] != &sorted[0] {
		t.Errorf("sortedSet of sorted ids: got a copy or %v, want the same slice", err)
	}
	in := []string{"b", "a", "b"}
	got, err = sortedSet(in)
	if err != nil {
		t.Fatalf("sortedSet: %v", err)
	}
	if diff := cmp.Diff([]string{"a", "b"}, got); diff != "" {
		t.Errorf("sortedSet (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"b", "a", "b"}, in); diff != "" {
		t.Errorf("sortedSet changed its input (-want +got):\n%s", diff)
	}
}

// BenchmarkSaveLoadSet measures saving and loading a 100k-id set; its
// allocations show the set is never held compressed nor copied whole.
func BenchmarkSaveLoadSet(b *testing.B) {
	ctx := context.Background()
	s, err := NewFileStore(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	ids := make([]string, 100_000)
	for i := range ids {
		ids[i] = fmt.Sprintf("00u%017d", i)
	}
	k := SetKey{Tenant: "t1", Stream: "employees"}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.SaveSet(ctx, k, ids); err != nil {
			b.Fatal(err)
		}
		got, err := s.LoadSet(ctx, k)
		if err != nil || len(got) != len(ids) {
			b.Fatalf("LoadSet: got %d ids, %v; want %d", len(got), err, len(ids))
		}
	}
}
