package scim

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

const ts = `"2024-06-01T00:00:00.000Z"`

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name string
		d    Dialect
		expr string
		want string // canonical rendering; "" means expr itself
	}{
		{"user filter eq", UserFilter, `status eq "ACTIVE"`, ""},
		{"user filter date gt", UserFilter, `lastUpdated gt ` + ts, ""},
		{"user filter date le", UserFilter, `lastUpdated le ` + ts, ""},
		{"user filter offset", UserFilter,
			`lastUpdated ge "2024-06-01T02:00:00.000+02:00"`, ""},
		{"user filter and", UserFilter,
			`profile.login eq "a@example.com" and id eq "00u1"`, ""},
		{"user filter parens", UserFilter,
			`(status eq "ACTIVE" or status eq "LOCKED_OUT") and lastUpdated lt ` + ts,
			""},
		{"user filter redundant parens", UserFilter,
			`((status eq "ACTIVE")) or (id eq "a" and id eq "b")`,
			`status eq "ACTIVE" or id eq "a" and id eq "b"`},
		{"user filter escapes", UserFilter, `id eq "a\"b\\c\u00e9"`, `id eq "a\"b\\cé"`},
		{"user filter spacing", UserFilter, "  status\teq \"A\"  ", `status eq "A"`},
		{"user search pr", UserSearch, `status pr`, ""},
		{"user search co", UserSearch, `profile.firstName co "ann"`, ""},
		{"user search custom sw", UserSearch, `profile.department sw "Eng"`, ""},
		{"user search custom number", UserSearch, `profile.level gt 2.5`, ""},
		{"user search type", UserSearch, `type.id eq "oty1"`, ""},
		{"user search created", UserSearch, `created lt ` + ts, ""},
		{"user search ops any case", UserSearch,
			`lastUpdated GE ` + ts + ` AND status Pr`,
			`lastUpdated ge ` + ts + ` and status pr`},
		{"user search keeps value case", UserSearch,
			`status eq "Active"`, `status eq "Active"`},
		{"group filter client", GroupFilter,
			`type eq "OKTA_GROUP" and (lastUpdated gt ` + ts +
				` or lastMembershipUpdated gt ` + ts + `)`, ""},
		{"group search co", GroupSearch, `profile.name co "eng"`, ""},
		{"group search source", GroupSearch, `source.id eq "0oa1"`, ""},
		{"group search custom sw", GroupSearch, `profile.samAccountName sw "x"`, ""},
		{"group search date", GroupSearch, `lastMembershipUpdated ge ` + ts, ""},
		{"app filter status", AppFilter, `status eq "ACTIVE"`, ""},
		{"app filter user", AppFilter, `user.id eq "00u1"`, ""},
		{"app filter bool", AppFilter, `settings.slo.enabled eq true`, ""},
		{"app filter or", AppFilter, `status eq "ACTIVE" or status eq "INACTIVE"`, ""},
		{"log eq", LogFilter, `eventType eq "user.session.start"`, ""},
		{"log ne", LogFilter, `target.id eq "00u1" and actor.id ne "00u2"`, ""},
		{"log not", LogFilter, `not (outcome.result eq "SUCCESS")`, ""},
		{"log not chain", LogFilter,
			`not (eventType eq "a" or eventType eq "b")`, ""},
		{"log url sw", LogFilter, `debugContext.debugData.requestUri sw "/api"`, ""},
		{"log url pr", LogFilter, `debugContext.debugData.url pr`, ""},
		{"log ew", LogFilter, `displayMessage ew "session"`, ""},
		{"log null", LogFilter, `client.zone eq null`, ""},
		{"log bool", LogFilter, `securityContext.isProxy eq false`, ""},
		{"log number", LogFilter, `debugContext.debugData.risk ge -1e3`,
			`debugContext.debugData.risk ge -1000`},
		{"log precedence", LogFilter,
			`eventType eq "a" or eventType eq "b" and outcome.result eq "FAILURE"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.expr, tt.d)
			if err != nil {
				t.Fatalf("Parse(%q, %v): got error %v, want none", tt.expr, tt.d, err)
			}
			want := tt.want
			if want == "" {
				want = tt.expr
			}
			if got := fmt.Sprint(e); got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	const bad, badLog = CodeInvalidSearch, CodeInvalidFilter
	deep := strings.Repeat("(", maxDepth+1) + `eventType eq "a"` +
		strings.Repeat(")", maxDepth+1)
	tests := []struct {
		name string
		d    Dialect
		expr string
		code string
	}{
		{"user filter pr", UserFilter, `status pr`, bad},
		{"user filter ne", UserFilter, `status ne "A"`, bad},
		{"user filter sw", UserFilter, `status sw "A"`, bad},
		{"user filter gt on status", UserFilter, `status gt "A"`, bad},
		{"user filter custom attr", UserFilter, `profile.city eq "x"`, bad},
		{"user filter created", UserFilter, `created gt ` + ts, bad},
		{"user filter not", UserFilter, `not (status eq "A")`, bad},
		{"user filter op case", UserFilter, `status EQ "A"`, bad},
		{"user filter and case", UserFilter, `status eq "A" AND id eq "b"`, bad},
		{"user filter name case", UserFilter, `Status eq "A"`, bad},
		{"user filter date only", UserFilter, `lastUpdated gt "2024-06-01"`, bad},
		{"user filter no millis", UserFilter, `lastUpdated gt "2024-06-01T00:00:00Z"`, bad},
		{"user filter no zone", UserFilter, `lastUpdated gt "2024-06-01T00:00:00.000"`, bad},
		{"user filter number", UserFilter, `status eq 1`, bad},
		{"user filter null", UserFilter, `status eq null`, bad},
		{"user filter bare word", UserFilter, `status eq ACTIVE`, bad},
		{"empty", UserFilter, ``, bad},
		{"blank", UserFilter, `   `, bad},
		{"missing value", UserFilter, `status eq`, bad},
		{"dangling or", UserFilter, `status eq "A" or`, bad},
		{"leading and", UserFilter, `and status eq "A"`, bad},
		{"unclosed paren", UserFilter, `(status eq "A"`, bad},
		{"extra paren", UserFilter, `status eq "A")`, bad},
		{"empty parens", UserFilter, `()`, bad},
		{"bad escape", UserFilter, `status eq "\q"`, bad},
		{"unterminated", UserFilter, `status eq "A`, bad},
		{"single quotes", UserFilter, `status eq 'A'`, bad},
		{"no connective", UserFilter, `status eq "A" status eq "B"`, bad},
		{"empty segment", UserFilter, `profile..login eq "a"`, bad},
		{"trailing dot", UserSearch, `profile. eq "a"`, bad},
		{"value path", UserFilter, `emails[type eq "work"]`, bad},
		{"user search ne", UserSearch, `status ne "A"`, bad},
		{"user search ew", UserSearch, `status ew "A"`, bad},
		{"user search co custom", UserSearch, `profile.city co "x"`, bad},
		{"user search not", UserSearch, `not (status pr)`, bad},
		{"user search bad date", UserSearch, `created gt "yesterday"`, bad},
		{"user search nested custom", UserSearch, `profile.a.b eq "x"`, bad},
		{"user search unlisted top", UserSearch, `lastLogin gt ` + ts, bad},
		{"user search sw number", UserSearch, `profile.level sw 1`, bad},
		{"user search name case", UserSearch, `Profile.login eq "a"`, bad},
		{"group filter profile", GroupFilter, `profile.name eq "x"`, bad},
		{"group filter sw", GroupFilter, `type sw "OKTA"`, bad},
		{"group filter id gt", GroupFilter, `id gt "x"`, bad},
		{"group filter pr", GroupFilter, `lastUpdated pr`, bad},
		{"group search co custom", GroupSearch, `profile.x co "a"`, bad},
		{"group search pr", GroupSearch, `lastUpdated pr`, bad},
		{"group search ne", GroupSearch, `id ne "x"`, bad},
		{"app filter label", AppFilter, `label eq "x"`, bad},
		{"app filter ne", AppFilter, `status ne "A"`, bad},
		{"app filter sw", AppFilter, `name sw "x"`, bad},
		{"app filter bool string", AppFilter, `settings.slo.enabled eq "true"`, bad},
		{"log published", LogFilter, `published gt ` + ts, badLog},
		{"log url co", LogFilter, `debugContext.debugData.url co "x"`, bad},
		{"log uri co", LogFilter, `debugContext.debugData.requestUri co "/api"`, bad},
		{"log unknown op", LogFilter, `eventType foo "x"`, badLog},
		{"log value path", LogFilter, `target[type eq "User"]`, badLog},
		{"log unknown field", LogFilter, `unknownField eq "x"`, badLog},
		{"log missing value", LogFilter, `eventType eq`, badLog},
		{"log sw number", LogFilter, `eventType sw 5`, badLog},
		{"log gt bool", LogFilter, `eventType gt true`, badLog},
		{"log gt null", LogFilter, `outcome.result gt null`, badLog},
		{"log not without parens", LogFilter, `not eventType eq "x"`, badLog},
		{"log op case", LogFilter, `eventType EQ "x"`, badLog},
		{"log bad number", LogFilter, `debugContext.x eq 1.2.3`, badLog},
		{"log huge number", LogFilter, `debugContext.x eq 1e999`, badLog},
		{"log stray char", LogFilter, `eventType eq "a" & x`, badLog},
		{"log too deep", LogFilter, deep, badLog},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.expr, tt.d)
			if err == nil {
				t.Fatalf("Parse(%q, %v): got %v, want error %s", tt.expr, tt.d, e, tt.code)
			}
			checkError(t, err, tt.code)
		})
	}
}

