package scim

import (
	"fmt"
	"strings"
)

// maxDepth bounds parenthesis and `not` nesting so that a hostile
// expression cannot exhaust the stack.
const maxDepth = 32

// Parser parses expressions with options. The zero value is the default:
// the readings harder on the client. A Parser is safe for concurrent use.
type Parser struct {
	// AllowNoMillis accepts timestamp literals without milliseconds or
	// with other fractions, such as "2024-06-01T00:00:00Z". Okta
	// documents only the millisecond form and whether it takes others is
	// UNCONFIRMED (API.md §4.3, §12), so by default they are rejected.
	AllowNoMillis bool
}

// Parse parses expr in dialect d with the default options. A rejected
// expression yields an *Error carrying the code Okta would answer with.
func Parse(expr string, d Dialect) (Expr, error) {
	return Parser{}.Parse(expr, d)
}

// Parse parses expr in dialect d. A rejected expression yields an *Error
// carrying the code Okta would answer with; an unknown dialect is a plain
// error, a bug in the caller.
func (p Parser) Parse(expr string, d Dialect) (Expr, error) {
	r, ok := dialects[d]
	if !ok {
		return nil, fmt.Errorf("scim: parsing expression: unknown dialect %d", int(d))
	}
	toks, err := lex(expr)
	if err != nil {
		return nil, reject(r.code, badSyntax, err.Error())
	}
	ps := &parser{opts: p, r: r, toks: toks}
	e, perr := ps.parseOr(0)
	if perr != nil {
		return nil, perr
	}
	if t := ps.peek(); t.kind != tokEOF {
		return nil, ps.unexpected(t)
	}
	return e, nil
}

// parser is the state of one Parse call: a recursive descent over the
// SCIM grammar where `and` binds tighter than `or` (RFC 7644 §3.4.2.2).
type parser struct {
	opts Parser
	r    *rules
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// keyword reports whether t is the keyword kw in the dialect's case rule.
func (p *parser) keyword(t token, kw string) bool {
	if t.kind != tokWord {
		return false
	}
	if p.r.foldOps {
		return strings.EqualFold(t.text, kw)
	}
	return t.text == kw
}

func (p *parser) parseOr(depth int) (Expr, *Error) {
	return p.parseChain(depth, "or", p.parseAnd)
}

func (p *parser) parseAnd(depth int) (Expr, *Error) {
	return p.parseChain(depth, "and", p.parseUnary)
}

// parseChain reads operands joined by the keyword kw into one n-ary node.
func (p *parser) parseChain(
	depth int, kw string, operand func(int) (Expr, *Error),
) (Expr, *Error) {
	first, err := operand(depth)
	if err != nil {
		return nil, err
	}
	es := []Expr{first}
	for p.keyword(p.peek(), kw) {
		p.next()
		e, err := operand(depth)
		if err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	switch {
	case len(es) == 1:
		return first, nil
	case kw == "and":
		return allOf(es), nil
	}
	return anyOf(es), nil
}

// parseUnary reads `not (…)`, a parenthesised expression or a comparison.
func (p *parser) parseUnary(depth int) (Expr, *Error) {
	if depth >= maxDepth {
		return nil, p.syntax("nesting deeper than %d at offset %d",
			maxDepth, p.peek().pos)
	}
	t := p.peek()
	if p.keyword(t, "not") {
		return p.parseNot(depth)
	}
	if t.kind == tokLParen {
		return p.parseGroup(depth)
	}
	return p.parseComparison()
}

func (p *parser) parseNot(depth int) (Expr, *Error) {
	t := p.next()
	if !p.r.not {
		return nil, p.query("%s does not support not (offset %d)",
			p.r.name, t.pos)
	}
	if p.peek().kind != tokLParen {
		return nil, p.unexpected(p.peek())
	}
	e, err := p.parseGroup(depth)
	if err != nil {
		return nil, err
	}
	return notExpr{x: e}, nil
}

func (p *parser) parseGroup(depth int) (Expr, *Error) {
	p.next()
	e, err := p.parseOr(depth + 1)
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tokRParen {
		return nil, p.unexpected(t)
	}
	return e, nil
}
