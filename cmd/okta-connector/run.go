package main

import (
	"flag"
	"io"
)

// cmdRun is the daemon: it runs until SIGINT or SIGTERM, then lets the
// batches in flight finish, flushes the producer and exits 0.
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
	ctx, stop := signalContext()
	defer stop()
	app, err := open(ctx, l)
	if err != nil {
		return fail(stderr, exitFailed, err)
	}
	l.log.Info("connector started", "tenants", len(l.tenants))
	app.Engine.Run(ctx)
	l.log.Info("connector stopping: flushing")
	if closeApp(app, stderr) != nil {
		return exitFailed
	}
	return exitOK
}
