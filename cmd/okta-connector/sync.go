package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/connector/config"
)

// How often sync redraws its bar, and how often it logs a progress line
// when stderr is not a terminal.
const (
	barRefresh   = 250 * time.Millisecond
	progressLogs = 10 * time.Second
)

// cmdSync runs one pass over every stream of every tenant (or of one) and
// exits 0 only when every stream succeeded. On a terminal it draws a
// progress bar; elsewhere it logs a progress line now and then.
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
	i := slices.IndexFunc(l.tenants, func(t config.Tenant) bool { return t.ID == *only })
	switch {
	case *only != "" && i < 0:
		return fail(stderr, exitUsage, fmt.Errorf("--tenant %q: no such tenant", *only))
	case *only != "" && l.tenants[i].Err != nil:
		return fail(stderr, exitUsage, l.tenants[i].Err)
	}
	ctx, stop := signalContext()
	defer stop()
	app, err := open(ctx, l)
	if err != nil {
		return fail(stderr, exitFailed, err)
	}
	done := showProgress(ctx, app, *only, stderr, l.log)
	results := app.Engine.SyncOnce(ctx, *only)
	done()
	closeErr := closeApp(app, stderr)
	printCounts(stdout, app.Topics, app.Publisher.Counts(), nil)
	failed := printFailures(stderr, results)
	if err := config.TenantErrors(l.tenants); err != nil && *only == "" {
		fmt.Fprintln(stderr, "okta-connector: not synced:", err)
		failed++
	}
	if ctx.Err() != nil {
		return fail(stderr, exitFailed, errors.New("sync interrupted"))
	}
	if failed > 0 || closeErr != nil {
		return exitFailed
	}
	return exitOK
}

// syncView is what sync shows of a pass in flight.
type syncView struct {
	streams, total int64 // stream runs ended, and planned
	records        int64 // published, over all topics
	running        []connector.Progress
}

// viewOf reads the pass's progress from the app; base is the engine's
// Finished count before the pass. The total grows with the runs when they
// pass it: a tenant's System Log may run again after its listings.
func viewOf(app *connector.App, base int64, total int) syncView {
	v := syncView{streams: app.Engine.Finished() - base, running: app.Engine.Progress()}
	v.total = max(int64(total), v.streams)
	for _, c := range app.Publisher.Counts() {
		v.records += c.Records
	}
	return v
}

// describe is the bar's text: records so far and the longest run in
// flight, with its percentage when a total is known.
func (v syncView) describe(now time.Time) string {
	s := fmt.Sprintf("%d records", v.records)
	var long *connector.Progress
	for i, p := range v.running {
		if long == nil || p.Started.Before(long.Started) {
			long = &v.running[i]
		}
	}
	if long == nil {
		return s
	}
	s += fmt.Sprintf(" · %s/%s %d", long.Tenant, long.Stream, long.Records)
	if pct, ok := long.Percent(); ok {
		s += fmt.Sprintf(" (%d%%)", int(pct))
	}
	if eta, ok := long.ETA(now); ok {
		s += fmt.Sprintf(" eta %s", eta.Round(time.Second))
	}
	return s
}

// showProgress draws a bar on a terminal, or logs progress lines
// elsewhere, until the returned function is called.
func showProgress(ctx context.Context, app *connector.App, only string, stderr io.Writer,
	log *slog.Logger) func() {
	base, total := app.Engine.Finished(), app.Engine.StreamRuns(only)
	every, draw := progressLogs, func(v syncView) {
		log.Info("sync progress", "streams", v.streams, "of", v.total,
			"records", v.records, "running", len(v.running))
	}
	var bar *progressbar.ProgressBar
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(stderr),
			progressbar.OptionShowCount(), progressbar.OptionSetItsString("streams"),
			progressbar.OptionSetElapsedTime(true), progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(barRefresh))
		every, draw = barRefresh, func(v syncView) {
			if v.total != bar.GetMax64() {
				bar.ChangeMax64(v.total)
			}
			_ = bar.Set64(v.streams)
			bar.Describe(v.describe(time.Now()))
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				draw(viewOf(app, base, total))
			}
		}
	}()
	return func() {
		cancel()
		<-stopped
		if bar != nil {
			_ = bar.Finish()
		}
	}
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
