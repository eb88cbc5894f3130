package ops

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/schemas"
)

// Set moves one stream of one tenant: the activity stream to read the
// System Log from Since at its next cycle (Okta's `since`, inside its
// 90-day retention), republishing events with their own uuids; a stream
// with a watermark to Watermark, so its next incremental cycle republishes
// everything updated since. The time is validated first: a refusal
// changes nothing.
func Set(ctx context.Context, w io.Writer, t Target, opts SetOptions) error {
	c, err := opts.Change.fill()
	if err == nil {
		err = opts.Check(opts.Tenant, opts.Stream)
	}
	if err == nil {
		err = refuseRiding(opts.Stream)
	}
	if err == nil {
		err = opts.checkTarget(c)
	}
	if err != nil {
		return fmt.Errorf("setting checkpoint: %w", err)
	}
	old, found, err := load(ctx, t.Reader, opts.Tenant, opts.Stream)
	if err != nil {
		return fmt.Errorf("setting checkpoint: %w", err)
	}
	if opts.Stream != schemas.Activity && !found {
		return fmt.Errorf("setting checkpoint: %s/%s has no checkpoint yet; "+
			"its first cycle is a full sync", opts.Tenant, opts.Stream)
	}
	ch := newChange(c, checkpoint.ActionSet, opts.Tenant, opts.Stream, old, found,
		func(r *checkpoint.Request) {
			r.Since, r.Watermark = opts.Since.UTC(), opts.Watermark.UTC()
		})
	if err := apply(ctx, w, t, c, []edit{ch}); err != nil {
		return fmt.Errorf("setting checkpoint: %w", err)
	}
	return nil
}

// checkTarget refuses a set without the time its stream needs, or with a
// time Okta cannot serve.
func (o SetOptions) checkTarget(c Change) error {
	switch {
	case o.Stream == "":
		return refuse("--stream is required")
	case o.Stream == schemas.Activity:
		if !o.Watermark.IsZero() {
			return refuse("the activity stream takes --since, not a watermark")
		}
		return checkSince(o.Since, c.Now)
	case !slices.Contains(watermarkStreams, o.Stream):
		return invalid{fmt.Errorf("stream %q has no position to set; use reset for a "+
			"full resync", o.Stream)}
	case !o.Since.IsZero():
		return invalid{fmt.Errorf("stream %q takes a watermark, not --since", o.Stream)}
	case o.Watermark.IsZero():
		return invalid{fmt.Errorf("a watermark is required for stream %q", o.Stream)}
	case o.Watermark.After(c.Now):
		return invalid{fmt.Errorf("watermark %s is in the future; nothing changed",
			stamp(o.Watermark))}
	}
	return nil
}
