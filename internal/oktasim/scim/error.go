package scim

import (
	"strconv"
	"strings"
)

// Okta error codes for a rejected expression (API.md §2).
const (
	// CodeInvalidSearch is Okta's "Invalid search criteria." code, used
	// by users, groups and apps, and by the System Log for `co` on URLs.
	CodeInvalidSearch = "E0000031"
	// CodeInvalidFilter is the System Log's code for any other bad filter.
	CodeInvalidFilter = "E0000053"
)

// Error is a rejected expression, shaped like Okta's error body so the
// simulator can serve it as is. Code is the only field meant for program
// logic; Summary and Causes are human text.
type Error struct {
	Code    string // CodeInvalidSearch or CodeInvalidFilter
	Summary string
	Causes  []string

	detail string // lowercase reason for Error
}

// Error reports the code and the reason, never the Okta prose.
func (e *Error) Error() string {
	return "scim: " + e.Code + ": " + e.detail
}

// Kinds of rejection, which decide the wording Okta uses for a cause.
const (
	badSyntax = "Invalid search syntax"
	badQuery  = "Invalid search query"
)

// reject builds the Error for code; detail is a lowercase phrase
// naming what is wrong and where.
func reject(code, kind, detail string) *Error {
	summary := "Invalid search criteria."
	if code == CodeInvalidFilter {
		summary = "Invalid SCIM filter"
	}
	return &Error{
		Code:    code,
		Summary: summary,
		Causes:  []string{kind + ": " + detail + "."},
		detail:  detail,
	}
}

// quote shortens s for an error message so that a huge expression cannot
// blow up an error body.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "") + "…"
	}
	return strconv.Quote(s)
}
