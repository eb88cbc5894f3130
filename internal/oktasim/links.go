package oktasim

import (
	"net/http"
	"net/url"
	"strconv"
)

// limit reads the page size: def when absent, max clamps it (or, with
// Quirks.RejectOverLimit, 400s it; API.md §10 item 6).
func (c *call) limit(def, maxLimit int) (int, *apiError) {
	s := c.q.Get("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, errValidation("limit", "must be a positive integer")
	}
	if n > maxLimit {
		if c.o.cfg.Quirks.RejectOverLimit {
			return 0, errValidation("limit", "must not exceed "+strconv.Itoa(maxLimit))
		}
		n = maxLimit
	}
	return n, nil
}

// pageURL is the absolute URL of this path with q, re-serialised the way
// Okta does it: parameters reordered and the limit added (API.md §3).
func (c *call) pageURL(q url.Values) string {
	return c.base() + c.r.URL.EscapedPath() + "?" + q.Encode()
}

// links sets Link: self and, when next is non-empty, next. Okta writes one
// header line per link, and proxies fold them into one; the default
// alternates per request so a client meets both (API.md §3, §10 item 8).
func (c *call) links(self, next string) {
	ls := []string{"<" + self + `>; rel="self"`}
	if next != "" {
		ls = append(ls, "<"+next+`>; rel="next"`)
	}
	folded := false
	switch c.o.cfg.Quirks.LinkStyle {
	case LinkFolded:
		folded = true
	case LinkMixed:
		folded = c.seq%2 == 0
	}
	if folded {
		joined := ls[0]
		for _, l := range ls[1:] {
			joined += ", " + l
		}
		c.header.Set("Link", joined)
		return
	}
	c.header[http.CanonicalHeaderKey("Link")] = ls
}

// page sets the Link headers of a directory listing: self is the request
// as Okta re-serialises it, next carries every parameter plus after.
func (c *call) page(limit int, nextAfter string) {
	q := cloneValues(c.q)
	q.Set("limit", strconv.Itoa(limit))
	self := c.pageURL(q)
	next := ""
	if nextAfter != "" {
		q.Set("after", nextAfter)
		next = c.pageURL(q)
	}
	c.links(self, next)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
