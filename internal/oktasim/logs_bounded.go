package oktasim

import (
	"slices"
	"strconv"
)

// boundedLogs answers since..until (or a descending query) ordered by
// published, ties by persistence; the last page has no next (API.md §8.2).
// Its cursor is "<published ms>_<n>".
func (o *Org) boundedLogs(c *call, lq logQuery) *apiError {
	var after *logKey
	if s := c.q.Get("after"); s != "" {
		k, ok := parseLogKey(s)
		if !ok {
			return logError("E0000001", "Api validation failed: after", "after: not a cursor")
		}
		after = &k
	}
	b := boundedScan{log: &o.log, q: lq, after: after, now: c.now.UnixMilli()}
	page, more := b.page()
	q := cloneValues(c.q)
	q.Set("limit", strconv.Itoa(lq.limit))
	self := c.pageURL(q)
	next := ""
	if more {
		q.Set("after", publishedKey(page[len(page)-1]).String())
		next = c.pageURL(q)
	}
	c.links(self, next)
	return c.renderEvents(page)
}

// publishedKey orders a bounded query: published time, ties by
// persistence.
func publishedKey(e *event) logKey { return logKey{e.published.UnixMilli(), e.key.n} }

// boundedScan finds one page of a bounded query without rendering the
// whole range: generated events are persisted in index order and each is
// published at most lateBound before its persistence, so a scan in
// persistence order can stop once no unseen event can sort before the
// page's end. Appended events are few and all considered.
type boundedScan struct {
	log   *eventLog
	q     logQuery
	after *logKey // the previous page's last key, if any
	now   int64   // ms; generated events persisted later are not visible
	found []*event
}

// page returns up to limit events after the cursor, and whether more
// follow.
func (b *boundedScan) page() ([]*event, bool) {
	for _, e := range b.log.extra {
		b.consider(e)
	}
	if b.q.desc {
		b.scanDown()
	} else {
		b.scanUp()
	}
	slices.SortFunc(b.found, b.cmp)
	n := min(b.q.limit, len(b.found))
	return b.found[:n], len(b.found) > b.q.limit
}

// consider keeps e when it is in the range, matches and sorts after the
// cursor.
func (b *boundedScan) consider(e *event) {
	if e.published.Before(b.q.since) || !e.published.Before(b.q.until) || !b.q.match(e) {
		return
	}
	if k := publishedKey(e); b.after != nil && !b.before(*b.after, k) {
		return
	}
	b.found = append(b.found, e)
}

// before reports whether x sorts before y in the query's order.
func (b *boundedScan) before(x, y logKey) bool {
	if b.q.desc {
		return y.less(x)
	}
	return x.less(y)
}

func (b *boundedScan) cmp(x, y *event) int {
	kx, ky := publishedKey(x), publishedKey(y)
	switch {
	case kx == ky:
		return 0
	case b.before(kx, ky):
		return -1
	}
	return 1
}

// edge returns the published ms of the event that would follow the page
// (the limit+1st found so far) the first time that many are found; the
// bound it gives stays valid as more are found, so it is computed once.
func (b *boundedScan) edge(done bool) (int64, bool) {
	if done || len(b.found) <= b.q.limit {
		return 0, false
	}
	slices.SortFunc(b.found, b.cmp)
	return b.found[b.q.limit].published.UnixMilli(), true
}

// scanUp walks generated events upward from the first that can be
// published at or after the lower bound. Once limit+1 are found, an
// event persisted more than lateBound after the limit+1st's publication
// cannot sort before it.
func (b *boundedScan) scanUp() {
	l, late := b.log, b.log.lateBound().Milliseconds()
	lo := b.q.since.UnixMilli()
	if b.after != nil {
		lo = max(lo, b.after.ms)
	}
	stop := min(b.q.until.UnixMilli()+late, b.now)
	cut := false
	for i := l.firstAtOrAfter(lo); i < l.n && l.genMs(i) <= stop; i++ {
		b.consider(l.generate(i))
		if ms, ok := b.edge(cut); ok {
			stop, cut = min(stop, ms+late), true
		}
	}
}

// scanDown walks generated events downward from the last that can be
// published before the upper bound. Once limit+1 are found, an event
// persisted before the limit+1st's publication cannot sort before it
// (in descending order).
func (b *boundedScan) scanDown() {
	l, late := b.log, b.log.lateBound().Milliseconds()
	hi := min(b.q.until.UnixMilli()+late, b.now)
	if b.after != nil {
		hi = min(hi, b.after.ms+late)
	}
	stop := b.q.since.UnixMilli()
	cut := false
	for i := l.firstAtOrAfter(hi+1) - 1; i >= 0 && l.genMs(i) >= stop; i-- {
		b.consider(l.generate(i))
		if ms, ok := b.edge(cut); ok {
			stop, cut = max(stop, ms), true
		}
	}
}
