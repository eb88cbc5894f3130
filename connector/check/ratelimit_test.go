package check

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/connector/okta"
)

// limitedOrg answers 429 on the paths of spent, with a window that resets
// in a minute, and a small valid answer elsewhere; it counts requests per
// path.
type limitedOrg struct {
	spent map[string]bool
	mu    sync.Mutex
	hits  map[string]int
}

func (o *limitedOrg) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	o.hits[r.URL.Path]++
	o.mu.Unlock()
	now := time.Now()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	w.Header().Set("X-Rate-Limit-Limit", "600")
	w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(now.Add(time.Minute).Unix(), 10))
	if o.spent[r.URL.Path] {
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"errorCode":"E0000047","errorSummary":` +
			`"API call exceeded rate limit due to too many requests."}`))
		return
	}
	w.Header().Set("X-Rate-Limit-Remaining", "599")
	if r.URL.Path == "/api/v1/org" {
		_, _ = w.Write([]byte(`{"id":"00o1","subdomain":"acme"}`))
		return
	}
	_, _ = w.Write([]byte(`[]`))
}

// count is how many requests path got.
func (o *limitedOrg) count(path string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.hits[path]
}

// TestRateLimitedProbe spends a bucket for a minute: its probe gives up at
// once, without a second request, with the rate-limit words (how long,
// which bucket, what to do), as WAIT, not as a permission to fix, and the
// probes after it still run. A spent org bucket does not stop the check
// as a wrong domain would.
func TestRateLimitedProbe(t *testing.T) {
	tests := []struct {
		name       string
		spent      string
		permission string
		bucket     string
		wantOK     []string
	}{
		{"users", "/api/v1/users", "read users", "users", []string{"read the org's settings"}},
		{"org", "/api/v1/org", "read the org's settings", "api", []string{"read users"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := &limitedOrg{spent: map[string]bool{tt.spent: true}, hits: map[string]int{}}
			srv := httptest.NewServer(org)
			t.Cleanup(srv.Close)
			c, tenant := newClient(t, srv.URL, okta.Credentials{Token: okta.NewToken(testToken)})
			tenant.Streams = []string{"employees"}
			// A guard, not a timing target: waiting out the minute would
			// end the context and fail below.
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()

			results, err := Probe(ctx, c, tenant, time.Now())
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			byName := map[string]Result{}
			for _, r := range results {
				byName[r.Permission] = r
			}
			got := byName[tt.permission]
			for _, want := range []string{tt.spent + ": Okta's " + tt.bucket + " rate limit",
				"(Okta answered 429 once)", "past the 20s a request may wait",
				"lower RATE_LIMIT_SHARE or retry later"} {
				if got.Status != Wait || !strings.Contains(got.Detail, want) {
					t.Errorf("%s: got %v, want a wait saying %q", tt.permission, got, want)
				}
			}
			for _, name := range tt.wantOK {
				if r := byName[name]; r.Status != OK {
					t.Errorf("%s: got %v, want ok", name, r)
				}
			}
			if n := org.count(tt.spent); n != 1 {
				t.Errorf("requests to %s: got %d, want 1 (no wait for the window)", tt.spent, n)
			}
			if v := Verdict(results); v != Wait {
				t.Errorf("Verdict: got %q, want %q", v, Wait)
			}
			var out strings.Builder
			if err := Print(&out, results); err != nil {
				t.Fatal(err)
			}
			summary := fmt.Sprintf("1 of %d permissions not checked: rate limited, "+
				"retry later\n", len(results))
			if !strings.HasSuffix(out.String(), summary) || strings.Contains(out.String(),
				"need a fix") {
				t.Errorf("printed:\n%s\nwant it to end %q and name no fix", out.String(),
					summary)
			}
		})
	}
}

// TestVerdict: a fix outranks a wait, a wait outranks ok, and warnings
// and skips change nothing; the summary counts fixes and waits apart.
func TestVerdict(t *testing.T) {
	r := func(st Status) Result { return Result{Permission: "p", Status: st} }
	tests := []struct {
		name    string
		results []Result
		want    Status
		summary string
	}{
		{"all ok", []Result{r(OK), r(Warn), r(Skipped)}, OK, "all permissions ok"},
		{"wait", []Result{r(OK), r(Wait)}, Wait,
			"1 of 2 permissions not checked: rate limited, retry later"},
		{"fix and wait", []Result{r(Fix), r(Wait), r(Wait)}, Fix,
			"1 of 3 permissions need a fix; 2 of 3 permissions not checked: " +
				"rate limited, retry later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verdict(tt.results); got != tt.want {
				t.Errorf("Verdict: got %q, want %q", got, tt.want)
			}
			if got := summary(tt.results); got != tt.summary {
				t.Errorf("summary: got %q, want %q", got, tt.summary)
			}
		})
	}
}