// checkError asserts that err is an *Error with code and Okta's shape.
func checkError(t *testing.T, err error, code string) {
	t.Helper()
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("got error %T %v, want *Error", err, err)
	}
	if se.Code != code {
		t.Errorf("got code %s, want %s (%v)", se.Code, code, err)
	}
	wantSummary := map[string]string{
		CodeInvalidSearch: "Invalid search criteria.",
		CodeInvalidFilter: "Invalid SCIM filter",
	}[se.Code]
	if se.Summary != wantSummary {
		t.Errorf("got summary %q, want %q", se.Summary, wantSummary)
	}
	if len(se.Causes) != 1 || !strings.HasPrefix(se.Causes[0], "Invalid search ") {
		t.Errorf("got causes %q, want one Okta-style cause", se.Causes)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "scim: "+se.Code+": ") {
		t.Errorf("got message %q, want prefix %q", msg, "scim: "+se.Code+": ")
	}
}

func TestParseUnknownDialect(t *testing.T) {
	_, err := Parse(`status pr`, Dialect(99))
	var se *Error
	if err == nil || errors.As(err, &se) {
		t.Fatalf("got error %v, want a plain error for a caller bug", err)
	}
	if got, want := Dialect(99).String(), "Dialect(99)"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestParserAllowNoMillis(t *testing.T) {
	tests := []struct {
		lit           string
		strict, loose bool
	}{
		{"2024-06-01T00:00:00.000Z", true, true},
		{"2024-06-01T05:30:00.000+05:30", true, true},
		{"2024-06-01T00:00:00Z", false, true},
		{"2024-06-01T00:00:00.5Z", false, true},
		{"2024-06-01T00:00:00.000000Z", false, true},
		{"2024-06-01T00:00:00,000Z", false, false},
		{"2024-06-01T00:00:00.000z", false, false},
		{"2024-06-01T00:00:00.000+0530", false, false},
		{"2024-13-01T00:00:00.000Z", false, false},
		{"2024-06-01", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.lit, func(t *testing.T) {
			expr := `lastUpdated gt "` + tt.lit + `"`
			for _, p := range []struct {
				parser Parser
				want   bool
			}{{Parser{}, tt.strict}, {Parser{AllowNoMillis: true}, tt.loose}} {
				_, err := p.parser.Parse(expr, UserFilter)
				if got := err == nil; got != p.want {
					t.Errorf("%+v: got accepted %v, want %v (%v)",
						p.parser, got, p.want, err)
				}
			}
		})
	}
}

func TestDialectsHaveRules(t *testing.T) {
	for d := UserFilter; d <= LogFilter; d++ {
		if dialects[d] == nil || strings.HasPrefix(d.String(), "Dialect(") {
			t.Errorf("dialect %d: got no rules, want a grammar", int(d))
		}
	}
}
