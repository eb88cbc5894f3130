package oktasim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// pageBench serves one listing through the org's handler in process and
// follows its next links, starting over at the end, so every iteration
// renders a fresh page as a client walking the listing would see it.
type pageBench struct {
	h     http.Handler
	first string
	next  string
}

func newPageBench(b *testing.B, cfg OrgConfig, first string) *pageBench {
	b.Helper()
	cfg.Token = testToken
	cfg.Limits.Off = true
	cfg.Clock = NewManualClock(epoch)
	o, err := NewOrg(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return &pageBench{h: o.Handler(), first: first, next: first}
}

// step fetches the next page and returns its item count.
func (p *pageBench) step(b *testing.B) int {
	req := httptest.NewRequest(http.MethodGet, "http://sim.test"+p.next, nil)
	req.Header.Set("Authorization", "SSWS "+testToken)
	w := httptest.NewRecorder()
	p.h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		b.Fatalf("GET %q: got status %d, want 200: %s", p.next, w.Code, w.Body.Bytes())
	}
	b.StopTimer()
	defer b.StartTimer()
	n, ok := countItems(w.Body.Bytes())
	if !ok {
		b.Fatalf("GET %q: got a body that is not a JSON array: %.200s", p.next, w.Body.Bytes())
	}
	next := links(w.Header())["next"]
	switch u, err := url.Parse(next); {
	case next == "" || n == 0:
		p.next = p.first
	case err != nil:
		b.Fatalf("parsing next %q: %v", next, err)
	default:
		p.next = u.RequestURI()
	}
	return n
}

// pages runs a page benchmark twice: with the render cache, as a client
// re-reading an unchanged org meets it, and without, which times the
// renderers themselves.
func pages(b *testing.B, cfg OrgConfig, first, unit string) {
	for _, v := range []struct {
		name  string
		cache int64
	}{{"cached", 0}, {"uncached", -1}} {
		b.Run(v.name, func(b *testing.B) {
			cfg.RenderCache = v.cache
			newPageBench(b, cfg, first).run(b, unit)
		})
	}
}

// run times b.Loop over pages and reports items rendered per second.
func (p *pageBench) run(b *testing.B, unit string) {
	b.ReportAllocs()
	items := 0
	for b.Loop() {
		items += p.step(b)
	}
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), unit+"/s")
}

func BenchmarkLogPollPage(b *testing.B) {
	pages(b, OrgConfig{Seed: 1, Users: 1000, Events: 200_000}, "/api/v1/logs?limit=1000",
		"events")
}

func BenchmarkBoundedLogPage(b *testing.B) {
	since := url.QueryEscape(formatMillis(epoch.Add(-24 * 60 * 60e9)))
	until := url.QueryEscape(formatMillis(epoch))
	p := newPageBench(b, OrgConfig{Seed: 1, Users: 1000, Events: 200_000},
		"/api/v1/logs?limit=1000&since="+since+"&until="+until)
	p.run(b, "events")
}

func BenchmarkUsersPage(b *testing.B) {
	pages(b, OrgConfig{Seed: 1, Users: 20_000}, "/api/v1/users?limit=200", "users")
}

func BenchmarkGroupUsersPage(b *testing.B) {
	cfg := OrgConfig{Seed: 1, Users: 20_000}
	o := newTestOrgB(b, cfg)
	pages(b, cfg, "/api/v1/groups/"+everyoneID(o.groups)+"/users?limit=1000", "users")
}

func BenchmarkGroupsPage(b *testing.B) {
	pages(b, OrgConfig{Seed: 1, Users: 2000, Groups: 2000}, "/api/v1/groups?limit=200",
		"groups")
}

func BenchmarkAppsPage(b *testing.B) {
	pages(b, OrgConfig{Seed: 1, Users: 2000, Apps: 1000}, "/api/v1/apps?limit=200", "apps")
}

func BenchmarkAppGroupsPage(b *testing.B) {
	cfg := OrgConfig{Seed: 1, Users: 2000, Groups: 400, Apps: 5}
	o := newTestOrgB(b, cfg)
	a := o.apps[0]
	for _, x := range o.apps {
		if len(x.groups) > len(a.groups) {
			a = x
		}
	}
	pages(b, cfg, "/api/v1/apps/"+a.id+"/groups?limit=200", "groups")
}

func BenchmarkAppUsersPage(b *testing.B) {
	cfg := OrgConfig{Seed: 1, Users: 20_000, Apps: 5}
	o := newTestOrgB(b, cfg)
	pages(b, cfg, "/api/v1/apps/"+o.apps[0].id+"/users?limit=500", "users")
}

// newTestOrgB generates the same org newPageBench serves, to find ids.
func newTestOrgB(b *testing.B, cfg OrgConfig) *Org {
	b.Helper()
	cfg.Clock = NewManualClock(epoch)
	o, err := NewOrg(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return o
}

// countItems counts the top-level elements of a JSON array without
// allocating, so the benchmark's own garbage does not weigh on the
// server's timings. It reports false when body is not an array.
func countItems(body []byte) (int, bool) {
	if len(body) < 2 || body[0] != '[' || body[len(body)-1] != ']' {
		return 0, false
	}
	n, depth, inString, escaped := 0, 0, false, false
	for _, c := range body[1 : len(body)-1] {
		switch {
		case escaped:
			escaped = false
		case inString:
			escaped = c == '\\'
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			if depth == 0 {
				n++
			}
			depth++
		case c == '}' || c == ']':
			depth--
		}
	}
	return n, depth == 0 && !inString
}
