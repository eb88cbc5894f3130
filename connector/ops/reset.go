package ops

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/schemas"
)

// Reset sends one stream of a tenant, or all of them, back to a full
// resync: its watermark, versions, cursor and snapshot progress are
// cleared, so the next cycle lists everything again inside new snapshot
// markers. A reset activity stream reads the System Log again from the
// request's time − Lookback, republishing events with their own uuids; a
// reset groups or apps stream republishes every membership or assignment
// too (ExtraRepublish). Memberships and assignments have no checkpoint of
// their own: naming one of them is refused, and a reset of every stream
// passes over them, as their groups and apps carry them. Other streams
// with no checkpoint already start with a full sync and are left alone.
func Reset(ctx context.Context, w io.Writer, t Target, opts ResetOptions) error {
	c, err := opts.Change.fill()
	if err == nil {
		err = opts.Check(opts.Tenant, opts.Stream)
	}
	if err == nil {
		err = refuseRiding(opts.Stream)
	}
	if err != nil {
		return fmt.Errorf("resetting checkpoints: %w", err)
	}
	lookback := opts.Lookback
	if lookback <= 0 {
		lookback = defaultLookback
	}
	lookback = clampLookback(lookback)
	streams := []string{opts.Stream}
	if opts.Stream == "" {
		streams = opts.streams()
	}
	var chs []edit
	for _, stream := range streams {
		if _, rides := ridesWith[stream]; rides {
			continue
		}
		old, found, err := load(ctx, t.Reader, opts.Tenant, stream)
		if err != nil {
			return fmt.Errorf("resetting checkpoints: %w", err)
		}
		if !found {
			fmt.Fprintf(w, "%s/%s: no checkpoint, a full sync comes next anyway\n",
				opts.Tenant, stream)
			continue
		}
		chs = append(chs, newChange(c, checkpoint.ActionReset, opts.Tenant, stream, old,
			true, func(r *checkpoint.Request) {
				if stream == schemas.Activity {
					r.Since = c.Now.Add(-lookback)
				}
			}))
	}
	if len(chs) == 0 {
		return nil
	}
	if err := apply(ctx, w, t, c, chs); err != nil {
		return fmt.Errorf("resetting checkpoints: %w", err)
	}
	return nil
}

// clampLookback keeps a reset's look-back inside Okta's retention.
func clampLookback(d time.Duration) time.Duration {
	return min(d, logRetention-retentionMargin)
}
