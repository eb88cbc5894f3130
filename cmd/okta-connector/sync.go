package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/connector/config"
)

// cmdSync runs one pass over every stream of every tenant (or of one) and
// exits 0 only when every stream succeeded.
func cmdSync(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("tenant", "", "sync only the tenant with this id")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	l, err := load(stderr)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	if *only != "" && !slices.ContainsFunc(l.tenants,
		func(t config.Tenant) bool { return t.ID == *only }) {
		return fail(stderr, exitUsage, fmt.Errorf("--tenant %q: no such tenant", *only))
	}
	ctx, stop := signalContext()
	defer stop()
	app, err := open(ctx, l)
	if err != nil {
		return fail(stderr, exitFailed, err)
	}
	results := app.Engine.SyncOnce(ctx, *only)
	closeErr := closeApp(app, stderr)
	printCounts(stdout, app.Topics, app.Publisher.Counts(), nil)
	failed := printFailures(stderr, results)
	if ctx.Err() != nil {
		return fail(stderr, exitFailed, errors.New("sync interrupted"))
	}
	if failed > 0 || closeErr != nil {
		return exitFailed
	}
	return exitOK
}

// printFailures writes one line per failed stream and returns how many.
func printFailures(w io.Writer, results []connector.StreamResult) int {
	n := 0
	for _, r := range results {
		if r.Err != nil {
			n++
			fmt.Fprintf(w, "okta-connector: tenant %s, stream %s: %v\n", r.Tenant, r.Stream,
				r.Err)
		}
	}
	return n
}
