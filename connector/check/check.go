package check

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// Status is the outcome of one probe.
type Status string

// The outcomes of a probe. Only Fix makes a check fail.
const (
	OK      Status = "ok"
	Fix     Status = "FIX"
	Warn    Status = "WARN"
	Skipped Status = "SKIP"
)

// Result is one permission and what the probe of it found.
type Result struct {
	Permission string // e.g. "read the System Log"
	Scope      string // the OAuth scope it needs; "" when none
	Status     Status
	// Detail is what to do for Fix and Warn, and why for Skipped.
	Detail string
}

// String prints r as one line of the check's output.
func (r Result) String() string {
	line := fmt.Sprintf("%-4s  %s", r.Status, r.Permission)
	if r.Scope != "" {
		line += " (" + r.Scope + ")"
	}
	if r.Detail != "" {
		line += ": " + r.Detail
	}
	return line
}

// Run probes t through c, prints one line per permission to w and a
// summary, and reports whether nothing needs a fix. The error is for a
// cancelled ctx or a failed write, never for what the probes found.
func Run(ctx context.Context, w io.Writer, c *okta.Client, t config.Tenant) (bool, error) {
	if _, err := fmt.Fprintf(w, "checking tenant %s at %s\n", t.ID, t.BaseURL); err != nil {
		return false, fmt.Errorf("writing the check of tenant %s: %w", t.ID, err)
	}
	results, err := Probe(ctx, c, t, time.Now())
	if err != nil {
		return false, err
	}
	if err := Print(w, results); err != nil {
		return false, fmt.Errorf("writing the check of tenant %s: %w", t.ID, err)
	}
	return Passed(results), nil
}

// Passed reports whether no result needs a fix.
func Passed(results []Result) bool {
	for _, r := range results {
		if r.Status == Fix {
			return false
		}
	}
	return true
}

// Print writes one line per result and a summary line.
func Print(w io.Writer, results []Result) error {
	fixes := 0
	for _, r := range results {
		if r.Status == Fix {
			fixes++
		}
		if _, err := fmt.Fprintln(w, r); err != nil {
			return err
		}
	}
	summary := "all permissions ok"
	if fixes > 0 {
		summary = fmt.Sprintf("%d of %d permissions need a fix", fixes, len(results))
	}
	_, err := fmt.Fprintln(w, summary)
	return err
}
