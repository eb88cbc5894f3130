package oktasim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"
)

type polledEvent struct {
	UUID      string `json:"uuid"`
	Published string `json:"published"`
	EventType string `json:"eventType"`
}

func poll(t *testing.T, u string) ([]polledEvent, string, string) {
	t.Helper()
	resp, body := get(t, u)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %q: got status %d: %s", u, resp.StatusCode, body)
	}
	var es []polledEvent
	if err := json.Unmarshal(body, &es); err != nil {
		t.Fatalf("decoding events: %v", err)
	}
	ls := links(resp.Header)
	if ls["next"] == "" {
		t.Fatalf("polling page without next link: %v", resp.Header)
	}
	return es, ls["self"], ls["next"]
}

func published(t *testing.T, s string) time.Time {
	t.Helper()
	p, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("parsing published %q: %v", s, err)
	}
	return p
}

// drain polls from u until a short page and returns every event and the
// cursor to resume from.
func drain(t *testing.T, u string, limit int) ([]polledEvent, string, int) {
	t.Helper()
	var all []polledEvent
	calls := 0
	for {
		es, _, next := poll(t, u)
		calls++
		all = append(all, es...)
		u = next
		if len(es) < limit {
			return all, u, calls
		}
	}
}

func TestLogPolling(t *testing.T) {
	clock := NewManualClock(epoch)
	o, srv := StartTest(t, OrgConfig{Seed: 11, Users: 40, Events: 20000, Token: testToken,
		LookBack: time.Hour, Trickle: 10 * time.Minute, Clock: clock})
	since := url.QueryEscape(formatMillis(epoch.AddDate(0, 0, -7)))
	start := srv.URL() + "/api/v1/logs?limit=1000&since=" + since

	es, cursor, calls := drain(t, start, 1000)
	visible := 0
	for e := range o.Events() {
		if !e.Persisted.After(epoch) {
			visible++
		}
	}
	if len(es) != visible || calls != visible/1000+1 {
		t.Fatalf("got %d events in %d calls, want %d in %d", len(es), calls, visible,
			visible/1000+1)
	}
	t.Run("caught up: next equals self", func(t *testing.T) {
		es, self, next := poll(t, cursor)
		if len(es) != 0 || self != next {
			t.Errorf("got %d events, self %q next %q; want none and next == self",
				len(es), self, next)
		}
	})

	var maxSeen time.Time
	seen := map[string]bool{}
	for _, e := range es {
		seen[e.UUID] = true
		if p := published(t, e.Published); p.After(maxSeen) {
			maxSeen = p
		}
	}
	t.Run("late events appear once after resume", func(t *testing.T) {
		uuid, err := o.AddEvent(EventInput{EventType: "user.session.start",
			Published: maxSeen.Add(-30 * time.Second)})
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(10 * time.Minute) // the trickled events persist now
		more, cursor2, _ := drain(t, cursor, 1000)
		late, found := 0, 0
		for _, e := range more {
			if seen[e.UUID] {
				t.Errorf("event %s returned twice", e.UUID)
			}
			seen[e.UUID] = true
			if published(t, e.Published).Before(maxSeen) {
				late++
			}
			if e.UUID == uuid {
				found++
			}
		}
		if found != 1 {
			t.Errorf("added late event returned %d times, want once", found)
		}
		if late < 2 {
			t.Errorf("got %d events published before ones already read, want generated "+
				"and added late arrivals", late)
		}
		if again, _, _ := poll(t, cursor2); len(again) != 0 {
			t.Errorf("got %d events after catching up again, want 0", len(again))
		}
	})
}

func TestLogQueryErrorsAndBounded(t *testing.T) {
	o, srv := StartTest(t, OrgConfig{Seed: 12, Users: 20, Events: 300, Token: testToken,
		Clock: NewManualClock(epoch)})
	tests := []struct {
		name  string
		query string
		code  string
	}{
		{"since over 180 days", "since=" + url.QueryEscape(formatMillis(epoch.AddDate(0, 0, -181))),
			"E0000053"},
		{"bad date", "since=yesterday", "E0000001"},
		{"bad filter", "filter=" + url.QueryEscape(`published gt "x"`), "E0000053"},
		{"co on a url", "filter=" + url.QueryEscape(`debugContext.debugData.url co "x"`),
			"E0000031"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, srv.URL()+"/api/v1/logs?"+tt.query)
			var e map[string]any
			_ = json.Unmarshal(body, &e)
			if resp.StatusCode != 400 || e["errorCode"] != tt.code {
				t.Errorf("got %d %v, want 400 %s", resp.StatusCode, e, tt.code)
			}
		})
	}
	t.Run("bounded query ends and is ordered by published", func(t *testing.T) {
		q := "limit=100&since=" + url.QueryEscape(formatMillis(epoch.AddDate(0, 0, -7))) +
			"&until=" + url.QueryEscape(formatMillis(epoch))
		u := srv.URL() + "/api/v1/logs?" + q
		var last time.Time
		n := 0
		for u != "" {
			resp, body := get(t, u)
			var es []polledEvent
			if err := json.Unmarshal(body, &es); err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				p := published(t, e.Published)
				if p.Before(last) {
					t.Fatalf("published %v after %v, want ascending", p, last)
				}
				last = p
				n++
			}
			u = links(resp.Header)["next"]
		}
		want := 0
		for e := range o.Events() {
			if !e.Published.Before(epoch.AddDate(0, 0, -7)) {
				want++
			}
		}
		if n != want {
			t.Errorf("got %d events, want %d", n, want)
		}
	})
	t.Run("filter on eventType", func(t *testing.T) {
		f := url.QueryEscape(`eventType eq "user.session.start"`)
		es, _, _ := drain(t, srv.URL()+"/api/v1/logs?limit=1000&filter="+f, 1000)
		if len(es) == 0 {
			t.Fatal("got no user.session.start events")
		}
		for _, e := range es {
			if e.EventType != "user.session.start" {
				t.Errorf("got %s, want only user.session.start", e.EventType)
			}
		}
	})
}

// TestDefaultEventsInsideLookBack polls as a connector started minutes
// after the org would, with its default 7-day look-back, and wants every
// generated event (DESIGN.md §7).
func TestDefaultEventsInsideLookBack(t *testing.T) {
	clock := NewManualClock(epoch)
	o := newTestOrg(t, OrgConfig{Seed: 2, Users: 50, Events: 5000, Clock: clock,
		Limits: RateLimits{Off: true}})
	srv, err := Start(ServerConfig{}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	clock.Advance(4 * time.Minute)
	lookBack := 7 * 24 * time.Hour
	since := clock.Now().Add(-lookBack)
	es, _, _ := drain(t, srv.URL()+"/api/v1/logs?limit=1000&since="+
		url.QueryEscape(formatMillis(since)), 1000)
	if len(es) != 5000 {
		t.Errorf("got %d events since %v, want all 5000", len(es), since)
	}
	for _, e := range es {
		if p := published(t, e.Published); p.Before(since) {
			t.Errorf("event %s published %v, want inside the look-back from %v",
				e.UUID, p, since)
		}
	}
}
