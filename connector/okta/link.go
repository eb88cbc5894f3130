package okta

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// link is one link-value of a Link header: its target and relation types.
type link struct {
	target string
	rels   []string
}

// errLinkSyntax is a Link header this parser cannot read. It is an error,
// not a skipped value: a lost next link would end a listing early and look
// complete.
var errLinkSyntax = errors.New("malformed Link header")

// parseLinks reads every link-value of the Link field values (RFC 8288 §3):
// several values per line separated by commas, several lines, quoted or
// bare parameters, and a rel that lists several types ("next self").
func parseLinks(values []string) ([]link, error) {
	var links []link
	for _, v := range values {
		s := linkScanner{in: v}
		for {
			s.skip(" \t,")
			if s.done() {
				break
			}
			l, err := s.linkValue()
			if err != nil {
				return nil, fmt.Errorf("%w: %w", errLinkSyntax, err)
			}
			links = append(links, l)
		}
	}
	return links, nil
}

// linkScanner walks one Link field value.
type linkScanner struct {
	in  string
	pos int
}

func (s *linkScanner) done() bool { return s.pos >= len(s.in) }

func (s *linkScanner) peek() byte { return s.in[s.pos] }

// skip advances over any bytes of set.
func (s *linkScanner) skip(set string) {
	for !s.done() && strings.IndexByte(set, s.peek()) >= 0 {
		s.pos++
	}
}

// linkValue reads `<target>` and its parameters, up to a comma or the end.
func (s *linkScanner) linkValue() (link, error) {
	if s.peek() != '<' {
		return link{}, fmt.Errorf("want '<' at offset %d", s.pos)
	}
	end := strings.IndexByte(s.in[s.pos:], '>')
	if end < 0 {
		return link{}, errors.New("unterminated '<'")
	}
	l := link{target: s.in[s.pos+1 : s.pos+end]}
	s.pos += end + 1
	seenRel := false
	for {
		s.skip(" \t")
		if s.done() || s.peek() == ',' {
			return l, nil
		}
		if s.peek() != ';' {
			return link{}, fmt.Errorf("want ';' at offset %d", s.pos)
		}
		s.pos++
		name, value, err := s.param()
		if err != nil {
			return link{}, err
		}
		// RFC 8288 §3.3: a rel that occurs more than once counts once, the first.
		if strings.EqualFold(name, "rel") && !seenRel {
			seenRel = true
			l.rels = strings.Fields(strings.ToLower(value))
		}
	}
}

// param reads `name`, `name=token` or `name="quoted string"`.
func (s *linkScanner) param() (name, value string, err error) {
	s.skip(" \t")
	name = s.token()
	if name == "" {
		return "", "", fmt.Errorf("want a parameter name at offset %d", s.pos)
	}
	s.skip(" \t")
	if s.done() || s.peek() != '=' {
		return name, "", nil
	}
	s.pos++
	s.skip(" \t")
	if !s.done() && s.peek() == '"' {
		value, err = s.quoted()
		return name, value, err
	}
	return name, s.token(), nil
}

// token reads bytes up to a delimiter.
func (s *linkScanner) token() string {
	start := s.pos
	for !s.done() && strings.IndexByte(" \t;,=\"", s.peek()) < 0 {
		s.pos++
	}
	return s.in[start:s.pos]
}

// quoted reads a quoted-string with backslash escapes (RFC 9110 §5.6.4).
func (s *linkScanner) quoted() (string, error) {
	var b strings.Builder
	for s.pos++; !s.done(); s.pos++ {
		switch c := s.peek(); c {
		case '"':
			s.pos++
			return b.String(), nil
		case '\\':
			s.pos++
			if s.done() {
				return "", errors.New("dangling escape in quoted string")
			}
			b.WriteByte(s.peek())
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("unterminated quoted string")
}

// nextLink returns the rel="next" target of a response to reqURL, resolved
// against it (relative targets are legal, RFC 8288 §3.1), or nil when the
// response has none. A target outside the tenant is ErrForeignLink.
func (c *Client) nextLink(h http.Header, reqURL *url.URL) (*url.URL, error) {
	links, err := parseLinks(h.Values("Link"))
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if !hasRel(l.rels, "next") {
			continue
		}
		ref, err := url.Parse(l.target)
		if err != nil {
			return nil, fmt.Errorf("%w: next target: %w", errLinkSyntax, err)
		}
		next := reqURL.ResolveReference(ref)
		if err := c.checkOrigin(next); err != nil {
			return nil, err
		}
		return next, nil
	}
	return nil, nil
}

// hasRel reports whether rels holds want.
func hasRel(rels []string, want string) bool {
	for _, r := range rels {
		if r == want {
			return true
		}
	}
	return false
}

// checkOrigin refuses a URL whose scheme, host or port differ from the
// tenant's: the Authorization header must never reach another server.
func (c *Client) checkOrigin(u *url.URL) error {
	if u.User == nil && sameOrigin(u, c.base) {
		return nil
	}
	return fmt.Errorf("%w: %s://%s is not the tenant's %s://%s",
		ErrForeignLink, u.Scheme, u.Host, c.base.Scheme, c.base.Host)
}

// sameOrigin compares scheme, host name and port, filling in default ports.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOf(a) == portOf(b)
}

// portOf returns u's port, or its scheme's default.
func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}
