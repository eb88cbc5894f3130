package scim

import (
	"testing"
	"time"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("parsing %q: %v", s, err)
	}
	return v
}

func TestMatch(t *testing.T) {
	user := Map{
		"id":                  "00u1",
		"status":              "ACTIVE",
		"lastUpdated":         mustTime(t, "2024-06-11T14:02:11.000Z"),
		"created":             "2024-01-01T00:00:00.000Z",
		"profile.login":       "Alice@Example.com",
		"profile.firstName":   "Alice",
		"profile.lastName":    "Brown",
		"profile.mobilePhone": nil,
		"profile.nickName":    "",
		"profile.tags":        []string{"red", "Blue"},
		"profile.none":        []string{},
		"profile.level":       3.0,
		"profile.city":        "Zürich",
	}
	event := Map{
		"eventType":                 "a",
		"outcome.result":            "SUCCESS",
		"target.id":                 []string{"00u1", "00u2"},
		"client.zone":               nil,
		"securityContext.isProxy":   false,
		"debugContext.debugData.at": mustTime(t, "2024-06-11T00:00:00.000Z"),
	}
	tests := []struct {
		name string
		d    Dialect
		expr string
		obj  Map
		want bool
	}{
		{"filter eq", UserFilter, `status eq "ACTIVE"`, user, true},
		{"filter value case", UserFilter, `status eq "active"`, user, false},
		{"search value case", UserSearch, `status eq "active"`, user, true},
		{"search sw folds", UserSearch, `profile.login sw "alice@"`, user, true},
		{"search co folds", UserSearch, `profile.firstName co "LIC"`, user, true},
		{"search co misses", UserSearch, `profile.firstName co "bob"`, user, false},
		{"diacritics kept", UserSearch, `profile.city eq "zurich"`, user, false},
		{"diacritics folded", UserSearch, `profile.city eq "ZÜRICH"`, user, true},
		{"date gt", UserFilter,
			`lastUpdated gt "2024-06-11T14:02:10.999Z"`, user, true},
		{"date gt equal", UserFilter,
			`lastUpdated gt "2024-06-11T14:02:11.000Z"`, user, false},
		{"date ge equal", UserFilter,
			`lastUpdated ge "2024-06-11T14:02:11.000Z"`, user, true},
		{"date eq offset", UserFilter,
			`lastUpdated eq "2024-06-11T16:02:11.000+02:00"`, user, true},
		{"date lt", UserFilter,
			`lastUpdated lt "2024-06-11T14:02:11.000Z"`, user, false},
		{"date le", UserFilter,
			`lastUpdated le "2024-06-11T14:02:11.000Z"`, user, true},
		{"string-held date", UserSearch,
			`created gt "2023-12-31T23:59:59.999Z"`, user, true},
		{"pr present", UserSearch, `profile.login pr`, user, true},
		{"pr null", UserSearch, `profile.mobilePhone pr`, user, false},
		{"pr empty string", UserSearch, `profile.nickName pr`, user, false},
		{"pr empty list", UserSearch, `profile.none pr`, user, false},
		{"pr list", UserSearch, `profile.tags pr`, user, true},
		{"pr missing", UserSearch, `profile.missing pr`, user, false},
		{"list any element", UserSearch, `profile.tags eq "blue"`, user, true},
		{"list no element", UserSearch, `profile.tags eq "green"`, user, false},
		{"number gt", UserSearch, `profile.level gt 2`, user, true},
		{"number le", UserSearch, `profile.level le 2`, user, false},
		{"number vs string", UserSearch, `profile.level gt "2"`, user, false},
		{"string order folds", UserSearch, `profile.lastName gt "a"`, user, true},
		{"missing sw empty", UserSearch, `profile.zip sw ""`, user, false},
		{"and both", UserSearch, `status eq "ACTIVE" and id eq "00u1"`, user, true},
		{"and one", UserSearch, `status eq "ACTIVE" and id eq "00u2"`, user, false},
		{"or one", UserSearch, `status eq "X" or id eq "00u1"`, user, true},
		{"or none", UserSearch, `status eq "X" or id eq "00u2"`, user, false},
		{"precedence", LogFilter,
			`eventType eq "a" or eventType eq "b" and outcome.result eq "FAILURE"`,
			event, true},
		{"parens override", LogFilter,
			`(eventType eq "a" or eventType eq "b") and outcome.result eq "FAILURE"`,
			event, false},
		{"ne missing", LogFilter, `actor.id ne "x"`, event, false},
		{"not missing", LogFilter, `not (actor.id eq "x")`, event, true},
		{"not present", LogFilter, `not (eventType eq "a")`, event, false},
		{"ne differs", LogFilter, `eventType ne "b"`, event, true},
		{"ne same", LogFilter, `eventType ne "a"`, event, false},
		{"ne case-sensitive", LogFilter, `eventType ne "A"`, event, true},
		{"eq null on null", LogFilter, `client.zone eq null`, event, true},
		{"eq null on value", LogFilter, `eventType eq null`, event, false},
		{"eq null missing", LogFilter, `actor.id eq null`, event, false},
		{"ne null on value", LogFilter, `eventType ne null`, event, true},
		{"ne null on null", LogFilter, `client.zone ne null`, event, false},
		{"ne on null", LogFilter, `client.zone ne "x"`, event, false},
		{"target any", LogFilter, `target.id eq "00u2"`, event, true},
		{"target ne any", LogFilter, `target.id ne "00u2"`, event, false},
		{"ew", LogFilter, `outcome.result ew "CESS"`, event, true},
		{"bool eq", LogFilter, `securityContext.isProxy eq false`, event, true},
		{"bool ne", LogFilter, `securityContext.isProxy ne true`, event, true},
		{"bool vs string", LogFilter, `securityContext.isProxy eq "false"`, event, false},
		{"time vs plain string", LogFilter,
			`debugContext.debugData.at eq "x"`, event, false},
		{"time vs timestamp", LogFilter,
			`debugContext.debugData.at lt "2024-06-12T00:00:00Z"`, event, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.expr, tt.d)
			if err != nil {
				t.Fatalf("Parse(%q, %v): %v", tt.expr, tt.d, err)
			}
			if got := e.Match(tt.obj); got != tt.want {
				t.Errorf("%s: got %v, want %v", tt.expr, got, tt.want)
			}
		})
	}
}
