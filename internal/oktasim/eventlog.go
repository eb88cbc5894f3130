package oktasim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// eventLog is the System Log in persistence order: n generated events
// computed on demand from (seed, index), so a million of them cost no
// memory, followed (and interleaved by time) by the events appended since.
//
// The order key is (persisted ms, stream, index) with generated events
// before appended ones at the same millisecond. An appended event takes
// the current time, so it always sorts after everything already visible:
// a poller resuming from its cursor sees it (API.md §8.2, polling is by
// persistence time).
type eventLog struct {
	seed    uint64
	n       int
	start   int64 // persisted ms of generated event 0
	span    int64 // ms over which generated events are spread
	lateMax int64 // ms
	extra   []*event
	world   *snapshot // generated users, groups and apps events refer to
	cache   *renderCache
}

// snapshot keeps the generated directory so generated events render the
// same whatever mutations happen later.
type snapshot struct {
	users  []*user
	groups []*group
	apps   []*app
	admin  *user
}

// logKey orders events by persistence; n is 2i+1 for generated event i
// and 2k+2 for appended event k, which is also the cursor's shape
// "<ms>_<n>" (API.md §3: logs cursors look like 1627500044869_1).
type logKey struct {
	ms int64
	n  int64
}

func (k logKey) appended() bool { return k.n%2 == 0 }

func (k logKey) less(o logKey) bool {
	if k.ms != o.ms {
		return k.ms < o.ms
	}
	if k.appended() != o.appended() {
		return !k.appended()
	}
	return k.n < o.n
}

func (k logKey) String() string { return fmt.Sprintf("%d_%d", k.ms, k.n) }

func parseLogKey(s string) (logKey, bool) {
	a, b, ok := strings.Cut(s, "_")
	if !ok {
		return logKey{}, false
	}
	ms, err1 := strconv.ParseInt(a, 10, 64)
	n, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || n < 1 || ms < 0 {
		return logKey{}, false
	}
	return logKey{ms, n}, true
}

func (l *eventLog) genMs(i int) int64 {
	return l.start + l.span*int64(i)/int64(max(l.n, 1))
}

func (l *eventLog) genKey(i int) logKey { return logKey{l.genMs(i), int64(2*i + 1)} }

// cursor points into both streams: the next generated and appended event.
type cursor struct{ g, a int }

// seek returns the position of the first event whose key is after k.
func (l *eventLog) seek(k logKey) cursor {
	g := sort.Search(l.n, func(i int) bool { return k.less(l.genKey(i)) })
	a := sort.Search(len(l.extra), func(j int) bool { return k.less(l.extra[j].key) })
	return cursor{g, a}
}

// seekTime returns the position of the first event persisted at or after t.
func (l *eventLog) seekTime(t time.Time) cursor {
	return l.seek(logKey{t.UnixMilli() - 1, 1 << 62})
}

// next returns the event at c and advances it, or nil at the end. An event
// is visible when its persistence time has passed, and appended events
// are visible at once.
func (l *eventLog) next(c *cursor, now time.Time) *event {
	var gk logKey
	hasG := c.g < l.n
	if hasG {
		gk = l.genKey(c.g)
	}
	if c.a < len(l.extra) && (!hasG || l.extra[c.a].key.less(gk)) {
		e := l.extra[c.a]
		c.a++
		return e
	}
	if !hasG || gk.ms > now.UnixMilli() {
		return nil
	}
	e := l.generate(c.g)
	c.g++
	return e
}

// appendAt stores e with the next key at now.
func (l *eventLog) append(e *event, now time.Time) {
	ms := now.UnixMilli()
	if k := len(l.extra); k > 0 && l.extra[k-1].key.ms > ms {
		ms = l.extra[k-1].key.ms
	}
	e.key = logKey{ms, int64(2*len(l.extra) + 2)}
	e.persisted = time.UnixMilli(ms).UTC()
	if e.published.IsZero() || e.published.After(e.persisted) {
		e.published = e.persisted
	}
	l.extra = append(l.extra, e)
}

// lateBound is more than a generated event's published time can precede
// its persistence, which bounds the scan of a query by published time:
// the lag (LateMax, or 1.5 s for the ordinary out-of-order ones) plus up
// to a second lost when published drops its milliseconds (see lag and
// generate).
func (l *eventLog) lateBound() time.Duration {
	return time.Duration(max(l.lateMax, 1500)+1000) * time.Millisecond
}

// firstAtOrAfter returns the index of the first generated event persisted
// at or after ms.
func (l *eventLog) firstAtOrAfter(ms int64) int {
	return sort.Search(l.n, func(i int) bool { return l.genMs(i) >= ms })
}
