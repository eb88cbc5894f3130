package check

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// Status is the outcome of one probe.
type Status string

// The outcomes of a probe. Only Fix makes a check fail. Wait leaves it
// unfinished: Okta's rate limit held the request back, which says nothing
// about the permission, so it is neither ok nor a fix.
const (
	OK      Status = "ok"
	Fix     Status = "FIX"
	Wait    Status = "WAIT"
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
// summary, and returns the Verdict. The error is for a cancelled ctx or a
// failed write, never for what the probes found.
func Run(ctx context.Context, w io.Writer, c *okta.Client, t config.Tenant) (Status, error) {
	if _, err := fmt.Fprintf(w, "checking tenant %s at %s\n", t.ID, t.BaseURL); err != nil {
		return "", fmt.Errorf("writing the check of tenant %s: %w", t.ID, err)
	}
	results, err := Probe(ctx, c, t, time.Now())
	if err != nil {
		return "", err
	}
	if err := Print(w, results); err != nil {
		return "", fmt.Errorf("writing the check of tenant %s: %w", t.ID, err)
	}
	return Verdict(results), nil
}

// Verdict sums results up: Fix when one needs a fix, else Wait when
// Okta's rate limit held one back (run the check again later), else OK.
// Warnings and skips leave it OK.
func Verdict(results []Result) Status {
	switch {
	case count(results, Fix) > 0:
		return Fix
	case count(results, Wait) > 0:
		return Wait
	}
	return OK
}

// count returns how many results have status st.
func count(results []Result, st Status) int {
	n := 0
	for _, r := range results {
		if r.Status == st {
			n++
		}
	}
	return n
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
	for _, r := range results {
		if _, err := fmt.Fprintln(w, r); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, summary(results))
	return err
}

// summary is the check's last line: what needs a fix, then what Okta's
// rate limit kept from being checked.
func summary(results []Result) string {
	var parts []string
	if n := count(results, Fix); n > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d permissions need a fix", n, len(results)))
	}
	if n := count(results, Wait); n > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d permissions not checked: rate limited, "+
			"retry later", n, len(results)))
	}
	if len(parts) == 0 {
		return "all permissions ok"
	}
	return strings.Join(parts, "; ")
}
