package oktasim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestRateLimitHeadersAnd429(t *testing.T) {
	clock := NewManualClock(epoch)
	o, srv := StartTest(t, OrgConfig{Seed: 1, Users: 5, Token: testToken, Clock: clock,
		Limits: RateLimits{Users: 3}})
	tests := []struct {
		path      string
		limit     string
		remaining string
		status    int
	}{
		{"/api/v1/users", "3", "2", 200},
		{"/api/v1/users", "3", "1", 200},
		{"/api/v1/users", "3", "0", 200},
		{"/api/v1/users", "3", "0", 429},
		{"/api/v1/groups", "500", "499", 200}, // another bucket is untouched
		{"/api/v1/apps/x/users", "100", "99", 404},
		{"/api/v1/apps", "100", "98", 200}, // app users spend the apps bucket
	}
	for i, tt := range tests {
		resp, body := get(t, srv.URL()+tt.path)
		h := resp.Header
		if resp.StatusCode != tt.status || h.Get("X-Rate-Limit-Limit") != tt.limit ||
			h.Get("X-Rate-Limit-Remaining") != tt.remaining {
			t.Errorf("call %d %s: got %d limit %s remaining %s, want %d %s %s", i, tt.path,
				resp.StatusCode, h.Get("X-Rate-Limit-Limit"), h.Get("X-Rate-Limit-Remaining"),
				tt.status, tt.limit, tt.remaining)
		}
		if tt.status == 429 {
			var e map[string]any
			_ = json.Unmarshal(body, &e)
			if e["errorCode"] != "E0000047" {
				t.Errorf("got 429 body %s, want E0000047", body)
			}
			reset, _ := strconv.ParseInt(h.Get("X-Rate-Limit-Reset"), 10, 64)
			date, _ := http.ParseTime(h.Get("Date"))
			if wait := reset - date.Unix(); wait <= 0 || wait > 60 {
				t.Errorf("got reset %d s after Date, want within the 60 s window", wait)
			}
		}
	}
	clock.Advance(61 * time.Second)
	resp, _ := get(t, srv.URL()+"/api/v1/users")
	if resp.StatusCode != 200 || resp.Header.Get("X-Rate-Limit-Remaining") != "2" {
		t.Errorf("after the window: got %d remaining %s, want 200 and 2", resp.StatusCode,
			resp.Header.Get("X-Rate-Limit-Remaining"))
	}
	o.SpendRateLimit("users", 2)
	resp, _ = get(t, srv.URL()+"/api/v1/users")
	if resp.StatusCode != 429 {
		t.Errorf("after another client spent the bucket: got %d, want 429", resp.StatusCode)
	}
	var buckets []string
	for _, r := range o.Requests() {
		buckets = append(buckets, r.Bucket)
	}
	if len(buckets) != len(tests)+2 || buckets[4] != "groups" {
		t.Errorf("request log buckets %v, want one entry per call", buckets)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	o, srv := StartTest(t, OrgConfig{Seed: 1, Users: 5, Token: testToken,
		Limits: RateLimits{Concurrency: 1}})
	if err := o.SetFaults(Faults{Latency: 300 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]*http.Response, 3)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/v1/org", nil)
			req.Header.Set("Authorization", "SSWS "+testToken)
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
				results[i] = resp
			}
		}()
		time.Sleep(50 * time.Millisecond)
	}
	wg.Wait()
	limited := 0
	for _, r := range results {
		if r != nil && r.StatusCode == 429 {
			limited++
			h := r.Header
			if h.Get("X-Rate-Limit-Limit") != "0" || h.Get("X-Rate-Limit-Remaining") != "0" {
				t.Errorf("concurrency 429 headers %v, want Limit 0 and Remaining 0", r.Header)
			}
		}
	}
	if limited != 2 {
		t.Errorf("got %d concurrency 429s of 3 overlapping calls, want 2", limited)
	}
}
