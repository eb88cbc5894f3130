package ops

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// edit is one validated checkpoint change: the request, and what the
// operator is shown of it.
type edit struct {
	req checkpoint.Request
	old *checkpoint.Checkpoint // nil: none stored
	new checkpoint.Checkpoint  // the value as it would be now
}

// newChange builds the request of action on tenant/stream for c, with
// what it would make of old now.
func newChange(c Change, action, tenant, stream string, old checkpoint.Checkpoint,
	found bool, fill func(*checkpoint.Request)) edit {
	req := checkpoint.Request{ID: checkpoint.NewRequestID(c.Now), Time: c.Now,
		User: c.Who, Host: c.Host, Reason: c.Reason, Action: action,
		Tenant: tenant, Stream: stream}
	fill(&req)
	ch := edit{req: req, new: Resolve(req, old, found)}
	if found {
		ch.old = &old
	}
	ch.req.Old, ch.req.New = ch.old, &ch.new
	return ch
}

// apply prints every change's old and new value and, unless this is a
// dry run, sends each one where t says: queued in the inbox for the
// running connector, or written at once. Every request is recorded in the
// audit trail. Changes are validated as a whole beforehand, so a refusal
// changes nothing.
func apply(ctx context.Context, w io.Writer, t Target, c Change, chs []edit) error {
	for _, ch := range chs {
		fmt.Fprintf(w, "%s %s/%s\n", ch.req.Action, ch.req.Tenant, ch.req.Stream)
		if ch.old == nil {
			fmt.Fprintln(w, "  old: none")
		} else {
			fmt.Fprintf(w, "  old: %s\n", summary(*ch.old))
		}
		fmt.Fprintf(w, "  new: %s\n", summary(ch.new))
	}
	if c.DryRun {
		fmt.Fprintln(w, "dry run: nothing written")
		return nil
	}
	if t.Store == nil && t.Inbox == nil {
		return errors.New("no store or inbox to write the change to")
	}
	for _, ch := range chs {
		if err := send(ctx, t, c, ch.req); err != nil {
			return err
		}
	}
	if t.Store != nil {
		fmt.Fprintf(w, "saved %d change(s); streams pick them up at their next cycle\n",
			len(chs))
		return nil
	}
	fmt.Fprintf(w, "queued %d change(s); the running connector applies them at each "+
		"stream's next cycle (`checkpoints list` shows what is still queued)\n", len(chs))
	return nil
}

// send records req as requested, then applies it at once (Store) or
// queues it (Inbox).
func send(ctx context.Context, t Target, c Change, req checkpoint.Request) error {
	where := fmt.Sprintf("%s of %s/%s", req.Action, req.Tenant, req.Stream)
	requested := auditEntry(req, checkpoint.StageRequested, c.Now)
	if t.Store != nil {
		if err := t.Audit.Append(ctx, requested); err != nil {
			return fmt.Errorf("recording %s in the audit trail; nothing changed: %w",
				where, err)
		}
		if _, _, err := Install(ctx, t.Store, t.Store.Save, t.Audit, req, c.Now); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		return nil
	}
	if err := t.Inbox.Submit(ctx, req); err != nil {
		return fmt.Errorf("queueing %s: %w", where, err)
	}
	// NOTE: the request is queued before it is recorded, so a failing
	// trail never blocks an operator; the error says the change stands.
	if err := t.Audit.Append(ctx, requested); err != nil {
		return fmt.Errorf("recording %s in the audit trail (the change itself "+
			"is queued): %w", where, err)
	}
	return nil
}

// summary is a one-line account of a checkpoint.
func summary(cp checkpoint.Checkpoint) string {
	s := position(cp)
	if !cp.Watermark.IsZero() {
		s += ", watermark " + stamp(cp.Watermark)
	}
	if !cp.LastSuccess.IsZero() {
		s += ", last success " + stamp(cp.LastSuccess)
	}
	return s
}
