package okta

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Pager walks a paginated listing one page (one request) at a time,
// following Okta's Link rel="next" (API.md §3). Not safe for concurrent use.
//
// A failed request leaves the pager where it was, so Next may be called
// again; a structural failure (a next link outside the tenant, a repeating
// cursor, a malformed Link header) is sticky.
type Pager[T any] struct {
	c        *Client
	resource string
	next     *url.URL // nil when the listing is complete
	seen     map[string]struct{}
	omit     bool // send okta-response=omitCredentials
	err      error
}

// newPager starts a listing at first.
func newPager[T any](c *Client, resource string, first *url.URL) *Pager[T] {
	return &Pager[T]{
		c:        c,
		resource: resource,
		next:     first,
		seen:     map[string]struct{}{first.String(): {}},
	}
}

// resumePager continues a listing at a stored cursor, which must be a URL
// on the tenant.
func resumePager[T any](c *Client, resource, cursor string) *Pager[T] {
	u, err := url.Parse(cursor)
	if err == nil {
		err = c.checkOrigin(u)
	}
	if err != nil {
		return &Pager[T]{resource: resource,
			err: fmt.Errorf("okta: resuming %s: %w", resource, err)}
	}
	return newPager[T](c, resource, u)
}

// Next fetches the next page. It returns io.EOF after the last page.
func (p *Pager[T]) Next(ctx context.Context) ([]T, error) {
	if p.err != nil {
		return nil, p.err
	}
	if p.next == nil {
		return nil, io.EOF
	}
	u := p.next
	var items []T
	req := request{method: http.MethodGet, url: u, omitCredentials: p.omit}
	read := func(r io.Reader) (err error) {
		items, err = decodePage[T](r)
		return err
	}
	hdr, err := p.c.exchange(ctx, req, read)
	if err != nil {
		return nil, fmt.Errorf("okta: listing %s: %w", p.resource, err)
	}
	next, err := p.c.nextLink(hdr, u)
	if err != nil {
		p.err = fmt.Errorf("okta: listing %s: following the next link of %s: %w",
			p.resource, u.Path, err)
		return nil, p.err
	}
	if next != nil {
		// A cursor seen before means Okta would serve the same pages again
		// forever; stop now, without requesting it.
		key := next.String()
		if _, dup := p.seen[key]; dup {
			p.err = fmt.Errorf("okta: listing %s: %w after %d pages",
				p.resource, ErrCursorRepeated, len(p.seen))
			return nil, p.err
		}
		p.seen[key] = struct{}{}
	}
	p.next = next
	return items, nil
}

// Cursor is the absolute URL of the page Next would fetch, "" when the
// listing is complete; store it to resume a listing later (Query.Resume).
func (p *Pager[T]) Cursor() string {
	if p.next == nil {
		return ""
	}
	return p.next.String()
}
