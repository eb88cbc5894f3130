package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// Exit statuses: 0 success, 1 a sync or run that failed, 2 a usage or
// configuration error found before any network call.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
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
		{"version", "print the version", cmdVersion},
		{"help", "print this help", cmdHelp},
	}
}

// notYet lists commands of the design that later releases bring.
var notYet = map[string]string{
	"check":       "checking a tenant's credentials",
	"checkpoints": "listing and changing checkpoints",
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		cmdHelp(nil, stderr, stderr)
		return exitUsage
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	if what, ok := notYet[args[0]]; ok {
		fmt.Fprintf(stderr, "okta-connector: %s (%s) is not available yet\n", args[0], what)
		return exitUsage
	}
	fmt.Fprintf(stderr, "okta-connector: unknown command %q; see okta-connector help\n",
		args[0])
	return exitUsage
}

func cmdHelp(_ []string, stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, "usage: okta-connector <command> [flags]")
	fmt.Fprintln(stdout)
	for _, c := range commands() {
		fmt.Fprintf(stdout, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "Configuration comes from environment variables; see README.md.")
	return exitOK
}

func cmdVersion(_ []string, stdout, _ io.Writer) int {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	fmt.Fprintln(stdout, "okta-connector", v)
	return exitOK
}
