package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// inNamespace creates the peer's network namespace, runs a copy of this
// command inside it (every party then lives on the namespace's loopback,
// where <domain>.okta.com resolves to 127.0.0.1), and removes the
// namespace whatever happened.
func inNamespace(ctx context.Context, o options, root string) error {
	script := filepath.Join(root, "tools", "peer", "netns.sh")
	name := fmt.Sprintf("okta-bench-%d", os.Getpid())
	host := fmt.Sprintf("sim%d.okta.com", o.seed)
	if out, err := exec.Command(script, "up", name, host).CombinedOutput(); err != nil {
		_ = exec.Command(script, "down", name).Run()
		return fmt.Errorf("creating namespace %s: %w: %s", name, err, out)
	}
	defer func() {
		if out, err := exec.Command(script, "down", name).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "okta-bench: removing namespace %s: %v: %s\n", name, err,
				out)
		}
	}()
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this program: %w", err)
	}
	args := append([]string{"netns", "exec", name, self}, o.original...)
	args = append(args, "--bin-dir", o.binDir, "--out", o.out)
	cmd := exec.Command("ip", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), inNamespaceEnv+"="+name)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the benchmark in %s: %w", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		// The copy stops its own children on SIGTERM; kill it only if
		// it does not finish in time.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err = <-done:
		case <-time.After(time.Minute):
			_ = cmd.Process.Kill()
			err = <-done
		}
	}
	if err != nil {
		return fmt.Errorf("running the benchmark in %s: %w", name, err)
	}
	return nil
}
