package scim

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// litKind is the JSON type of a literal.
type litKind int

const (
	litString litKind = iota
	litNumber
	litBool
	litNull
)

// literal is a comparison's right-hand side, decoded once at parse time.
type literal struct {
	kind litKind
	text string    // string value as written, for String
	str  string    // string value, lowered when the dialect folds case
	num  float64   // number value
	b    bool      // bool value
	t    time.Time // instant, when isTime
	// isTime reports that str is a timestamp, so date attributes and
	// timestamp-looking strings compare as instants.
	isTime bool
}

// String renders the literal as it would appear in an expression.
func (l literal) String() string {
	switch l.kind {
	case litNumber:
		return strconv.FormatFloat(l.num, 'g', -1, 64)
	case litBool:
		return strconv.FormatBool(l.b)
	case litNull:
		return "null"
	}
	// JSON, not Go, quoting: the grammar takes JSON escapes only.
	b, _ := json.Marshal(l.text)
	return string(b)
}

// Okta's documented timestamp literal: "2024-06-01T00:00:00.000Z"
// (API.md §4.3); the E0000030 pattern yyyy-MM-dd'T'HH:mm:ss.SSSZZ also
// allows a numeric offset (API.md §2).
const (
	millisLayout = "2006-01-02T15:04:05.000Z07:00"
	dateLen      = len("2006-01-02T15:04:05")
)

// parseTimestamp parses an Okta timestamp literal. Without allowNoMillis it
// demands exactly three fractional digits: whether Okta takes fewer is
// UNCONFIRMED (API.md §4.3, §12), and the strict reading is harder on the
// client.
func parseTimestamp(s string, allowNoMillis bool) (time.Time, bool) {
	if allowNoMillis {
		// RFC 3339 has no decimal comma, though time.Parse takes one.
		if strings.ContainsRune(s, ',') {
			return time.Time{}, false
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		return t, err == nil
	}
	if len(s) < dateLen+5 || s[dateLen] != '.' {
		return time.Time{}, false
	}
	zone := s[dateLen+4:]
	if zone != "Z" && len(zone) != len("+00:00") {
		return time.Time{}, false
	}
	t, err := time.Parse(millisLayout, s)
	return t, err == nil
}

// foldString lowers s when the dialect compares strings ignoring case.
// Lowering keeps diacritics, which Okta treats as significant (API.md §4.1).
func foldString(s string, fold bool) string {
	if fold {
		return strings.ToLower(s)
	}
	return s
}
