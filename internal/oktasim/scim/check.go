package scim

// parseLiteral reads the literal after operator o on the attribute at path
// and checks that its type suits the attribute and the operator.
func (p *parser) parseLiteral(a attr, o op, path string) (literal, *Error) {
	t := p.next()
	lit, ok := p.decode(t, a.kind)
	if !ok {
		return literal{}, p.unexpected(t)
	}
	if why := p.misfit(lit, a.kind, o); why != "" {
		return literal{}, p.query("%s on %s %s", o, quote(path), why)
	}
	return lit, nil
}

// decode turns a token into a literal. Strings on date attributes must be
// timestamps in the configured form; elsewhere a timestamp-looking string
// is remembered as an instant too, so a time.Time value can meet it.
func (p *parser) decode(t token, k kind) (literal, bool) {
	switch t.kind {
	case tokString:
		lit := literal{
			kind: litString,
			text: t.text,
			str:  foldString(t.text, p.r.foldVals),
		}
		lit.t, lit.isTime = parseTimestamp(t.text, p.opts.AllowNoMillis || k != kindDate)
		return lit, true
	case tokNumber:
		return literal{kind: litNumber, num: t.num}, true
	case tokWord:
		switch t.text {
		case "true", "false":
			return literal{kind: litBool, b: t.text == "true"}, true
		case "null":
			return literal{kind: litNull}, true
		}
	}
	return literal{}, false
}

// misfit explains why lit cannot follow o on an attribute of kind k, or
// returns "" when it can.
func (p *parser) misfit(lit literal, k kind, o op) string {
	if lit.kind == litNull {
		if !p.r.null || (o != opEq && o != opNe) {
			return "cannot take null"
		}
		return ""
	}
	switch k {
	case kindDate:
		if !lit.isTime {
			return `needs a timestamp such as "2024-06-01T00:00:00.000Z"`
		}
	case kindString:
		if lit.kind != litString {
			return "needs a string"
		}
	case kindBool:
		if lit.kind != litBool {
			return "needs true or false"
		}
	}
	switch {
	case o&(opCo|opSw|opEw) != 0 && lit.kind != litString:
		return "needs a string"
	case o&opsOrder != 0 && lit.kind == litBool:
		return "cannot order booleans"
	}
	return ""
}
