// Command okta-bench measures the connector (issue 7): a full sync against
// Okta's rate-limit floor and unthrottled against the cost of its own work,
// an idle incremental cycle, the change latency, and Airbyte's Okta source
// side by side. It writes one table to stdout and bench-result.md, and the
// same figures to bench-result.json:
//
//	go run ./cmd/okta-bench --users 10000
//
// Every party runs as a process of its own on loopback. With --peer (the
// default, as root) the command creates a network namespace, runs a copy
// of itself inside it and removes the namespace at the end; nothing leaves
// the machine. See internal/bench for what each row measures and its
// limits.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/okta-connector/okta-connector/internal/bench"
)

func main() {
	err := run(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "okta-bench:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	o, err := parseFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if o.binDir == "" {
		if o.binDir, err = build(root); err != nil {
			return err
		}
		defer os.RemoveAll(o.binDir)
	}
	if o.out, err = filepath.Abs(o.out); err != nil {
		return fmt.Errorf("resolving --out: %w", err)
	}
	peerWhy := ""
	if o.peer && o.inside == "" {
		switch {
		case len(o.brokers) > 0:
			peerWhy = "KAFKA_BROKERS is set, and the peer's namespace has no route to it"
		case os.Geteuid() != 0:
			peerWhy = "the peer's network namespace needs root (ip netns)"
		default:
			return inNamespace(ctx, o, root)
		}
	}
	return measure(ctx, o, root, peerWhy)
}

// measure runs the benchmark here and writes its outputs.
func measure(ctx context.Context, o options, root, peerWhy string) error {
	work := o.workDir
	if work == "" {
		dir, err := os.MkdirTemp("", "okta-bench-")
		if err != nil {
			return fmt.Errorf("creating work directory: %w", err)
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	cfg := bench.Config{Org: o.org, RateLimitedOrg: o.rl, Share: o.share, Seed: o.seed,
		Latency: o.latency, Peer: o.peer && o.inside != "", Namespace: o.inside,
		PeerSetup: filepath.Join(root, "tools", "peer", "setup.sh"),
		Brokers:   o.brokers, BinDir: o.binDir, WorkDir: work, Progress: os.Stderr}
	res, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if peerWhy != "" {
		res.Skipped["peer"] = peerWhy
	}
	return writeOutputs(o.out, res)
}

// writeOutputs prints the table and writes bench-result.md and .json.
func writeOutputs(dir string, res *bench.Result) error {
	var md bytes.Buffer
	bench.WriteMarkdown(&md, res)
	os.Stdout.Write(md.Bytes())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the output directory: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bench-result.md"), md.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing bench-result.md: %w", err)
	}
	f, err := os.Create(filepath.Join(dir, "bench-result.json"))
	if err != nil {
		return fmt.Errorf("writing bench-result.json: %w", err)
	}
	if err := bench.WriteJSON(f, res); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// moduleRoot is the directory of go.mod: where the binaries are built from
// and the peer's scripts live.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("finding the module: run okta-bench inside the repository")
	}
	return filepath.Dir(mod), nil
}

// build compiles the three programs the benchmark runs as processes.
func build(root string) (string, error) {
	dir, err := os.MkdirTemp("", "okta-bench-bin-")
	if err != nil {
		return "", fmt.Errorf("creating build directory: %w", err)
	}
	cmd := exec.Command("go", "build", "-o", dir, "./cmd/okta-connector", "./cmd/okta-sim",
		"./cmd/kfake-server")
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("building the programs: %w", err)
	}
	return dir, nil
}
