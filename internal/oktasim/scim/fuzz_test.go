package scim

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// FuzzParse checks that no input panics Parse or Match, that every
// rejection is a well-formed *Error, and that an accepted expression
// renders to text that parses back to the same expression.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`status pr`,
		`lastUpdated ge "2024-06-11T00:00:00.000Z" and status pr`,
		`type eq "OKTA_GROUP" and (lastUpdated gt "2024-06-01T00:00:00.000Z")`,
		`not (eventType eq "a" or target.id co "b") and client.zone eq null`,
		`profile.level gt -1.5e3 or profile.tags sw "x\u00e9\"\\"`,
		`settings.slo.enabled eq true`,
		`emails[type eq "work"]`,
		`((((status eq "A"))))`,
		`status eq "`,
	} {
		f.Add(s)
	}
	obj := Map{
		"status":                  "ACTIVE",
		"lastUpdated":             time.Date(2024, 6, 11, 0, 0, 0, 0, time.UTC),
		"profile.tags":            []string{"x", "y"},
		"profile.level":           1.0,
		"eventType":               "a",
		"client.zone":             nil,
		"target.id":               []string{"b"},
		"securityContext.isProxy": true,
	}
	dialects := []Dialect{
		UserFilter, UserSearch, GroupFilter, GroupSearch, AppFilter, LogFilter,
	}
	f.Fuzz(func(t *testing.T, expr string) {
		for _, d := range dialects {
			for _, p := range []Parser{{}, {AllowNoMillis: true}} {
				checkRoundTrip(t, p, expr, d, obj)
			}
		}
	})
}

func checkRoundTrip(t *testing.T, p Parser, expr string, d Dialect, obj Map) {
	t.Helper()
	e, err := p.Parse(expr, d)
	if err != nil {
		var se *Error
		if !errors.As(err, &se) || len(se.Causes) != 1 ||
			(se.Code != CodeInvalidSearch && se.Code != CodeInvalidFilter) {
			t.Fatalf("Parse(%q, %v): got malformed rejection %#v", expr, d, err)
		}
		return
	}
	text := fmt.Sprint(e)
	again, err := p.Parse(text, d)
	if err != nil {
		t.Fatalf("Parse(%q, %v) rendered %q, which fails: %v", expr, d, text, err)
	}
	if got := fmt.Sprint(again); got != text {
		t.Fatalf("round trip of %q in %v: got %q, want %q", expr, d, got, text)
	}
	if got, want := again.Match(obj), e.Match(obj); got != want {
		t.Fatalf("round trip of %q in %v: got match %v, want %v", expr, d, got, want)
	}
}
