// Command okta-sim serves simulated Okta orgs (internal/oktasim) for
// benchmarks, other tools and compose.yaml:
//
//	okta-sim --addr 127.0.0.1:8089 --token TOKEN --seed 1 --users N --groups N --apps N --events N
//
// It prints one ready line with each org's URL (never the token) and
// stops cleanly on SIGTERM or interrupt, writing one line to stderr with
// the CPU seconds it spent generating and serving (--cpuprofile also
// writes a profile of the serving). Run with --help for every flag.
//
// For container health checks on an image without a shell:
//
//	okta-sim healthcheck [--url http://127.0.0.1:8089/_sim/healthz]
//
// exits 0 when the simulator answers its health endpoint, 1 otherwise.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

func main() {
	err := run(os.Args[1:], os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "okta-sim:", err)
		os.Exit(1)
	}
}

// run dispatches to the healthcheck subcommand or serves; stdout gets the
// ready lines.
func run(args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "healthcheck" {
		return healthcheck(args[1:])
	}
	return serve(args, stdout)
}

// serve generates the orgs, serves them and returns on SIGTERM or
// interrupt (nil) or when a listener fails.
func serve(args []string, stdout io.Writer) (err error) {
	// Signals are caught before the ready line, so a SIGTERM sent as soon
	// as it appears still stops the simulator cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts, err := parseFlags(args)
	if err != nil {
		return err
	}
	cpu0 := cpuUsage()
	orgs := make([]*oktasim.Org, 0, opts.orgs)
	for i := range opts.orgs {
		o, err := oktasim.NewOrg(opts.orgConfig(i))
		if err != nil {
			return fmt.Errorf("generating org %d: %w", i+1, err)
		}
		if err := o.SetFaults(opts.faults); err != nil {
			return err
		}
		orgs = append(orgs, o)
	}
	srv, err := oktasim.Start(opts.server, orgs...)
	if err != nil {
		return err
	}
	defer srv.Close()
	// The profile starts once the orgs exist: it is the serving that
	// shares the cores with the connector.
	stopProfile, err := startProfile(opts.cpuProfile)
	if err != nil {
		return err
	}
	cpu1 := cpuUsage()
	defer func() {
		reportUsage(os.Stderr, cpu1-cpu0, cpuUsage()-cpu1)
	}()
	defer func() {
		if perr := stopProfile(); perr != nil && err == nil {
			err = perr
		}
	}()
	fmt.Fprintf(stdout,
		"okta-sim ready url=%s orgs=%d users=%d groups=%d apps=%d events=%d\n", srv.URL(),
		len(orgs), opts.org.Users, opts.org.Groups, opts.org.Apps, opts.org.Events)
	for i, u := range srv.URLs()[1:] {
		fmt.Fprintf(stdout, "okta-sim org=%d url=%s\n", i+2, u)
	}
	select {
	case <-ctx.Done():
		return nil
	case err := <-srv.Err():
		return fmt.Errorf("serving: %w", err)
	}
}
