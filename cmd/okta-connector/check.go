package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/connector/check"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/internal/logging"
)

// cmdCheck tries, for every configured tenant (or the one --tenant names),
// each Okta endpoint its streams need, and prints per permission ok or
// the fix. It exits 1 when anything needs a fix, else 3 when Okta's rate
// limit held a probe back. It needs no Kafka.
func cmdCheck(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signalContext()
	defer stop()
	return runCheck(ctx, os.Environ(), args, stdout, stderr)
}

// runCheck is cmdCheck on a given environment.
func runCheck(ctx context.Context, environ, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("tenant", "", "check only the tenant with this id")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	o, err := loadOffline(config.LoadEnv, environ, stderr)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	tenants, err := pickTenants(o.tenants, *only)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	worst, unreadable := check.OK, false
	for i, t := range tenants {
		if t.Err != nil { // its credentials cannot be read; check the others
			fmt.Fprintln(stderr, "okta-connector:", t.Err)
			unreadable = true
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		cl, err := connector.NewOktaClient(connector.AppConfig{Config: o.cfg, Logger: o.log}, t)
		if err != nil {
			return fail(stderr, exitUsage, err)
		}
		v, err := check.Run(ctx, stdout, cl, t)
		if err != nil {
			return fail(stderr, exitFailed, err)
		}
		if v == check.Fix || worst == check.OK {
			worst = v
		}
	}
	switch {
	case unreadable:
		return exitUsage
	case worst == check.Fix:
		return exitFailed
	case worst == check.Wait:
		return exitRetry
	}
	return exitOK
}

// offline is the configuration of the commands that need no Kafka.
type offline struct {
	cfg     config.Config
	tenants []config.Tenant
	log     *slog.Logger
}

// loadOffline reads and checks environ with load (config.LoadEnv, or
// config.LoadEnvWithoutCredentials for commands that call no Okta) and the
// tenants; it makes no network call and, unlike run and sync, needs no
// KAFKA_BROKERS.
func loadOffline(load func([]string) (config.Config, error), environ []string,
	stderr io.Writer) (offline, error) {
	cfg, err := load(environ)
	if err != nil {
		return offline{}, err
	}
	if cfg.TenantsFile == "" && cfg.Okta.Domain == "" {
		return offline{}, errors.New("OKTA_DOMAIN: not set, and no TENANTS_FILE; set one of them")
	}
	log, err := logging.New(stderr, cfg.Log.Level, cfg.Log.Format)
	if err != nil {
		return offline{}, err
	}
	tenants, err := cfg.AllTenants()
	if err != nil {
		return offline{}, err
	}
	return offline{cfg: cfg, tenants: tenants, log: log}, nil
}

// pickTenants returns every tenant, or only the one named id.
func pickTenants(tenants []config.Tenant, id string) ([]config.Tenant, error) {
	if id == "" {
		return tenants, nil
	}
	for _, t := range tenants {
		if t.ID == id {
			return []config.Tenant{t}, nil
		}
	}
	ids := make([]string, 0, len(tenants))
	for _, t := range tenants {
		ids = append(ids, t.ID)
	}
	return nil, fmt.Errorf("--tenant %q: no such tenant (configured: %v)", id, ids)
}
