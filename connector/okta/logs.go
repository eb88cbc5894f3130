package okta

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Page sizes: the largest Okta serves per endpoint (API.md §0, §10 item 6),
// to spend as few calls of each bucket as possible.
const (
	usersPageSize     = 200
	groupsPageSize    = 200
	membersPageSize   = 1000
	appsPageSize      = 200
	appUsersPageSize  = 500
	appGroupsPageSize = 200
	logsPageSize      = 1000
	logsDefaultLimit  = 100 // what Okta serves when a cursor names no limit
)

// LogQuery starts a System Log poll: from Since, or from a stored cursor.
// A zero Since lets Okta choose (seven days back).
type LogQuery struct {
	Since  time.Time
	Resume string // the last `next` link, followed verbatim
}

// LogPoller reads the System Log in polling mode (API.md §8.2: since
// without until, ascending), where events come in Okta's persistence order
// and every page carries a next link, also once caught up. Not safe for
// concurrent use.
type LogPoller struct {
	c      *Client
	cursor *url.URL
	err    error
}

// Logs returns a poller starting at q.
func (c *Client) Logs(q LogQuery) *LogPoller {
	if q.Resume != "" {
		u, err := url.Parse(q.Resume)
		if err == nil {
			err = c.checkOrigin(u)
		}
		if err != nil {
			return &LogPoller{err: fmt.Errorf("okta: resuming the System Log: %w", err)}
		}
		return &LogPoller{c: c, cursor: u}
	}
	var ps []param
	if !q.Since.IsZero() {
		ps = append(ps, param{"since", timestamp(q.Since)})
	}
	ps = append(ps, param{"limit", strconv.Itoa(logsPageSize)},
		param{"sortOrder", "ASCENDING"})
	return &LogPoller{c: c, cursor: c.endpoint("/api/v1/logs", ps)}
}

// Next makes one request. caughtUp reports a page shorter than the limit:
// stop and poll again later from Cursor.
func (p *LogPoller) Next(ctx context.Context) (events []LogEvent, caughtUp bool, err error) {
	if p.err != nil {
		return nil, false, p.err
	}
	u := p.cursor
	req := request{method: http.MethodGet, url: u}
	read := func(r io.Reader) (err error) {
		events, err = decodePage[LogEvent](r)
		return err
	}
	hdr, err := p.c.exchange(ctx, req, read)
	if err != nil {
		return nil, false, fmt.Errorf("okta: polling the System Log: %w", err)
	}
	next, err := p.c.nextLink(hdr, u)
	if err != nil {
		p.err = fmt.Errorf("okta: polling the System Log: %w", err)
		return nil, false, p.err
	}
	if next != nil {
		// Followed verbatim, even when it equals the page just read: that is
		// how Okta says nothing new was persisted (API.md §8.3).
		p.cursor = next
	} else {
		p.c.log.Warn("system log page without a next link; polling it again",
			"cursor", u.Path)
	}
	return events, len(events) < pageLimit(u), nil
}

// Cursor is the `next` link to store and resume from.
func (p *LogPoller) Cursor() string {
	if p.cursor == nil {
		return ""
	}
	return p.cursor.String()
}

// pageLimit is the limit a System Log URL asks for; Okta's default when it
// names none (API.md §8.1).
func pageLimit(u *url.URL) int {
	n, err := strconv.Atoi(u.Query().Get("limit"))
	if err != nil || n <= 0 {
		return logsDefaultLimit
	}
	return n
}
