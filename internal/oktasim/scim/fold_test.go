package scim

import (
	"strings"
	"testing"
)

// TestFoldTestMatchesLowering wants the allocation-free fold to agree
// with lowering the value first, for every operator.
func TestFoldTestMatchesLowering(t *testing.T) {
	values := []string{"", "ACTIVE", "active", "Alice@Example.com", "alice", "ALICE@",
		"zeta", "Zeta", "a", "A", "ab", "aB", "[x]", "@_`{", "Z", "z"}
	wants := []string{"", "active", "alice@", "lic", "example.com", "a", "ab", "zeta", "z",
		"zü", "[x]", "`", "{"}
	ops := []op{opEq, opGt, opGe, opLt, opLe, opCo, opSw, opEw}
	for _, o := range ops {
		t.Run(o.String(), func(t *testing.T) {
			for _, v := range values {
				for _, w := range wants {
					got := foldTest(v, w, o)
					want := plainTest(strings.ToLower(v), w, o)
					if got != want {
						t.Errorf("%q %s %q: got %v, want %v", v, o, w, got, want)
					}
				}
			}
		})
	}
}

func TestFoldTestAllocatesNothing(t *testing.T) {
	c := compare{op: opEq, lit: literal{kind: litString, str: "active"}, fold: true}
	n := testing.AllocsPerRun(100, func() {
		if !c.testString("ACTIVE", opEq) {
			t.Fatal("got no match, want one")
		}
	})
	if n != 0 {
		t.Errorf("got %v allocations per match, want 0", n)
	}
}
