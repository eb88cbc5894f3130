package connector

import (
	"context"
	"time"

	"github.com/okta-connector/okta-connector/connector/okta"
)

// minYieldSleep is the shortest client sleep worth giving a slot away for:
// below it, queueing for the slot again would cost more than the sleep.
const minYieldSleep = 50 * time.Millisecond

// SlotClock is the wall clock for tenants' Okta clients, with one twist: a
// stream run that sleeps for a retry backoff or a rate-limit pause lends
// its concurrency slot to a waiting tenant for the sleep. A tenant in an
// Okta outage, or paced by its own rate budget, then never holds a slot
// while it waits, so it cannot stall the others (DESIGN §9).
type SlotClock struct{}

var _ okta.Clock = SlotClock{}

// Now returns the wall-clock time.
func (SlotClock) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx ends, without the run's slot when the sleep
// is long enough and another run waits; it returns once the slot is held
// again.
func (SlotClock) Sleep(ctx context.Context, d time.Duration) error {
	l := leaseFrom(ctx)
	lend := l != nil && d >= minYieldSleep && l.s.waiting()
	if lend {
		l.drop()
	}
	slept := sleep(ctx, d)
	if lend {
		if err := l.regain(ctx); err != nil {
			return err
		}
	}
	if !slept {
		return ctx.Err()
	}
	return nil
}
