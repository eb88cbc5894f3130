package check

import (
	"context"
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

// TestRateLimitedProbe spends a bucket for a minute: its probe fails at
// once, without a second request, with the rate-limit words (how long,
// which bucket, what to do), and the probes after it still run. A spent
// org bucket does not stop the check as a wrong domain would.
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
				if got.Status != Fix || !strings.Contains(got.Detail, want) {
					t.Errorf("%s: got %v, want a fix saying %q", tt.permission, got, want)
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
			if Passed(results) {
				t.Error("Passed: got true, want false")
			}
		})
	}
}
