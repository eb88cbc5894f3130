package ops

import (
	"context"
	"fmt"
	"io"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// Audit writes the trail of checkpoint changes, oldest first: of tenant
// and stream when given (empty means all). Each change shows when it was
// requested and when the connector applied it, by whom, why, and the
// value before and after.
func Audit(ctx context.Context, w io.Writer, a checkpoint.Auditor,
	tenant, stream string) error {
	es, err := a.Entries(ctx)
	if err != nil {
		return fmt.Errorf("reading the audit trail: %w", err)
	}
	n := 0
	for _, e := range es {
		if (tenant != "" && e.Tenant != tenant) || (stream != "" && e.Stream != stream) {
			continue
		}
		n++
		stage := e.Stage
		if stage == "" {
			stage = checkpoint.StageApplied
		}
		fmt.Fprintf(w, "%s  %-9s  %s %s/%s  by %s@%s", stamp(e.Time), stage, e.Action,
			e.Tenant, e.Stream, e.User, e.Host)
		if e.Request != "" {
			fmt.Fprintf(w, "  request %s", e.Request)
		}
		fmt.Fprintf(w, "\n  why: %s\n  old: %s\n  new: %s\n", e.Reason, orNone(e.Old),
			orNone(e.New))
	}
	if n == 0 {
		fmt.Fprintln(w, "no checkpoint changes recorded")
	}
	return nil
}

// orNone is summary, or "none" when there was no checkpoint.
func orNone(cp *checkpoint.Checkpoint) string {
	if cp == nil {
		return "none"
	}
	return summary(*cp)
}
