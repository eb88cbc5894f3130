package scim

import "strings"

// parseComparison reads `path pr` or `path op literal` and checks it
// against the dialect.
func (p *parser) parseComparison() (Expr, *Error) {
	pt := p.next()
	if pt.kind != tokWord || !validPath(pt.text) || p.isKeyword(pt) {
		return nil, p.unexpected(pt)
	}
	if why, ok := p.r.forbid[pt.text]; ok {
		return nil, p.query("%s", why)
	}
	a, ok := p.r.lookup(pt.text)
	if !ok {
		return nil, p.query("attribute %s is not supported in %s",
			quote(pt.text), p.r.name)
	}
	ot := p.next()
	o, ok := parseOp(ot.text, p.r.foldOps)
	if ot.kind != tokWord || !ok {
		return nil, p.badOperator(ot)
	}
	if a.ops&o == 0 {
		return nil, p.opNotAllowed(a, o, pt.text)
	}
	if o == opPr {
		return present{path: pt.text}, nil
	}
	lit, err := p.parseLiteral(a, o, pt.text)
	if err != nil {
		return nil, err
	}
	return compare{path: pt.text, op: o, lit: lit, fold: p.r.foldVals}, nil
}

// validPath reports whether s is dot-separated non-empty segments.
func validPath(s string) bool {
	for _, seg := range strings.Split(s, ".") {
		if seg == "" || isDigit(seg[0]) {
			return false
		}
	}
	return true
}

// isKeyword reports whether t is a connective rather than a path.
func (p *parser) isKeyword(t token) bool {
	return p.keyword(t, "and") || p.keyword(t, "or") || p.keyword(t, "not")
}

// badOperator rejects a token in operator position. The System Log names
// the fault "Unrecognized attribute operator" (API.md §2).
func (p *parser) badOperator(t token) *Error {
	if t.kind != tokWord {
		return p.unexpected(t)
	}
	return p.syntax("unrecognized attribute operator %s at offset %d",
		quote(t.text), t.pos)
}

// opNotAllowed rejects a known operator the attribute does not take, with
// the attribute's own code when it has one (the System Log answers `co`
// on URLs with E0000031, API.md §8.1).
func (p *parser) opNotAllowed(a attr, o op, path string) *Error {
	code := p.r.code
	if a.badOp != "" {
		code = a.badOp
	}
	return reject(code, badQuery, "operator "+o.String()+
		" is not supported on "+quote(path)+" in "+p.r.name)
}
