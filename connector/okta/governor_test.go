package okta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// windowServer is one Okta rate-limit bucket on the server's own clock
// (the fake clock plus skew): windows of a minute starting at the first
// request after the last one ended, whole-second resets as Okta sends them,
// and another client of the org spending part of each window before ours.
type windowServer struct {
	clock *fakeClock
	skew  time.Duration
	limit int
	other func(window int) int // calls the other client spends at window start

	mu           sync.Mutex
	start        time.Time
	used         int
	windows      int
	ours         int
	oursInWindow int
	maxOursInWin int
	minAfterOurs int
	tooMany      int
	times        []time.Time // server time of each request
}

func (s *windowServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now().Add(s.skew).Truncate(time.Second)
	s.times = append(s.times, now)
	if s.start.IsZero() || !now.Before(s.start.Add(time.Minute)) {
		s.start, s.used, s.oursInWindow = now, 0, 0
		if s.other != nil {
			s.used = s.other(s.windows)
		}
		s.windows++
	}
	reset := s.start.Add(time.Minute).Unix()
	w.Header().Set("Date", now.Format(http.TimeFormat))
	w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(s.limit))
	w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(reset, 10))
	if s.used >= s.limit {
		s.tooMany++
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		writeJSON(w, http.StatusTooManyRequests, []byte(`{"errorCode":"E0000047"}`))
		return
	}
	s.used++
	s.ours++
	s.oursInWindow++
	s.maxOursInWin = max(s.maxOursInWin, s.oursInWindow)
	if s.ours == 1 || s.limit-s.used < s.minAfterOurs {
		s.minAfterOurs = s.limit - s.used
	}
	w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(s.limit-s.used))
	writeJSON(w, http.StatusOK, []byte(`{"id":"0oa1","status":"ACTIVE"}`))
}

// TestGovernorShare runs a 500-call job with four workers against a bucket
// of 100 a minute with a 20% share while another client spends 5 to 15
// calls of each window: no 429, and our own calls never take Remaining
// below 80. The fake clock lets some 40 minutes pass in well under a second.
func TestGovernorShare(t *testing.T) {
	clock := newFakeClock()
	srv := &windowServer{clock: clock, skew: 3 * time.Minute, limit: 100,
		other: func(w int) int { return 5 + 5*(w%3) }}
	env := newEnv(t, srv, func(c *Config) {
		c.Clock = clock
		c.RateShare = 0.2
		c.MaxInFlight = 4
	})
	start := clock.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			for range 125 {
				if _, err := env.client.App(context.Background(), "0oa1"); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("got error %v, want none", err)
	}
	if srv.ours != 500 || srv.tooMany != 0 {
		t.Errorf("got %d calls and %d 429s, want 500 and 0", srv.ours, srv.tooMany)
	}
	if srv.minAfterOurs < 80 {
		t.Errorf("got Remaining %d after one of our calls, want at least 80", srv.minAfterOurs)
	}
	if srv.maxOursInWin > 20 {
		t.Errorf("got %d of our calls in one window, want at most 20", srv.maxOursInWin)
	}
	t.Logf("500 calls in %d windows, %s of fake time", srv.windows, clock.Now().Sub(start))
}

// TestRateLimitResetByServerDate answers a 429 whose reset is 40 s ahead by
// the server's Date while the local clock runs 5 minutes ahead: a client on
// the local clock would retry at once; this one waits for the reset.
func TestRateLimitResetByServerDate(t *testing.T) {
	clock := newFakeClock()
	srv := &windowServer{clock: clock, skew: -5 * time.Minute, limit: 100,
		other: func(int) int { return 100 }} // the window is spent: 429
	env := newEnv(t, srv, func(c *Config) { c.Clock = clock })
	// The first window is spent by the other client; its reset is 60 s on.
	// Start the window 20 s before our request so that reset is 40 s ahead.
	srv.start = clock.Now().Add(srv.skew).Add(-20 * time.Second).Truncate(time.Second)
	srv.used, srv.windows = 100, 1
	reset := srv.start.Add(time.Minute)
	srv.other = nil
	localStart := clock.Now()

	if _, err := env.client.App(context.Background(), "0oa1"); err != nil {
		t.Fatalf("got error %v, want success after the reset", err)
	}
	if len(srv.times) != 2 || srv.tooMany != 1 {
		t.Fatalf("got %d requests and %d 429s, want 2 and 1", len(srv.times), srv.tooMany)
	}
	if srv.times[1].Before(reset) {
		t.Errorf("retry at %s, before the reset %s", srv.times[1], reset)
	}
	if waited := clock.Now().Sub(localStart); waited < 40*time.Second || waited > 2*time.Minute {
		t.Errorf("waited %s, want about 40 s (the reset by the server's clock)", waited)
	}
}

