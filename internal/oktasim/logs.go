package oktasim

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim/scim"
)

const (
	retention = 90 * 24 * time.Hour  // API.md §8.4
	sinceMax  = 180 * 24 * time.Hour // API.md §8.4
)

// logQuery is a parsed /api/v1/logs request.
type logQuery struct {
	since, until time.Time
	hasUntil     bool
	desc         bool
	limit        int
	match        func(*event) bool
}

func logError(code, summary string, causes ...string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, summary: summary,
		causes: causes, logs: true}
}

// parseLogTime accepts ISO-8601 with or without fractions (API.md §8.1).
func parseLogTime(name, s string) (time.Time, *apiError) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		why := name + ": The date format in your query is not recognized. " +
			"Please enter dates using ISO8601 string format."
		return time.Time{}, logError("E0000001", "Api validation failed: '"+name+"': "+
			"The date format in your query is not recognized. Please enter dates using "+
			"ISO8601 string format.", why)
	}
	return t.UTC(), nil
}

func (c *call) logQuery() (logQuery, *apiError) {
	lq := logQuery{}
	limit, err := c.limit(100, 1000)
	if err != nil {
		err.logs = true
		return lq, err
	}
	lq.limit = limit
	switch c.q.Get("sortOrder") {
	case "", "ASCENDING":
	case "DESCENDING":
		lq.desc = true
	default:
		return lq, logError("E0000001", "Api validation failed: sortOrder",
			"sortOrder: must be ASCENDING or DESCENDING")
	}
	lq.until = c.now
	if s := c.q.Get("until"); s != "" {
		if lq.until, err = parseLogTime("until", s); err != nil {
			return lq, err
		}
		lq.hasUntil = true
	}
	// since defaults to 7 days before until (API.md §8.1).
	lq.since = lq.until.Add(-7 * 24 * time.Hour)
	if s := c.q.Get("since"); s != "" {
		if lq.since, err = parseLogTime("since", s); err != nil {
			return lq, err
		}
		if lq.since.Before(c.now.Add(-sinceMax)) {
			return lq, logError("E0000053", "Invalid parameter: The since parameter is "+
				"over 180 days prior to the current day.")
		}
	}
	// Events older than the retention are gone (API.md §8.4).
	lq.since = latest(lq.since, c.now.Add(-retention))
	lq.match, err = c.logMatcher()
	return lq, err
}

// logMatcher combines filter (LogFilter grammar) and q (keywords, each
// at most 40 characters, at most 10; API.md §8.1).
func (c *call) logMatcher() (func(*event) bool, *apiError) {
	var expr scim.Expr
	if f := c.q.Get("filter"); f != "" {
		var err *apiError
		if expr, err = parseExpr(f, scim.LogFilter); err != nil {
			return nil, err
		}
	}
	words := strings.Fields(strings.ToLower(c.q.Get("q")))
	if len(words) > 10 {
		return nil, logError("E0000001", "Api validation failed: q", "q: too many keywords")
	}
	for _, w := range words {
		if len(w) > 40 {
			return nil, logError("E0000001", "Api validation failed: q",
				"q: keyword longer than 40 characters")
		}
	}
	return func(e *event) bool {
		if expr != nil && !expr.Match(eventObj{e}) {
			return false
		}
		return len(words) == 0 || e.hasWords(words)
	}, nil
}

func (e *event) hasWords(words []string) bool {
	text := strings.ToLower(strings.Join([]string{e.typ.name, e.typ.display,
		e.actor.alternateID, e.actor.display, e.failure}, " "))
	for _, t := range e.targets {
		text += " " + strings.ToLower(t.display+" "+t.alternateID)
	}
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// listLogs serves GET /api/v1/logs in polling mode (no until, ascending)
// or bounded mode (API.md §8.2).
func (o *Org) listLogs(c *call) *apiError {
	lq, err := c.logQuery()
	if err != nil {
		return err
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	if !lq.hasUntil && !lq.desc {
		return o.pollLogs(c, lq)
	}
	return o.boundedLogs(c, lq)
}

// pollLogs answers a polling query: events in persistence order, which
// published does not follow; since bounds persistence time, after (when
// present) wins over since; every page has a next link, equal to self
// when nothing new was persisted (API.md §3, §8.2, §11).
func (o *Org) pollLogs(c *call, lq logQuery) *apiError {
	after := c.q.Get("after")
	var cur cursor
	if after != "" {
		k, ok := parseLogKey(after)
		if !ok {
			return logError("E0000001", "Api validation failed: after", "after: not a cursor")
		}
		edge := c.now.Add(-retention)
		switch {
		case k.ms >= edge.UnixMilli():
			cur = o.log.seek(k)
		case o.cfg.Quirks.ResumeExpiredCursor:
			cur = o.log.seekTime(edge)
		default:
			// Resuming a cursor past retention is UNCONFIRMED
			// (API.md §8.4); refusing it is the harder reading.
			return logError("E0000001", "Api validation failed: after",
				"after: the cursor is older than the System Log retention")
		}
	} else {
		cur = o.log.seekTime(lq.since)
	}
	var page []*event
	var last *event
	for len(page) < lq.limit {
		e := o.log.next(&cur, c.now)
		if e == nil {
			break
		}
		last = e
		if lq.match(e) {
			page = append(page, e)
		}
	}
	q := cloneValues(c.q)
	q.Set("limit", strconv.Itoa(lq.limit))
	q.Set("sortOrder", "ASCENDING")
	if !q.Has("since") {
		q.Set("since", formatMillis(lq.since))
	}
	self := c.pageURL(q)
	if last != nil {
		// The cursor moves past what was scanned, matching or not.
		q.Set("after", last.key.String())
	}
	c.links(self, c.pageURL(q))
	return c.renderEvents(page)
}

// renderEvents sets the body to es as a JSON array.
func (c *call) renderEvents(es []*event) *apiError {
	return c.raw(appendEvents(c.buffer(len(es)*eventBytes), es), nil)
}
