package oktasim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/okta-connector/okta-connector/internal/oktasim/scim"
)

// TestBoundedLogsMatchFullScan walks bounded queries page by page and
// wants exactly the events a scan of the whole range finds, in the same
// order: the windowed scan must neither drop a late arrival nor repeat or
// reorder an event at a page edge.
func TestBoundedLogsMatchFullScan(t *testing.T) {
	clock := NewManualClock(epoch)
	o := newTestOrg(t, OrgConfig{Seed: 9, Users: 200, Events: 6000, LookBack: 24 * time.Hour,
		LateMax: 40 * time.Minute, Clock: clock, Limits: RateLimits{Off: true}})
	for i, ago := range []time.Duration{3 * time.Hour, 20 * time.Minute, time.Second} {
		clock.Advance(time.Duration(i+1) * time.Second)
		if _, err := o.AddEvent(EventInput{EventType: "user.session.start",
			Published: epoch.Add(-ago)}); err != nil {
			t.Fatalf("adding late event: %v", err)
		}
	}
	srv, err := Start(ServerConfig{}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	day := epoch.Add(-24 * time.Hour)
	tests := []struct {
		name         string
		since, until time.Time
		limit        int
		desc         bool
		filter       string
	}{
		{"whole day ascending", day, epoch, 1000, false, ""},
		{"small pages", epoch.Add(-3*time.Hour - time.Minute), epoch, 7, false, ""},
		{"descending", day, epoch.Add(time.Hour), 250, true, ""},
		{"descending small pages", epoch.Add(-4 * time.Hour), epoch, 9, true, ""},
		{"sparse filter", day, epoch, 5, false, `eventType eq "user.account.lock"`},
		{"sparse filter descending", day, epoch, 5, true, `eventType eq "user.lifecycle.create"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{"since": {formatMillis(tt.since)}, "until": {formatMillis(tt.until)},
				"limit": {strconv.Itoa(tt.limit)}}
			if tt.desc {
				q.Set("sortOrder", "DESCENDING")
			}
			if tt.filter != "" {
				q.Set("filter", tt.filter)
			}
			got, pages := walkBounded(t, srv.URL()+"/api/v1/logs?"+q.Encode())
			want := fullScan(t, o, tt.since, tt.until, tt.desc, tt.filter)
			if len(want) == 0 {
				t.Fatal("got an empty reference, want events to compare")
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("events (-full scan +paged, %d pages):\n%s", pages, diff)
			}
		})
	}
}

// walkBounded follows next links and returns every uuid in order.
func walkBounded(t *testing.T, u string) ([]string, int) {
	t.Helper()
	var out []string
	pages := 0
	for u != "" && pages < 5000 {
		resp, body := get(t, u)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %q: got status %d: %s", u, resp.StatusCode, body)
		}
		var es []polledEvent
		if err := json.Unmarshal(body, &es); err != nil {
			t.Fatalf("decoding %q: %v", u, err)
		}
		for _, e := range es {
			out = append(out, e.UUID)
		}
		pages++
		u = links(resp.Header)["next"]
	}
	return out, pages
}

// fullScan is the reference: every visible event published in
// [since, until) that matches, sorted by published then persistence.
func fullScan(t *testing.T, o *Org, since, until time.Time, desc bool,
	filter string) []string {
	t.Helper()
	match := func(*event) bool { return true }
	if filter != "" {
		expr, err := parseExpr(filter, scim.LogFilter)
		if err != nil {
			t.Fatalf("parsing %q: %v", filter, err)
		}
		match = func(e *event) bool { return expr.Match(eventObj{e}) }
	}
	var es []*event
	for i := range o.log.n {
		if e := o.log.generate(i); e.persisted.UnixMilli() <= o.now().UnixMilli() {
			es = append(es, e)
		}
	}
	es = append(es, o.log.extra...)
	es = slices.DeleteFunc(es, func(e *event) bool {
		return e.published.Before(since) || !e.published.Before(until) || !match(e)
	})
	slices.SortFunc(es, func(a, b *event) int {
		ka, kb := publishedKey(a), publishedKey(b)
		if ka == kb {
			return 0
		}
		if ka.less(kb) != desc {
			return -1
		}
		return 1
	})
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.uuid
	}
	return out
}
