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
func (c compare) testString(v string, o op) bool {
	v = foldString(v, c.fold)
	want := c.lit.str
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
