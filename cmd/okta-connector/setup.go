package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/internal/logging"
)

// closeTimeout bounds the final flush at exit.
const closeTimeout = 30 * time.Second

// loaded is the validated configuration of run and sync.
type loaded struct {
	cfg     config.Config
	tenants []config.Tenant
	log     *slog.Logger
	cluster bool // share the Kafka store's shards with other instances
}

// load reads and checks the environment; it makes no network call.
func load(stderr io.Writer) (loaded, error) {
	cfg, err := config.Load()
	if err != nil {
		return loaded{}, err
	}
	if err := cfg.CheckRunnable(); err != nil {
		return loaded{}, err
	}
	log, err := logging.New(stderr, cfg.Log.Level, cfg.Log.Format)
	if err != nil {
		return loaded{}, err
	}
	// A tenant whose credentials cannot be read fails alone (Err set).
	tenants, err := cfg.AllTenants()
	if err != nil {
		return loaded{}, err
	}
	return loaded{cfg: cfg, tenants: tenants, log: log}, nil
}

// open wires the engine for l.
func open(ctx context.Context, l loaded) (*connector.App, error) {
	return connector.Open(ctx, connector.AppConfig{
		Config: l.cfg, Tenants: l.tenants, Logger: l.log,
		KafkaLogger: logging.KafkaLogger(l.log), Cluster: l.cluster,
	})
}

// signalContext ends on SIGINT or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// closeApp flushes and closes app, reporting a failure on stderr.
func closeApp(app *connector.App, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	if err := app.Close(ctx); err != nil {
		fmt.Fprintln(stderr, "okta-connector:", err)
		return err
	}
	return nil
}

// fail prints err as the command's reason and returns status.
func fail(stderr io.Writer, status int, err error) int {
	fmt.Fprintln(stderr, "okta-connector:", err)
	return status
}
