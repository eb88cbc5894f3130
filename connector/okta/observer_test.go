package okta

import (
	"context"
	"sync"
	"testing"
	"time"
)

// recordingObserver keeps what the governor reported.
type recordingObserver struct {
	mu      sync.Mutex
	waits   []time.Duration
	budgets []int
}

func (o *recordingObserver) RateLimitWait(bucket string, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.waits = append(o.waits, d)
}

func (o *recordingObserver) RateLimitBudget(bucket string, remaining int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.budgets = append(o.budgets, remaining)
}

// TestObserverHearsWaitsAndBudgets spends a window so that a request is
// answered 429: the observer hears the wait before the retry and the
// budget of every response, which is what the metrics are made of.
func TestObserverHearsWaitsAndBudgets(t *testing.T) {
	clock := newFakeClock()
	srv := &windowServer{clock: clock, limit: 100}
	obs := &recordingObserver{}
	env := newEnv(t, srv, func(c *Config) { c.Clock = clock; c.Observer = obs })
	srv.start = clock.Now().Add(-20 * time.Second).Truncate(time.Second)
	srv.used, srv.windows = 100, 1

	if _, err := env.client.App(context.Background(), "0oa1"); err != nil {
		t.Fatalf("got error %v, want success after the reset", err)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if len(obs.waits) == 0 || obs.waits[0] < 30*time.Second {
		t.Errorf("got waits %v, want one of about 40 s before the retry", obs.waits)
	}
	if len(obs.budgets) != 2 || obs.budgets[0] != 0 || obs.budgets[1] != 99 {
		t.Errorf("got budgets %v, want [0 99] (the spent window, then the new one)", obs.budgets)
	}
}
