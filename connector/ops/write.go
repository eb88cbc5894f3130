package ops

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// edit is one checkpoint change, worked out and validated before anything
// is written.
type edit struct {
	action string
	old    *checkpoint.Checkpoint // nil: none stored
	new    checkpoint.Checkpoint
}

// apply prints every edit's old and new value and, unless this is a dry
// run, saves each one and appends its audit entry. Edits are validated as
// a whole beforehand, so a refusal changes nothing.
func apply(ctx context.Context, w io.Writer, store checkpoint.Store,
	audit checkpoint.Auditor, c Change, edits []edit) error {
	for _, e := range edits {
		fmt.Fprintf(w, "%s %s/%s\n", e.action, e.new.Tenant, e.new.Stream)
		if e.old == nil {
			fmt.Fprintln(w, "  old: none")
		} else {
			fmt.Fprintf(w, "  old: %s\n", summary(*e.old))
		}
		fmt.Fprintf(w, "  new: %s\n", summary(e.new))
	}
	if c.DryRun {
		fmt.Fprintln(w, "dry run: nothing written")
		return nil
	}
	for _, e := range edits {
		if err := store.Save(ctx, e.new); err != nil {
			return fmt.Errorf("%s of %s/%s: %w", e.action, e.new.Tenant, e.new.Stream, err)
		}
		entry := checkpoint.AuditEntry{Time: c.Now, User: c.Who, Host: c.Host,
			Action: e.action, Reason: c.Reason, Tenant: e.new.Tenant, Stream: e.new.Stream,
			Old: e.old, New: &e.new}
		// NOTE: the change is written before its audit entry, so a failing
		// trail never blocks an operator; the error says the change stands.
		if err := audit.Append(ctx, entry); err != nil {
			return fmt.Errorf("recording %s of %s/%s in the audit trail "+
				"(the change itself was saved): %w",
				e.action, e.new.Tenant, e.new.Stream, err)
		}
	}
	fmt.Fprintf(w, "saved %d change(s); streams pick them up at their next cycle\n",
		len(edits))
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

// isNotFound reports whether err says no checkpoint is stored.
func isNotFound(err error) bool { return errors.Is(err, checkpoint.ErrNotFound) }
