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
// change of the tenants file, reloads the tenants without a restart. With
// the Kafka store it joins the group of the checkpoint topic's instances
// and runs the tenants of the shards the group gives it (DESIGN §9); it
// exits non-zero if it has to leave the group.
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
	l.cluster = true
	app, err := open(ctx, l)
	if err != nil {
		return fail(stderr, exitFailed, err)
	}
	cluster, err := app.Cluster()
	if err != nil {
		_ = closeApp(app, stderr)
		return fail(stderr, exitFailed, err)
	}
	l.log.Info("connector started", "tenants", len(l.tenants))
	var tenants connector.TenantSet = app.Engine
	var watching sync.WaitGroup
	var left error // why the instance left its group
	if cluster != nil {
		tenants = cluster
		watching.Go(func() {
			if left = cluster.Run(ctx); left != nil {
				stop()
			}
		})
	}
	rl := connector.NewReloader(tenants, app.AppConfig())
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
	if left != nil {
		return fail(stderr, exitFailed, left)
	}
	return exitOK
}
