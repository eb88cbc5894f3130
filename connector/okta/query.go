package okta

import (
	"net/url"
	"strings"
	"time"
)

// param is one query parameter; a query keeps its parameters in order, as
// Okta's own examples write them.
type param struct{ key, value string }

// encodeQuery percent-encodes a query with %20 for spaces, the form Okta
// documents for search and filter expressions (API.md §4.1), rather than
// the '+' of HTML forms.
func encodeQuery(ps []param) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(escape(p.key))
		b.WriteByte('=')
		b.WriteString(escape(p.value))
	}
	return b.String()
}

// escape is url.QueryEscape with %20 for a space. QueryEscape writes a
// literal '+' as %2B, so every '+' it leaves stands for a space.
func escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// literal quotes s as a string literal of Okta's filter and search grammar:
// double quotes, with backslash and double quote escaped, so that a value
// can never end the literal and inject an operator.
func literal(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// timestamp formats t the way Okta's search and filter grammar wants it:
// UTC with milliseconds and a Z (API.md §4.3; forms without milliseconds
// are unconfirmed).
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// endpoint returns the tenant URL of path with the query.
func (c *Client) endpoint(path string, ps []param) *url.URL {
	u := *c.base
	u.Path = path
	u.RawQuery = encodeQuery(ps)
	return &u
}
