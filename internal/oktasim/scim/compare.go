package scim

import (
	"strings"
	"time"
)

// test applies o (never opNe, which Match derives from opEq) to one
// attribute value. Values of a type the literal cannot meet never match.
func (c compare) test(v any, o op) bool {
	switch v := v.(type) {
	case nil:
		return c.lit.kind == litNull && o == opEq
	case []string:
		for _, s := range v {
			if c.test(s, o) {
				return true
			}
		}
		return false
	case string:
		if c.lit.isTime {
			if t, ok := parseTimestamp(v, true); ok {
				return order(t.Compare(c.lit.t), o)
			}
		}
		return c.lit.kind == litString && c.testString(v, o)
	case time.Time:
		return c.lit.isTime && order(v.Compare(c.lit.t), o)
	case float64:
		return c.lit.kind == litNumber && order(cmpFloat(v, c.lit.num), o)
	case bool:
		return c.lit.kind == litBool && o == opEq && v == c.lit.b
	}
	return false
}

// testString compares a string value, folding case when the dialect does.
// An ASCII value is folded byte by byte as it is compared, so matching a
// listing allocates nothing per object; others are lowered first.
func (c compare) testString(v string, o op) bool {
	want := c.lit.str
	if c.fold {
		if !isASCII(v) {
			return plainTest(strings.ToLower(v), want, o)
		}
		return foldTest(v, want, o)
	}
	return plainTest(v, want, o)
}

func plainTest(v, want string, o op) bool {
	switch o {
	case opCo:
		return strings.Contains(v, want)
	case opSw:
		return strings.HasPrefix(v, want)
	case opEw:
		return strings.HasSuffix(v, want)
	}
	return order(strings.Compare(v, want), o)
}

// foldTest is plainTest on strings.ToLower(v) for an ASCII v; want is
// already lowered.
func foldTest(v, want string, o op) bool {
	switch o {
	case opCo:
		for i := 0; i+len(want) <= len(v); i++ {
			if foldCompare(v[i:i+len(want)], want) == 0 {
				return true
			}
		}
		return false
	case opSw:
		return len(v) >= len(want) && foldCompare(v[:len(want)], want) == 0
	case opEw:
		return len(v) >= len(want) && foldCompare(v[len(v)-len(want):], want) == 0
	}
	return order(foldCompare(v, want), o)
}

// foldCompare compares the lowered ASCII v with want byte by byte.
func foldCompare(v, want string) int {
	for i := 0; i < len(v) && i < len(want); i++ {
		c := v[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != want[i] {
			if c < want[i] {
				return -1
			}
			return 1
		}
	}
	return cmpInt(len(v), len(want))
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// order reports whether a three-way comparison result satisfies o.
func order(cmp int, o op) bool {
	switch o {
	case opEq:
		return cmp == 0
	case opGt:
		return cmp > 0
	case opGe:
		return cmp >= 0
	case opLt:
		return cmp < 0
	case opLe:
		return cmp <= 0
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
