package scim

import "strings"

// Object is what an expression is matched against: one user, group, app or
// System Log event as the simulator holds it.
type Object interface {
	// Attr returns the value at a dotted path such as "profile.login",
	// with ok false when the attribute is absent. A value is a string,
	// time.Time, float64, bool, nil (present but null) or []string (a
	// multi-valued attribute, which matches when any element does).
	Attr(path string) (value any, ok bool)
}

// Expr is a parsed expression. Exprs are immutable and safe for
// concurrent use. Every Expr from Parse also implements fmt.Stringer with
// a canonical text that parses back to the same expression, for logs.
type Expr interface {
	// Match reports whether o satisfies the expression.
	Match(o Object) bool
}

// allOf is a chain of `and`.
type allOf []Expr

// Match reports whether every operand matches.
func (a allOf) Match(o Object) bool {
	for _, e := range a {
		if !e.Match(o) {
			return false
		}
	}
	return true
}

func (a allOf) String() string { return join(a, " and ") }

// anyOf is a chain of `or`.
type anyOf []Expr

// Match reports whether some operand matches.
func (a anyOf) Match(o Object) bool {
	for _, e := range a {
		if e.Match(o) {
			return true
		}
	}
	return false
}

func (a anyOf) String() string { return join(a, " or ") }

// notExpr is `not (…)`, the only place a missing attribute can match.
type notExpr struct{ x Expr }

// Match reports whether the operand does not match.
func (n notExpr) Match(o Object) bool { return !n.x.Match(o) }

func (n notExpr) String() string { return "not (" + str(n.x) + ")" }

// present is `attr pr`.
type present struct{ path string }

// Match reports whether the attribute holds a non-empty value; SCIM
// counts null, "" and an empty list as absent (RFC 7644 §3.4.2.2).
func (p present) Match(o Object) bool {
	v, ok := o.Attr(p.path)
	if !ok {
		return false
	}
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return v != ""
	case []string:
		return len(v) > 0
	}
	return true
}

func (p present) String() string { return p.path + " pr" }

// compare is `attr op literal`.
type compare struct {
	path string
	op   op
	lit  literal
	fold bool // string values compare ignoring case
}

// Match reports whether the attribute is present and the comparison
// holds; `ne` means present, not null and not equal.
func (c compare) Match(o Object) bool {
	v, ok := o.Attr(c.path)
	if !ok {
		return false
	}
	if c.op == opNe {
		if v == nil {
			return false
		}
		return !c.test(v, opEq)
	}
	return c.test(v, c.op)
}

func (c compare) String() string {
	return c.path + " " + c.op.String() + " " + c.lit.String()
}

// join renders operands, parenthesising a nested chain only where the
// text would otherwise parse to a different tree, so rendering never
// deepens the nesting.
func join(es []Expr, sep string) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = str(e)
		_, and := e.(allOf)
		_, or := e.(anyOf)
		if or || (and && sep == " and ") {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, sep)
}

func str(e Expr) string {
	if s, ok := e.(interface{ String() string }); ok {
		return s.String()
	}
	return "?"
}
