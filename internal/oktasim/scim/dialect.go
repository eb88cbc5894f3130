package scim

import (
	"fmt"
	"strings"
)

// Dialect names the endpoint parameter an expression is written for; each
// accepts a different subset of the grammar.
type Dialect int

// The dialects, one per endpoint parameter the simulator serves.
const (
	// UserFilter is `filter` on GET /api/v1/users (API.md §4.1).
	UserFilter Dialect = iota
	// UserSearch is `search` on GET /api/v1/users (API.md §4.1).
	UserSearch
	// GroupFilter is `filter` on GET /api/v1/groups (API.md §5.1).
	GroupFilter
	// GroupSearch is `search` on GET /api/v1/groups (API.md §5.1).
	GroupSearch
	// AppFilter is `filter` on GET /api/v1/apps (API.md §6.1).
	AppFilter
	// LogFilter is `filter` on GET /api/v1/logs (API.md §8.1).
	LogFilter
)

// String names the dialect as error messages do.
func (d Dialect) String() string {
	if r, ok := dialects[d]; ok {
		return r.name
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// kind is what an attribute holds, which decides the literals it takes.
type kind int

const (
	kindString kind = iota
	kindDate        // literal must be an Okta timestamp
	kindBool
	kindAny // custom or loosely typed: any literal, compared by type
)

// attr is what a dialect allows on one attribute.
type attr struct {
	kind kind
	ops  op
	// badOp is the code for an operator outside ops when it differs
	// from the dialect's own.
	badOp string
}

// prefix admits every attribute under a path such as "profile.".
type prefix struct {
	path string
	deep bool // more than one segment may follow
	attr attr
}

// rules is one dialect's grammar.
type rules struct {
	name     string
	code     string // code for every rejection not overridden by attr
	foldOps  bool   // keywords match in any case
	foldVals bool   // string values compare ignoring case
	not      bool   // `not (…)` allowed
	null     bool   // `null` literal allowed with eq and ne
	exact    map[string]attr
	// forbid names attributes the endpoint refuses, with the reason.
	forbid   map[string]string
	prefixes []prefix
}

// lookup reports the rule for the attribute at path.
func (r *rules) lookup(path string) (attr, bool) {
	if a, ok := r.exact[path]; ok {
		return a, true
	}
	for _, p := range r.prefixes {
		rest, ok := strings.CutPrefix(path, p.path)
		if ok && rest != "" && (p.deep || !strings.Contains(rest, ".")) {
			return p.attr, true
		}
	}
	return attr{}, false
}
