package checkpoint

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSetRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	big := make([]string, 100_000)
	for i := range big {
		big[i] = fmt.Sprintf("00u%017d", (i*7919)%len(big)) // unsorted, all distinct
	}
	tests := []struct {
		name string
		key  SetKey
		ids  []string
		want []string
	}{
		{
			name: "100k members",
			key:  SetKey{Tenant: "t1", Stream: "group_members", Owner: "00g1big"},
			ids:  big,
			want: slices.Sorted(slices.Values(big)),
		},
		{
			name: "every user",
			key:  SetKey{Tenant: "t1", Stream: "employees"},
			ids:  []string{"00u2", "00u1", "00u2"},
			want: []string{"00u1", "00u2"},
		},
		{
			name: "empty",
			key:  SetKey{Tenant: "t1", Stream: "app_assignments", Owner: "0oa1"},
			ids:  nil,
			want: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.SaveSet(ctx, tt.key, tt.ids); err != nil {
				t.Fatalf("SaveSet: %v", err)
			}
			got, err := s.LoadSet(ctx, tt.key)
			if err != nil {
				t.Fatalf("LoadSet: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LoadSet mismatch (-want +got):\n%s", diff)
			}
		})
	}

	owners, err := s.Owners(ctx, "t1", "group_members")
	if err != nil {
		t.Fatalf("Owners: %v", err)
	}
	if diff := cmp.Diff([]string{"00g1big"}, owners); diff != "" {
		t.Errorf("Owners(group_members) mismatch (-want +got):\n%s", diff)
	}
	owners, err = s.Owners(ctx, "t1", "employees")
	if err != nil {
		t.Fatalf("Owners: %v", err)
	}
	if diff := cmp.Diff([]string{""}, owners); diff != "" {
		t.Errorf("Owners(employees) mismatch (-want +got):\n%s", diff)
	}

	k := tests[0].key
	if err := s.DeleteSet(ctx, k); err != nil {
		t.Fatalf("DeleteSet: %v", err)
	}
	got, err := s.LoadSet(ctx, k)
	if err != nil || got != nil {
		t.Errorf("LoadSet after DeleteSet: got %d ids, %v; want nil, nil", len(got), err)
	}
}

func TestSetBadIDs(t *testing.T) {
	s := openStore(t)
	k := SetKey{Tenant: "t1", Stream: "group_members", Owner: "00g1"}
	for _, ids := range [][]string{{""}, {"00u1\n00u2"}, {"00u1\r"}} {
		if err := s.SaveSet(context.Background(), k, ids); err == nil {
			t.Errorf("SaveSet(%q): got nil error, want one", ids)
		}
	}
}

func TestCorruptSet(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	k := SetKey{Tenant: "t1", Stream: "group_members", Owner: "00g1"}
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = fmt.Sprintf("00u%06d", i)
	}
	if err := s.SaveSet(ctx, k, ids); err != nil {
		t.Fatalf("SaveSet: %v", err)
	}
	path := s.setPath(k)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 0xff
	tests := []struct {
		name string
		data []byte
	}{
		{name: "truncated", data: good[:len(good)-6]},
		{name: "flipped byte", data: flipped},
		{name: "not gzip", data: []byte("00u1\n00u2\n")},
		{name: "empty", data: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := s.LoadSet(ctx, k)
			if err == nil {
				t.Fatalf("LoadSet: got %d ids and nil error, want an error", len(got))
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("LoadSet error: got %q, want it to name %q", err, path)
			}
		})
	}
}
