package scim

// dialects holds each dialect's grammar, written from API.md. Every choice
// API.md leaves open takes the reading harder on the client (DESIGN.md §7).
var dialects = map[Dialect]*rules{
	UserFilter:  userFilter(),
	UserSearch:  userSearch(),
	GroupFilter: groupFilter(),
	GroupSearch: groupSearch(),
	AppFilter:   appFilter(),
	LogFilter:   logFilter(),
}

// userFilter: seven attributes, `eq` only except date ranges on
// lastUpdated, no `not`, names and values case-sensitive (API.md §4.1).
func userFilter() *rules {
	eq := attr{kind: kindString, ops: opEq}
	return &rules{
		name: "users filter",
		code: CodeInvalidSearch,
		exact: map[string]attr{
			"status":            eq,
			"id":                eq,
			"profile.login":     eq,
			"profile.email":     eq,
			"profile.firstName": eq,
			"profile.lastName":  eq,
			"lastUpdated":       {kind: kindDate, ops: opEq | opsOrder},
		},
	}
}

// userSearch: any profile attribute plus listed top-level ones; no `ne`,
// `co` only on four profile names; operators and values ignore case
// (API.md §4.1).
func userSearch() *rules {
	str := attr{kind: kindString, ops: opEq | opSw | opPr | opsOrder}
	named := attr{kind: kindString, ops: str.ops | opCo}
	date := attr{kind: kindDate, ops: opEq | opPr | opsOrder}
	return &rules{
		name:     "users search",
		code:     CodeInvalidSearch,
		foldOps:  true,
		foldVals: true,
		exact: map[string]attr{
			"id":                str,
			"status":            str,
			"type.id":           str,
			"created":           date,
			"activated":         date,
			"statusChanged":     date,
			"lastUpdated":       date,
			"profile.firstName": named,
			"profile.lastName":  named,
			"profile.email":     named,
			"profile.login":     named,
		},
		prefixes: []prefix{{
			path: "profile.",
			attr: attr{kind: kindAny, ops: str.ops},
		}},
	}
}

// groupFilter: four attributes, `eq` plus date ranges (API.md §5.1).
func groupFilter() *rules {
	eq := attr{kind: kindString, ops: opEq}
	date := attr{kind: kindDate, ops: opEq | opsOrder}
	return &rules{
		name: "groups filter",
		code: CodeInvalidSearch,
		exact: map[string]attr{
			"id":                    eq,
			"type":                  eq,
			"lastUpdated":           date,
			"lastMembershipUpdated": date,
		},
	}
}

// groupSearch: `eq` and `sw`, `co` on name and description, date ranges
// (API.md §5.1). Case folding mirrors user search (assumed: same index).
func groupSearch() *rules {
	str := attr{kind: kindString, ops: opEq | opSw}
	named := attr{kind: kindString, ops: opEq | opSw | opCo}
	date := attr{kind: kindDate, ops: opEq | opsOrder}
	return &rules{
		name:     "groups search",
		code:     CodeInvalidSearch,
		foldOps:  true,
		foldVals: true,
		exact: map[string]attr{
			"id":                    str,
			"type":                  str,
			"source.id":             str,
			"created":               date,
			"lastUpdated":           date,
			"lastMembershipUpdated": date,
			"profile.name":          named,
			"profile.description":   named,
		},
		prefixes: []prefix{{
			path: "profile.",
			attr: attr{kind: kindAny, ops: opEq | opSw},
		}},
	}
}

// appFilter: `eq` on the spec's and the older docs' attributes
// (API.md §6.1).
func appFilter() *rules {
	eq := attr{kind: kindString, ops: opEq}
	return &rules{
		name: "apps filter",
		code: CodeInvalidSearch,
		exact: map[string]attr{
			"id":                      eq,
			"status":                  eq,
			"name":                    eq,
			"user.id":                 eq,
			"group.id":                eq,
			"credentials.signing.kid": eq,
			"settings.slo.enabled":    {kind: kindBool, ops: opEq},
		},
	}
}

// logFilter: every operator and `not` on the LogEvent fields except
// `published`; `co` on the two URL fields is E0000031, any other fault
// E0000053 (API.md §8.1).
func logFilter() *rules {
	field := attr{kind: kindAny, ops: opsAll}
	url := attr{kind: kindAny, ops: opsAll &^ opCo, badOp: CodeInvalidSearch}
	r := &rules{
		name: "system log filter",
		code: CodeInvalidFilter,
		not:  true,
		null: true,
		exact: map[string]attr{
			"uuid":                              field,
			"eventType":                         field,
			"version":                           field,
			"severity":                          field,
			"legacyEventType":                   field,
			"displayMessage":                    field,
			"debugContext.debugData.url":        url,
			"debugContext.debugData.requestUri": url,
		},
		forbid: map[string]string{
			"published": "published cannot be filtered; use since and until",
		},
	}
	for _, p := range []string{
		"actor.", "client.", "outcome.", "target.", "transaction.",
		"debugContext.", "authenticationContext.", "securityContext.",
		"request.",
	} {
		r.prefixes = append(r.prefixes, prefix{path: p, deep: true, attr: field})
	}
	return r
}