// TestRepeated429sBackOff answers eight 429s in a row whose reset is always
// the next second: the gaps between attempts grow, then stay at the cap.
func TestRepeated429sBackOff(t *testing.T) {
	clock := newFakeClock()
	var times []time.Time
	env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := clock.Now().Truncate(time.Second)
		times = append(times, now)
		w.Header().Set("Date", now.Format(http.TimeFormat))
		w.Header().Set("X-Rate-Limit-Limit", "100")
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(now.Unix()+1, 10))
		if len(times) <= 8 {
			w.Header().Set("X-Rate-Limit-Remaining", "0")
			writeJSON(w, http.StatusTooManyRequests, sample(t, "error-429-rate-limit.json"))
			return
		}
		w.Header().Set("X-Rate-Limit-Remaining", "99")
		writeJSON(w, http.StatusOK, []byte(`{"id":"0oa1"}`))
	}), func(c *Config) { c.Clock = clock })
	if _, err := env.client.App(context.Background(), "0oa1"); err != nil {
		t.Fatalf("got error %v, want success on the ninth attempt", err)
	}
	var gaps []time.Duration
	for i := 1; i < len(times); i++ {
		gaps = append(gaps, times[i].Sub(times[i-1]))
	}
	if len(gaps) != 8 {
		t.Fatalf("got %d gaps, want 8", len(gaps))
	}
	for i := 1; i < len(gaps); i++ {
		if gaps[i] < gaps[i-1] {
			t.Errorf("gap %d: got %s after %s, want no shorter", i, gaps[i], gaps[i-1])
		}
	}
	last := gaps[len(gaps)-2:]
	if last[0] != last[1] || last[1] > time.Second+rateExtraCap {
		t.Errorf("got last gaps %s, want them equal and capped", last)
	}
	if gaps[0] >= gaps[5] {
		t.Errorf("got gaps %v, want growth before the cap", gaps)
	}
}

// TestLongWaitIsAnError gives a reset 20 minutes ahead: the client fails
// at once instead of hanging.
func TestLongWaitIsAnError(t *testing.T) {
	clock := newFakeClock()
	env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", clock.Now().Format(http.TimeFormat))
		w.Header().Set("X-Rate-Limit-Limit", "100")
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		w.Header().Set("X-Rate-Limit-Reset",
			strconv.FormatInt(clock.Now().Add(20*time.Minute).Unix(), 10))
		writeJSON(w, http.StatusTooManyRequests, []byte(`{"errorCode":"E0000047"}`))
	}), func(c *Config) { c.Clock = clock })
	start := clock.Now()
	_, err := env.client.Org(context.Background())
	if !errors.Is(err, ErrRateWaitTooLong) {
		t.Fatalf("got %v, want ErrRateWaitTooLong", err)
	}
	if waited := clock.Now().Sub(start); waited != 0 {
		t.Errorf("waited %s, want no wait", waited)
	}
}

// TestConcurrency429 answers one concurrency 429 (Limit 0): a short pause,
// one slot fewer in flight, then success.
func TestConcurrency429(t *testing.T) {
	clock := newFakeClock()
	var mu sync.Mutex
	n := 0
	env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			w.Header().Set("X-Rate-Limit-Limit", "0")
			w.Header().Set("X-Rate-Limit-Remaining", "0")
			w.Header().Set("X-Rate-Limit-Reset", fmt.Sprint(clock.Now().Add(time.Minute).Unix()))
			writeJSON(w, http.StatusTooManyRequests, []byte(`{"errorCode":"E0000047"}`))
			return
		}
		writeJSON(w, http.StatusOK, []byte(`{"id":"00o1"}`))
	}), func(c *Config) { c.Clock = clock; c.MaxInFlight = 4 })
	start := clock.Now()
	if _, err := env.client.Org(context.Background()); err != nil {
		t.Fatalf("got error %v, want success", err)
	}
	if waited := clock.Now().Sub(start); waited <= 0 || waited > busyCap {
		t.Errorf("waited %s, want a short pause, not the estimated reset", waited)
	}
	if got := env.client.gov.gate.capacity(); got != 3 {
		t.Errorf("got %d slots, want 3", got)
	}
}
