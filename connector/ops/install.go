package ops

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/schemas"
)

// Resolve is the checkpoint that req makes of cur (found is false when
// none is stored). It is worked out when the change is applied, from the
// checkpoint as it is then, so a change queued while the stream ran never
// rolls back what the stream did meanwhile beyond what was asked. The
// result carries req's id under checkpoint.ExtraRequest.
func Resolve(req checkpoint.Request, cur checkpoint.Checkpoint,
	found bool) checkpoint.Checkpoint {
	if !found {
		cur = checkpoint.Checkpoint{Tenant: req.Tenant, Stream: req.Stream}
	}
	var cp checkpoint.Checkpoint
	switch {
	case req.Action == checkpoint.ActionReset:
		cp = resetOf(cur, req)
	case req.Stream == schemas.Activity:
		cp = sinceOf(cur, req)
	default:
		cp = watermarkOf(cur, req)
	}
	if cp.Extra == nil {
		cp.Extra = map[string]string{}
	}
	cp.Extra[checkpoint.ExtraRequest] = req.ID
	return cp
}

// resetOf is the checkpoint that makes cur's stream start over. Only the
// last success survives, so `list` still shows how long ago it ran; a
// reset activity stream reads again from req.Since; a reset groups or apps
// stream republishes every membership or assignment (ExtraRepublish).
func resetOf(cur checkpoint.Checkpoint, req checkpoint.Request) checkpoint.Checkpoint {
	cp := checkpoint.Checkpoint{Version: checkpoint.Version, Tenant: cur.Tenant,
		Stream: cur.Stream, LastSuccess: cur.LastSuccess, UpdatedAt: req.Time}
	switch {
	case cur.Stream == schemas.Activity:
		cp.Extra = map[string]string{checkpoint.ExtraSince: sinceValue(req.Since)}
	case republishes(cur.Stream):
		cp.Extra = map[string]string{ExtraRepublish: req.ID}
	}
	return cp
}

// sinceOf is the activity checkpoint that replays the System Log from
// req.Since. The cursor and the uuids remembered for de-duplication go, so
// events come again with their own uuids.
//
// LastPublished is set to the time too: a connector that does not read
// ExtraSince yet then starts at it minus its small overlap.
func sinceOf(cur checkpoint.Checkpoint, req checkpoint.Request) checkpoint.Checkpoint {
	at := req.Since.UTC()
	return checkpoint.Checkpoint{Version: checkpoint.Version, Tenant: cur.Tenant,
		Stream: schemas.Activity, LastPublished: at, LastSuccess: cur.LastSuccess,
		UpdatedAt: req.Time, Extra: map[string]string{checkpoint.ExtraSince: sinceValue(at)}}
}

// watermarkOf is cur moved to req's watermark. The versions known at the
// old watermark are dropped, so nothing from the new one on is skipped as
// already published.
func watermarkOf(cur checkpoint.Checkpoint, req checkpoint.Request) checkpoint.Checkpoint {
	cp := cur
	cp.Version = checkpoint.Version
	cp.Extra = maps.Clone(cur.Extra)
	cp.Watermark = req.Watermark.UTC()
	cp.AtWatermark = nil
	cp.UpdatedAt = req.Time
	return cp
}

// Saver writes one checkpoint: Store.Save for the operator tool, the
// connector's publisher for a running connector.
type Saver func(ctx context.Context, cp checkpoint.Checkpoint) error

// Install applies req to the checkpoint r holds for its key: it works out
// the new value (Resolve), writes it with save and appends the applied
// entry to the trail. It returns the new checkpoint and whether it wrote
// it: a request the checkpoint already reflects (applied by a process that
// stopped before removing it from the inbox) writes nothing.
func Install(ctx context.Context, r Reader, save Saver, audit checkpoint.Auditor,
	req checkpoint.Request, now time.Time) (checkpoint.Checkpoint, bool, error) {
	cur, found, err := load(ctx, r, req.Tenant, req.Stream)
	if err != nil {
		return cur, false, fmt.Errorf("applying change %s: %w", req.ID, err)
	}
	if found && req.AppliedTo(cur) {
		return cur, false, nil
	}
	next := Resolve(req, cur, found)
	if err := save(ctx, next); err != nil {
		return cur, false, fmt.Errorf("applying change %s to %s/%s: %w", req.ID,
			req.Tenant, req.Stream, err)
	}
	entry := auditEntry(req, checkpoint.StageApplied, now)
	entry.Old, entry.New = nil, &next
	if found {
		entry.Old = &cur
	}
	// NOTE: the change is written before its audit entry, so a failing
	// trail never blocks a change; the error says the change stands.
	if err := audit.Append(ctx, entry); err != nil {
		return next, true, fmt.Errorf("recording change %s of %s/%s in the audit trail "+
			"(the change itself was applied): %w", req.ID, req.Tenant, req.Stream, err)
	}
	return next, true, nil
}

// auditEntry is the trail's entry of req at stage, at time now.
func auditEntry(req checkpoint.Request, stage string, now time.Time) checkpoint.AuditEntry {
	return checkpoint.AuditEntry{Time: now.UTC(), User: req.User, Host: req.Host,
		Action: req.Action, Reason: req.Reason, Tenant: req.Tenant, Stream: req.Stream,
		Stage: stage, Request: req.ID, Old: req.Old, New: req.New}
}

// isNotFound reports whether err says no checkpoint is stored.
func isNotFound(err error) bool { return errors.Is(err, checkpoint.ErrNotFound) }
