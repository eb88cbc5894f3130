package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/schemas"
)

// List writes one line per configured tenant × stream, then one per stored
// checkpoint of a tenant no longer configured: position, watermark, last
// success and lag (now − last success); then the changes still queued in
// t.Inbox, if any.
func List(ctx context.Context, w io.Writer, t Target, scope Scope, now time.Time) error {
	cps, err := t.Reader.List(ctx)
	if err != nil {
		return fmt.Errorf("listing checkpoints: %w", err)
	}
	stored := make(map[checkpoint.Key]checkpoint.Checkpoint, len(cps))
	for _, cp := range cps {
		stored[checkpoint.Key{Tenant: cp.Tenant, Stream: cp.Stream}] = cp
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TENANT\tSTREAM\tPOSITION\tWATERMARK\tLAST SUCCESS\tLAG")
	for _, tenant := range scope.Tenants {
		for _, stream := range scope.streams() {
			k := checkpoint.Key{Tenant: tenant, Stream: stream}
			cp, ok := stored[k]
			delete(stored, k)
			listLine(tw, tenant, stream, cp, ok, now)
		}
	}
	for _, cp := range cps {
		k := checkpoint.Key{Tenant: cp.Tenant, Stream: cp.Stream}
		if _, ok := stored[k]; ok {
			listLine(tw, cp.Tenant+" (not configured)", cp.Stream, cp, true, now)
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing checkpoint list: %w", err)
	}
	return listQueued(ctx, w, t.Inbox, func(checkpoint.Request) bool { return true })
}

// listQueued writes the requests of inbox that keep selects, oldest first
// per stream; nothing when none is queued or inbox is nil.
func listQueued(ctx context.Context, w io.Writer, inbox checkpoint.Inbox,
	keep func(checkpoint.Request) bool) error {
	if inbox == nil {
		return nil
	}
	reqs, err := inbox.Requests(ctx)
	if err != nil {
		return fmt.Errorf("listing queued changes: %w", err)
	}
	reqs = slices.DeleteFunc(reqs, func(r checkpoint.Request) bool { return !keep(r) })
	if len(reqs) == 0 {
		return nil
	}
	fmt.Fprintln(w, "queued, applied at each stream's next cycle:")
	for _, r := range reqs {
		fmt.Fprintf(w, "  %s %s/%s %s by %s@%s at %s: %s\n", r.ID, r.Tenant, r.Stream,
			describe(r), r.User, r.Host, stamp(r.Time), r.Reason)
	}
	return nil
}

// describe says in words what a request does.
func describe(r checkpoint.Request) string {
	switch {
	case r.Action == checkpoint.ActionReset:
		return "reset"
	case !r.Since.IsZero():
		return "set since " + stamp(r.Since)
	}
	return "set watermark " + stamp(r.Watermark)
}

func listLine(w io.Writer, tenant, stream string, cp checkpoint.Checkpoint, ok bool,
	now time.Time) {
	if _, rides := ridesWith[stream]; !ok && rides {
		fmt.Fprintf(w, "%s\t%s\t%s\t-\t-\t-\n", tenant, stream, ridingPosition(stream))
		return
	}
	if !ok {
		fmt.Fprintf(w, "%s\t%s\tnone (full sync next)\t-\t-\t-\n", tenant, stream)
		return
	}
	lag := "-"
	if !cp.LastSuccess.IsZero() {
		lag = now.Sub(cp.LastSuccess).Round(time.Second).String()
	}
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", tenant, stream, position(cp),
		stampOr(cp.Watermark), stampOr(cp.LastSuccess), lag)
}

// position says in words where a stream will go on from.
func position(cp checkpoint.Checkpoint) string {
	if cp.Stream == schemas.Activity {
		switch {
		case cp.Cursor == "" && cp.Extra[ExtraSince] != "":
			return "replay from " + cp.Extra[ExtraSince]
		case cp.Cursor == "":
			return "no cursor (reads from the look-back)"
		case cp.LastPublished.IsZero():
			return "cursor"
		}
		return "cursor, last event " + stamp(cp.LastPublished)
	}
	again := ""
	if republishing(cp) {
		again = fmt.Sprintf(", republishing every %s", pairNoun[cp.Stream])
	}
	switch {
	case cp.Snapshot != nil:
		return fmt.Sprintf("full sync in progress (%d records since %s)%s",
			cp.Snapshot.Records, stamp(cp.Snapshot.StartedAt), again)
	case cp.LastFullSync.IsZero():
		return "full sync next" + again
	}
	return "incremental, full sync " + stamp(cp.LastFullSync) + again
}

// Show writes the stored checkpoint of tenant and stream, or of every
// stream of tenant when stream is empty, in full as JSON, then the changes
// still queued for them.
func Show(ctx context.Context, w io.Writer, t Target, scope Scope,
	tenant, stream string) error {
	if err := scope.Check(tenant, stream); err != nil {
		return fmt.Errorf("showing checkpoint: %w", err)
	}
	streams := []string{stream}
	if stream == "" {
		streams = scope.streams()
	}
	for _, s := range streams {
		cp, found, err := load(ctx, t.Reader, tenant, s)
		if err != nil {
			return fmt.Errorf("showing checkpoint: %w", err)
		}
		_, rides := ridesWith[s]
		switch {
		case !found && rides:
			fmt.Fprintf(w, "%s/%s: %s\n", tenant, s, ridingPosition(s))
			continue
		case !found:
			fmt.Fprintf(w, "%s/%s: no checkpoint (full sync next)\n", tenant, s)
			continue
		}
		data, err := json.MarshalIndent(cp, "", "  ")
		if err != nil {
			return fmt.Errorf("showing checkpoint %s/%s: %w", tenant, s, err)
		}
		fmt.Fprintf(w, "%s/%s: %s\n%s\n", tenant, s, position(cp), data)
	}
	return listQueued(ctx, w, t.Inbox, func(r checkpoint.Request) bool {
		return r.Tenant == tenant && (stream == "" || r.Stream == stream)
	})
}

// load reads one checkpoint; found is false when none is stored.
func load(ctx context.Context, r Reader, tenant, stream string) (
	cp checkpoint.Checkpoint, found bool, err error) {
	cp, err = r.Load(ctx, checkpoint.Key{Tenant: tenant, Stream: stream})
	if isNotFound(err) {
		return checkpoint.Checkpoint{}, false, nil
	}
	return cp, err == nil, err
}

// stamp formats a time for operators: UTC, to the second.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// stampOr is stamp, or "-" for the zero time.
func stampOr(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return stamp(t)
}
