package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"slices"
)

// Exit statuses: 0 success, 1 a sync or run that failed, 2 a usage or
// configuration error found before any network call, 3 a check that
// Okta's rate limit kept from finishing (nothing to fix; try again later),
// so that a script can tell a retry from a fix.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
	exitRetry  = 3
)

// command is one subcommand.
type command struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"run", "the daemon: every tenant, every stream on its schedule", cmdRun},
		{"sync", "one pass over every stream of every tenant (--tenant for one)", cmdSync},
		{"dev", "a simulated org, an in-process broker and registry, the connector " +
			"against them (--once: stop after the first full sync)", cmdDev},
		{"check", "try each Okta endpoint a tenant's streams need; print ok or the fix " +
			"per permission (--tenant for one)", cmdCheck},
		{"checkpoints", "list, show, reset or set checkpoints, or read their audit " +
			"trail; works while connectors run", cmdCheckpoints},
		{"version", "print the version", cmdVersion},
		{"help", "print this help", cmdHelp},
	}
}

// helpFlags ask for the usage as the help command does, since that is
// what people type first.
var helpFlags = []string{"-h", "-help", "--help"}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		cmdHelp(nil, stderr, stderr)
		return exitUsage
	}
	if slices.Contains(helpFlags, args[0]) {
		return cmdHelp(args[1:], stdout, stderr)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "okta-connector: unknown command %q; see okta-connector help\n",
		args[0])
	return exitUsage
}

func cmdHelp(_ []string, stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, "usage: okta-connector <command> [flags]")
	fmt.Fprintln(stdout)
	for _, c := range commands() {
		fmt.Fprintf(stdout, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "Configuration comes from environment variables; see README.md.")
	return exitOK
}

func cmdVersion(_ []string, stdout, _ io.Writer) int {
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprintln(stdout, "okta-connector", version(bi))
	return exitOK
}
