package okta

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// stormServer answers 429 to its first limited requests (all of them when
// limited is negative) with a reset resetIn ahead on the fake clock, then
// 200. It counts what it answered.
type stormServer struct {
	t       *testing.T
	clock   *fakeClock
	resetIn time.Duration
	limited int
	served  atomic.Int64
}

func (s *stormServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.served.Add(1)
	now := s.clock.Now().Truncate(time.Second)
	w.Header().Set("Date", now.Format(http.TimeFormat))
	w.Header().Set("X-Rate-Limit-Limit", "100")
	w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(now.Add(s.resetIn).Unix(), 10))
	if s.limited < 0 || n <= int64(s.limited) {
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		writeJSON(w, http.StatusTooManyRequests, sample(s.t, "error-429-rate-limit.json"))
		return
	}
	w.Header().Set("X-Rate-Limit-Remaining", "99")
	writeJSON(w, http.StatusOK, []byte(`{"id":"0oa1"}`))
}

// TestRateLimitPatience drives 429 storms of several shapes through the
// fake clock and checks how long the request waited, what it became and
// what its error says.
func TestRateLimitPatience(t *testing.T) {
	tests := []struct {
		name     string
		resetIn  time.Duration
		limited  int           // 429s before a 200; -1: for ever
		patience time.Duration // 0: the default
		// wantWaitMin and wantWaitMax bound the fake time the call took.
		wantWaitMin, wantWaitMax time.Duration
		wantCalls                int64
		wantNext                 bool     // gave up on a wait past patience
		wantAnswers              int      // 429s in the error; 0: success
		wantMsg                  []string // in the error
	}{
		{name: "permanent storm gives up within the default patience",
			resetIn: 50 * time.Second, limited: -1,
			wantWaitMin: 2 * time.Minute, wantWaitMax: DefaultRateLimitPatience,
			wantCalls: 4, wantNext: true, wantAnswers: 4,
			wantMsg: []string{"/api/v1/apps/0oa1: Okta's apps rate limit held the request",
				"(Okta answered 429 4 times)", "past the 3m0s a request may wait",
				"another integration may be using this org's rate limit",
				"lower RATE_LIMIT_SHARE or retry later"}},
		{name: "short patience fails at once rather than wait a window",
			resetIn: 50 * time.Second, limited: -1, patience: 30 * time.Second,
			wantCalls: 1, wantNext: true, wantAnswers: 1,
			wantMsg: []string{"rate limit is spent (Okta answered 429 once)",
				"the next try is 51s away, past the 30s a request may wait"}},
		{name: "short patience rides out a window about to reset",
			resetIn: 10 * time.Second, limited: 1, patience: 30 * time.Second,
			wantWaitMin: 10 * time.Second, wantWaitMax: 30 * time.Second, wantCalls: 2},
		{name: "quick 429s in a row still stop at the attempts cap",
			resetIn: time.Second, limited: -1,
			wantWaitMin: time.Minute, wantWaitMax: DefaultRateLimitPatience,
			wantCalls: maxRateRetries, wantAnswers: maxRateRetries,
			wantMsg: []string{"(Okta answered 429 10 times), too many in a row"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			srv := &stormServer{t: t, clock: clock, resetIn: tt.resetIn, limited: tt.limited}
			env := newEnv(t, srv, func(c *Config) { c.Clock = clock })
			ctx := context.Background()
			if tt.patience > 0 {
				ctx = WithRateLimitPatience(ctx, tt.patience)
			}
			start := clock.Now()
			_, err := env.client.App(ctx, "0oa1")
			waited := clock.Now().Sub(start)
			if waited < tt.wantWaitMin || waited > tt.wantWaitMax {
				t.Errorf("waited %s, want %s to %s", waited, tt.wantWaitMin, tt.wantWaitMax)
			}
			if got := srv.served.Load(); got != tt.wantCalls {
				t.Errorf("got %d requests, want %d", got, tt.wantCalls)
			}
			if tt.wantAnswers == 0 {
				if err != nil {
					t.Fatalf("got error %v, want success", err)
				}
				return
			}
			checkRateLimited(t, err, tt.wantAnswers, tt.wantNext, tt.wantMsg)
			t.Logf("after %s: %v", waited, err)
		})
	}
}

