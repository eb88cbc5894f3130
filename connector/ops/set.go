package ops

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/schemas"
)

// Set moves one stream of one tenant: the activity stream to read the
// System Log from Since at its next cycle (Okta's `since`, inside its
// 90-day retention), republishing events with their own uuids; a stream
// with a watermark to Watermark, so its next incremental cycle republishes
// everything updated since. The time is validated first: a refusal
// changes nothing.
func Set(ctx context.Context, w io.Writer, store checkpoint.Store,
	audit checkpoint.Auditor, opts SetOptions) error {
	c, err := opts.Change.fill()
	if err == nil {
		err = opts.check(opts.Tenant, opts.Stream)
	}
	if err == nil {
		err = opts.checkTarget(c)
	}
	if err != nil {
		return fmt.Errorf("setting checkpoint: %w", err)
	}
	old, found, err := load(ctx, store, opts.Tenant, opts.Stream)
	if err != nil {
		return fmt.Errorf("setting checkpoint: %w", err)
	}
	e := edit{action: "set"}
	if found {
		e.old = &old
	}
	if opts.Stream == schemas.Activity {
		e.new = sinceOf(opts.Tenant, old, opts.Since, c)
	} else {
		if !found {
			return fmt.Errorf("setting checkpoint: %s/%s has no checkpoint yet; "+
				"its first cycle is a full sync", opts.Tenant, opts.Stream)
		}
		e.new = watermarkOf(old, opts, c)
	}
	if err := apply(ctx, w, store, audit, c, []edit{e}); err != nil {
		return fmt.Errorf("setting checkpoint: %w", err)
	}
	return nil
}

// checkTarget refuses a set without the time its stream needs, or with a
// time Okta cannot serve.
func (o SetOptions) checkTarget(c Change) error {
	switch {
	case o.Stream == "":
		return errors.New("--stream is required")
	case o.Stream == schemas.Activity:
		if !o.Watermark.IsZero() {
			return errors.New("the activity stream takes --since, not a watermark")
		}
		return checkSince(o.Since, c.Now)
	case !slices.Contains(watermarkStreams, o.Stream):
		return fmt.Errorf("stream %q has no position to set; use reset for a full resync",
			o.Stream)
	case !o.Since.IsZero():
		return fmt.Errorf("stream %q takes a watermark, not --since", o.Stream)
	case o.Watermark.IsZero():
		return fmt.Errorf("a watermark is required for stream %q", o.Stream)
	case o.Watermark.After(c.Now):
		return fmt.Errorf("watermark %s is in the future; nothing changed",
			stamp(o.Watermark))
	}
	return nil
}

// sinceOf is the activity checkpoint that replays the System Log from
// since. The cursor and the uuids remembered for de-duplication go, so
// events come again with their own uuids.
//
// LastPublished is set to since too: a connector that does not read
// ExtraSince yet then starts at since minus its small overlap.
func sinceOf(tenant string, old checkpoint.Checkpoint, since time.Time,
	c Change) checkpoint.Checkpoint {
	at := since.UTC()
	return checkpoint.Checkpoint{Version: checkpoint.Version, Tenant: tenant,
		Stream: schemas.Activity, LastPublished: at, LastSuccess: old.LastSuccess,
		UpdatedAt: c.Now, Extra: map[string]string{ExtraSince: sinceValue(at)}}
}

// watermarkOf is old moved to the watermark of opts. The versions known at
// the old watermark are dropped, so nothing from the new one on is skipped
// as already published.
func watermarkOf(old checkpoint.Checkpoint, opts SetOptions, c Change) checkpoint.Checkpoint {
	cp := old
	cp.Extra = maps.Clone(old.Extra)
	cp.Watermark = opts.Watermark.UTC()
	cp.AtWatermark = nil
	cp.UpdatedAt = c.Now
	return cp
}
