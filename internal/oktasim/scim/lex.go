package scim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// tokKind is the lexical class of a token.
type tokKind int

const (
	tokEOF  tokKind = iota
	tokWord         // attribute path, operator or keyword
	tokString
	tokNumber
	tokLParen
	tokRParen
	tokLBracket // SCIM value paths, which no Okta dialect takes
	tokRBracket
)

// token is one lexeme; pos is its byte offset for error messages.
type token struct {
	kind tokKind
	text string  // raw text for words, decoded text for strings
	num  float64 // value of a number
	pos  int     // byte offset of the first byte
	end  int     // byte offset just past the last byte
}

// lex splits src into tokens. It fails on the first malformed lexeme with
// a lowercase detail naming it and its offset.
func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '(' || c == ')' || c == '[' || c == ']':
			toks = append(toks, token{
				kind: punct[c], text: src[i : i+1], pos: i, end: i + 1,
			})
			i++
			continue
		}
		var t token
		var err error
		switch {
		case c == '"':
			t, err = lexString(src, i)
		case c == '-' || isDigit(c):
			t, err = lexNumber(src, i)
		case isWordStart(c):
			t = lexWord(src, i)
		default:
			err = fmt.Errorf("unexpected character %q at offset %d", rune(c), i)
		}
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		i = t.end
	}
	return append(toks, token{kind: tokEOF, pos: len(src), end: len(src)}), nil
}

var punct = map[byte]tokKind{
	'(': tokLParen, ')': tokRParen, '[': tokLBracket, ']': tokRBracket,
}

// lexWord reads an attribute path or keyword: letters, digits, `_`, `.`.
// Whether the dots sit in sensible places is the parser's concern.
func lexWord(src string, start int) token {
	i := start
	for i < len(src) && isWordByte(src[i]) {
		i++
	}
	return token{kind: tokWord, text: src[start:i], pos: start, end: i}
}

// lexString reads a double-quoted literal with JSON escapes, the form the
// SCIM grammar borrows (RFC 7644 §3.4.2.2).
func lexString(src string, start int) (token, error) {
	i := start + 1
	for ; i < len(src) && src[i] != '"'; i++ {
		if src[i] == '\\' {
			i++
		}
	}
	if i >= len(src) {
		return token{}, fmt.Errorf("unterminated string at offset %d", start)
	}
	raw := src[start : i+1]
	if plain(raw) {
		return token{kind: tokString, text: raw[1 : len(raw)-1], pos: start, end: i + 1}, nil
	}
	var s string
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return token{}, fmt.Errorf("malformed string at offset %d", start)
	}
	return token{kind: tokString, text: s, pos: start, end: i + 1}, nil
}

// lexNumber reads a JSON number.
func lexNumber(src string, start int) (token, error) {
	i := start
	for i < len(src) && isNumberByte(src[i]) {
		i++
	}
	raw := src[start:i]
	if !json.Valid([]byte(raw)) {
		return token{}, fmt.Errorf("malformed number %q at offset %d", raw, start)
	}
	n, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return token{}, fmt.Errorf("number %q out of range at offset %d", raw, start)
	}
	return token{kind: tokNumber, text: raw, num: n, pos: start, end: i}, nil
}

// plain reports whether a quoted literal needs no decoding: no escapes,
// no control characters, valid UTF-8. Most literals are, and skipping the
// JSON decoder for them keeps Parse cheap.
func plain(raw string) bool {
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c == '\\' || c < 0x20 {
			return false
		}
	}
	return utf8.ValidString(raw)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isWordStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

func isWordByte(c byte) bool { return isWordStart(c) || isDigit(c) || c == '.' }

func isNumberByte(c byte) bool {
	return isDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}
