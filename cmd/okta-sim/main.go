// Command okta-sim serves simulated Okta orgs (internal/oktasim) for
// benchmarks, other tools and compose.yaml:
//
//	okta-sim --addr 127.0.0.1:8089 --token TOKEN --seed 1 --users N --groups N --apps N --events N
//
// It prints one ready line with each org's URL (never the token) and
// stops cleanly on SIGTERM or interrupt. Run with --help for every flag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

func main() {
	err := run(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "okta-sim:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	opts, err := parseFlags(args)
	if err != nil {
		return err
	}
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
	fmt.Printf("okta-sim ready url=%s orgs=%d users=%d groups=%d apps=%d events=%d\n",
		srv.URL(), len(orgs), opts.org.Users, opts.org.Groups, opts.org.Apps, opts.org.Events)
	for i, u := range srv.URLs()[1:] {
		fmt.Printf("okta-sim org=%d url=%s\n", i+2, u)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	select {
	case <-ctx.Done():
		return nil
	case err := <-srv.Err():
		return fmt.Errorf("serving: %w", err)
	}
}
