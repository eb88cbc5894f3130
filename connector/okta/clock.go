package okta

import (
	"context"
	"time"
)

// Clock is the time source of the rate-limit governor, retries and OAuth
// token lifetimes. Tests inject a fake one so that minute-long rate-limit
// windows pass in milliseconds.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends; it returns ctx.Err() when ctx ended.
	Sleep(ctx context.Context, d time.Duration) error
}

// realClock is the wall clock.
type realClock struct{}

// Now returns the wall-clock time.
func (realClock) Now() time.Time { return time.Now() }

// Sleep waits d on a timer, racing ctx.
func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
