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
// markers. A reset activity stream reads the System Log again from now −
// Lookback, republishing events with their own uuids. Streams with no
// checkpoint already start with a full sync and are left alone.
func Reset(ctx context.Context, w io.Writer, store checkpoint.Store,
	audit checkpoint.Auditor, opts ResetOptions) error {
	c, err := opts.Change.fill()
	if err == nil {
		err = opts.check(opts.Tenant, opts.Stream)
	}
	if err != nil {
		return fmt.Errorf("resetting checkpoints: %w", err)
	}
	streams := []string{opts.Stream}
	if opts.Stream == "" {
		streams = opts.streams()
	}
	var edits []edit
	for _, stream := range streams {
		old, found, err := load(ctx, store, opts.Tenant, stream)
		if err != nil {
			return fmt.Errorf("resetting checkpoints: %w", err)
		}
		if !found {
			fmt.Fprintf(w, "%s/%s: no checkpoint, a full sync comes next anyway\n",
				opts.Tenant, stream)
			continue
		}
		edits = append(edits, edit{action: "reset", old: &old,
			new: resetOf(old, c, opts.Lookback)})
	}
	if len(edits) == 0 {
		return nil
	}
	if err := apply(ctx, w, store, audit, c, edits); err != nil {
		return fmt.Errorf("resetting checkpoints: %w", err)
	}
	return nil
}

// resetOf is the checkpoint that makes old's stream start over. Only the
// last success survives, so `list` still shows how long ago it ran.
func resetOf(old checkpoint.Checkpoint, c Change, lookback time.Duration) checkpoint.Checkpoint {
	cp := checkpoint.Checkpoint{Version: checkpoint.Version, Tenant: old.Tenant,
		Stream: old.Stream, LastSuccess: old.LastSuccess, UpdatedAt: c.Now}
	if old.Stream == schemas.Activity {
		if lookback <= 0 {
			lookback = defaultLookback
		}
		cp.Extra = map[string]string{ExtraSince: sinceValue(c.Now.Add(-lookback))}
	}
	return cp
}
