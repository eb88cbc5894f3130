package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/okta-connector/okta-connector/internal/bench"
)

// options is everything the flags set.
type options struct {
	org, rl  bench.Org
	seed     uint64
	share    float64
	latency  bool
	peer     bool
	out      string
	binDir   string
	workDir  string
	brokers  []string
	inside   string // the namespace this process was started in, if any
	original []string
}

// inNamespaceEnv carries the namespace name to the copy of the command that
// runs inside it.
const inNamespaceEnv = "OKTA_BENCH_NETNS"

func parseFlags(args []string, stderr io.Writer) (options, error) {
	o := options{original: args}
	fs := flag.NewFlagSet("okta-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: okta-bench [flags]\n\n"+
			"Benchmarks the connector (issue 7) and writes bench-result.md and\n"+
			"bench-result.json. Groups, apps and events default to the proportions\n"+
			"of 100k users, 5k groups, 500 apps and 1M events. KAFKA_BROKERS names a\n"+
			"real broker; otherwise a kfake-server process is started.\n\n")
		fs.PrintDefaults()
	}
	fs.IntVar(&o.org.Users, "users", 10000, "users of the org")
	fs.IntVar(&o.org.Groups, "groups", -1, "groups (default users/20)")
	fs.IntVar(&o.org.Apps, "apps", -1, "apps (default users/200)")
	fs.IntVar(&o.org.Events, "events", -1, "System Log events (default users×10)")
	fs.IntVar(&o.rl.Users, "rl-users", 2000, "users of the rate-limited org (0: skip the row)")
	fs.IntVar(&o.rl.Groups, "rl-groups", 100, "groups of the rate-limited org")
	fs.IntVar(&o.rl.Apps, "rl-apps", 60, "apps of the rate-limited org")
	fs.IntVar(&o.rl.Events, "rl-events", 20000, "events of the rate-limited org")
	fs.Float64Var(&o.share, "share", 0.5, "RATE_LIMIT_SHARE of the rate-limited row")
	fs.Uint64Var(&o.seed, "seed", 1, "generator seed")
	fs.BoolVar(&o.latency, "latency", true, "measure the change latency (up to 2 minutes)")
	fs.BoolVar(&o.peer, "peer", true,
		"run airbyte-source-okta side by side (root: needs ip netns)")
	fs.StringVar(&o.out, "out", ".", "directory for bench-result.md and bench-result.json")
	fs.StringVar(&o.binDir, "bin-dir", "",
		"directory with okta-connector, okta-sim, kfake-server (default: build them)")
	fs.StringVar(&o.workDir, "work-dir", "", "directory for logs and checkpoints "+
		"(default: a temporary one, removed at the end)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	scaled := bench.OrgFor(o.org.Users)
	for _, f := range []struct {
		v *int
		d int
	}{{&o.org.Groups, scaled.Groups},
		{&o.org.Apps, scaled.Apps}, {&o.org.Events, scaled.Events}} {
		if *f.v < 0 {
			*f.v = f.d
		}
	}
	if v := os.Getenv("KAFKA_BROKERS"); v != "" {
		o.brokers = strings.Split(v, ",")
	}
	o.inside = os.Getenv(inNamespaceEnv)
	return o, nil
}
