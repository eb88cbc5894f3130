package scim

import "fmt"

// syntax rejects a malformed expression.
func (p *parser) syntax(format string, args ...any) *Error {
	return reject(p.r.code, badSyntax, fmt.Sprintf(format, args...))
}

// query rejects a well-formed expression the dialect does not allow.
func (p *parser) query(format string, args ...any) *Error {
	return reject(p.r.code, badQuery, fmt.Sprintf(format, args...))
}

// unexpected rejects token t where the grammar wants something else.
func (p *parser) unexpected(t token) *Error {
	switch t.kind {
	case tokEOF:
		return p.syntax("unexpected end of expression")
	case tokLBracket, tokRBracket:
		return p.syntax("value paths ([ ]) are not supported (offset %d)", t.pos)
	case tokString:
		return p.syntax("unexpected string %s at offset %d", quote(t.text), t.pos)
	}
	return p.syntax("unexpected %s at offset %d", quote(t.text), t.pos)
}
