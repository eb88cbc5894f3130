// Command kfake-server runs a fake Kafka cluster and a fake schema registry
// on loopback as a process of its own, for tests that need a broker outside
// the connector's process and for clients in other languages.
//
// It prints one JSON line, {"brokers":[…],"registry":"http://…"}, on
// standard output once both listen, and stops on SIGINT or SIGTERM, or when
// standard input closes if -exit-on-stdin-eof is given (so that a parent
// which dies without cleaning up does not leave it running).
//
// Known limits: those of kfake and srfake (see internal/kafkatest/fakeserver);
// everything is in memory and lost at exit.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/okta-connector/okta-connector/internal/kafkatest/fakeserver"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "kfake-server: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	cfg, err := opts.config(stderr)
	if err != nil {
		return err
	}
	srv, err := fakeserver.Start(cfg)
	if err != nil {
		return err
	}
	defer srv.Close()

	if err := json.NewEncoder(stdout).Encode(srv.Addrs()); err != nil {
		return fmt.Errorf("printing addresses: %w", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if opts.exitOnEOF {
		go func() {
			// Any read result ends the wait: data is not expected, and
			// EOF or an error both mean the parent is gone.
			_, _ = io.Copy(io.Discard, stdin)
			stop()
		}()
	}
	<-ctx.Done()
	return nil
}
