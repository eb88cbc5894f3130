package main

import (
	"flag"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/okta-connector/okta-connector/connector"
)

// cmdRun is the daemon: it runs until SIGINT or SIGTERM, then lets the
// batches in flight finish, flushes the producer and exits 0. SIGHUP, or a
// change of the tenants file, reloads the tenants without a restart.
func cmdRun(args []string, _, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	l, err := load(stderr)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	// SIGHUP is caught before any slow start-up step, so an early one
	// cannot end the process (its default action).
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	ctx, stop := signalContext()
	defer stop()
	app, err := open(ctx, l)
	if err != nil {
		return fail(stderr, exitFailed, err)
	}
	l.log.Info("connector started", "tenants", len(l.tenants))
	rl := connector.NewReloader(app.Engine, app.AppConfig())
	var watching sync.WaitGroup
	watching.Go(func() { rl.Watch(ctx, hup, connector.DefaultReloadPoll) })
	watching.Go(func() {
		if err := app.ServeAdmin(ctx); err != nil {
			l.log.Error("admin endpoint stopped", "error", err)
		}
	})
	app.Engine.Run(ctx)
	watching.Wait()
	l.log.Info("connector stopping: flushing")
	if closeApp(app, stderr) != nil {
		return exitFailed
	}
	return exitOK
}
