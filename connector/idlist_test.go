package connector

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestIDBuilderList(t *testing.T) {
	tests := []struct {
		name    string
		in, out []string
	}{
		{"empty", nil, nil},
		{"sorted", []string{"a", "b", "c"}, []string{"a", "b", "c"}},
		{"unsorted with repeats", []string{"c", "a", "b", "a", "c"},
			[]string{"a", "b", "c"}},
		{"prefixes", []string{"ab", "a", "abc"}, []string{"a", "ab", "abc"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b idBuilder
			for _, id := range tc.in {
				b.add(id)
			}
			got := b.list().strings()
			if diff := cmp.Diff(tc.out, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("list (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIDListIndex(t *testing.T) {
	l := packIDs([]string{"00u1", "00u3", "00u5"})
	tests := []struct {
		id    string
		at    int
		found bool
	}{
		{"00u0", 0, false}, {"00u1", 0, true}, {"00u4", 2, false},
		{"00u5", 2, true}, {"00u9", 3, false},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			at, found := l.index(tc.id)
			if at != tc.at || found != tc.found {
				t.Errorf("index(%q) = %d, %v; want %d, %v", tc.id, at, found, tc.at, tc.found)
			}
		})
	}
}

func TestIDListWithoutAndMerge(t *testing.T) {
	l := packIDs([]string{"a", "b", "c"})
	if diff := cmp.Diff([]string{"a", "c"}, l.without(1).strings()); diff != "" {
		t.Errorf("without (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, l.strings()); diff != "" {
		t.Errorf("without changed its list (-want +got):\n%s", diff)
	}
	got := mergeLists(packIDs([]string{"a", "c", "e"}), packIDs([]string{"b", "c", "f"}))
	if diff := cmp.Diff([]string{"a", "b", "c", "e", "f"}, got.strings()); diff != "" {
		t.Errorf("mergeLists (-want +got):\n%s", diff)
	}
}

// TestIDDiff checks what a re-list makes of a listing against a stored set:
// which ids are new (a record each), which are gone (a tombstone each) and
// the set saved.
func TestIDDiff(t *testing.T) {
	tests := []struct {
		name           string
		old, listed    []string
		added, missing []string
		result         []string
	}{
		{"first listing", nil, []string{"b", "a"}, []string{"b", "a"}, nil,
			[]string{"a", "b"}},
		{"unchanged", []string{"a", "b"}, []string{"b", "a"}, nil, nil,
			[]string{"a", "b"}},
		{"all gone", []string{"a", "b"}, nil, nil, []string{"a", "b"}, nil},
		{"middle and ends", []string{"a", "c", "e", "g"}, []string{"d", "b", "c", "e"},
			[]string{"d", "b"}, []string{"a", "g"}, []string{"b", "c", "d", "e"}},
		{"listed twice", []string{"a"}, []string{"b", "a", "b"}, []string{"b", "b"}, nil,
			[]string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := packIDs(tc.old)
			d := newIDDiff(old)
			var added []string
			for _, id := range tc.listed {
				if d.see(id) {
					added = append(added, id)
				}
			}
			var missing []string
			for _, i := range d.missing() {
				missing = append(missing, old.at(i))
			}
			got := d.result().strings()
			opt := cmpopts.EquateEmpty()
			if diff := cmp.Diff(tc.added, added, opt); diff != "" {
				t.Errorf("new ids (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.missing, missing, opt); diff != "" {
				t.Errorf("missing ids (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.result, got, opt); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

// BenchmarkRelistDiff measures the memory a re-list of a large group
// holds: the stored set packed, a bit per id, and the ids new to it.
func BenchmarkRelistDiff(b *testing.B) {
	const n = 100_000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("00u%017d", i)
	}
	old := packIDs(ids)
	b.ReportAllocs()
	for b.Loop() {
		d := newIDDiff(old)
		for _, id := range ids[1:] {
			d.see(id)
		}
		if got := len(d.missing()); got != 1 {
			b.Fatalf("got %d missing, want 1", got)
		}
		if got := d.result().Len(); got != n-1 {
			b.Fatalf("got %d ids, want %d", got, n-1)
		}
	}
}