// checkRateLimited wants err to be a *RateLimitedError of answers 429s
// that matches ErrRateLimited, unwraps to Okta's 429 and says msg.
func checkRateLimited(t *testing.T, err error, answers int, next bool, msg []string) {
	t.Helper()
	var re *RateLimitedError
	if !errors.As(err, &re) {
		t.Fatalf("got %v (%T), want a *RateLimitedError", err, err)
	}
	if re.Answers != answers || (re.Next > 0) != next || re.Bucket != "apps" {
		t.Errorf("got answers %d, next %s, bucket %q; want %d, next %v, apps",
			re.Answers, re.Next, re.Bucket, answers, next)
	}
	if re.Next > 0 && re.Waited+re.Next <= re.Patience {
		t.Errorf("gave up on a wait of %s after %s, within the patience %s",
			re.Next, re.Waited, re.Patience)
	}
	var oe *Error
	if !errors.Is(err, ErrRateLimited) || !errors.As(err, &oe) || oe.Status != 429 {
		t.Errorf("got %v, want it to match ErrRateLimited and unwrap to Okta's 429", err)
	}
	for _, want := range msg {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got message\n%s\nwant it to say %q", err, want)
		}
	}
}

// TestPacingCountsAgainstPatience spends the bucket down to this client's
// reserve without a 429: the pacing wait until the reset counts too, so a
// short patience refuses it, and the error matches ErrRateLimited though
// Okta never answered 429.
func TestPacingCountsAgainstPatience(t *testing.T) {
	clock := newFakeClock()
	var served atomic.Int64
	env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		now := clock.Now().Truncate(time.Second)
		w.Header().Set("Date", now.Format(http.TimeFormat))
		w.Header().Set("X-Rate-Limit-Limit", "100")
		// Another integration leaves 40 of 100: below the reserve of a
		// half share, so the next call waits for the window to reset.
		w.Header().Set("X-Rate-Limit-Remaining", "40")
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(now.Unix()+45, 10))
		writeJSON(w, http.StatusOK, []byte(`{"id":"0oa1"}`))
	}), func(c *Config) { c.Clock = clock })
	ctx := WithRateLimitPatience(context.Background(), 20*time.Second)
	if _, err := env.client.App(ctx, "0oa1"); err != nil {
		t.Fatalf("first call: got %v, want success (a new window's probe)", err)
	}
	start := clock.Now()
	_, err := env.client.App(ctx, "0oa1")
	var re *RateLimitedError
	if !errors.As(err, &re) || re.Answers != 0 || re.Last != nil || re.Next < 40*time.Second {
		t.Fatalf("got %v, want a *RateLimitedError of no 429 refusing a ~45s wait", err)
	}
	if !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "(no 429 yet)") {
		t.Errorf("got %v, want it to match ErrRateLimited and say no 429 came", err)
	}
	if waited := clock.Now().Sub(start); waited != 0 || served.Load() != 1 {
		t.Errorf("waited %s and sent %d requests, want no wait and 1", waited, served.Load())
	}
}

// TestPatienceIsPerRequest: what one request waited is not charged to the
// next, and a context without patience has the default.
func TestPatienceIsPerRequest(t *testing.T) {
	tests := []struct {
		name string
		ctx  context.Context
		want time.Duration
	}{
		{"default", context.Background(), DefaultRateLimitPatience},
		{"set", WithRateLimitPatience(context.Background(), time.Minute), time.Minute},
		{"negative is none", WithRateLimitPatience(context.Background(), -time.Second), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newRateWaits(tt.ctx, "/api/v1/users")
			if w.patience != tt.want || w.bucket != "users" || w.waited != 0 {
				t.Errorf("got patience %s, bucket %q, waited %s; want %s, users, 0",
					w.patience, w.bucket, w.waited, tt.want)
			}
		})
	}
	clock := newFakeClock()
	srv := &stormServer{t: t, clock: clock, resetIn: 20 * time.Second, limited: 1}
	env := newEnv(t, srv, func(c *Config) { c.Clock = clock })
	ctx := WithRateLimitPatience(context.Background(), 25*time.Second)
	for i := range 2 {
		srv.served.Store(0)
		if _, err := env.client.App(ctx, "0oa1"); err != nil {
			t.Fatalf("call %d: got %v, want success after one wait of ~20s", i, err)
		}
	}
}
