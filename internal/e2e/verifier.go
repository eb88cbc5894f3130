package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// pythonEnv builds the virtual environment at most once per test binary:
// setup.sh is cheap when the environment exists, but still a process and a
// lock, and every test of the package needs the same answer.
var pythonEnv = sync.OnceValues(func() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	script := filepath.Join(root, "tools", "verify-consumer", "setup.sh")
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("bash", script)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", errors.New("running " + script + ": " + err.Error() + "\n" +
			tail(stderr.String(), 40))
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	return lines[len(lines)-1], nil
})

// Python returns the virtual environment's python, creating the environment
// with the pinned requirements on first use. It fails t with the setup's
// reason (no python3, no network to the package index, …) rather than
// skipping: an unverified output is not a passing one.
func Python(t testing.TB) string {
	t.Helper()
	start := time.Now()
	python, err := pythonEnv()
	if err != nil {
		t.Fatalf("preparing the verifier's python environment: %v", err)
	}
	t.Logf("verifier python %s ready in %v", python, time.Since(start).Round(time.Millisecond))
	return python
}

// VerifyArgs says what the verifier reads and what it compares with.
type VerifyArgs struct {
	Brokers     []string
	Prefix      string        // topic prefix, e.g. "okta."
	RegistryURL string        // for Confluent framing; empty without a registry
	AvscDir     string        // for single-object framing; empty to not resolve it
	TruthFile   string        // JSON written by Truth.Write; empty for decoding only
	Deadline    time.Duration // time allowed to reach the marks; 0 for 60 s
}

// VerifyResult is what one verifier run said.
type VerifyResult struct {
	ExitCode int
	Output   string // stdout then stderr
	Elapsed  time.Duration
}

// Verify runs tools/verify-consumer/verify.py and returns its exit code and
// output; it fails t only when the program cannot be started at all, so
// tests can assert a failing verdict as well as a passing one.
func Verify(t testing.TB, a VerifyArgs) VerifyResult {
	t.Helper()
	python := Python(t)
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if a.Deadline == 0 {
		a.Deadline = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.Deadline+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, verifyArgv(root, a)...)
	// No __pycache__ in the source tree: the tree is shared and checked in.
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	res := VerifyResult{Output: stdout.String() + stderr.String(), Elapsed: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitCode()
	case err != nil:
		t.Fatalf("running the verifier with %s: %v\n%s", python, err, res.Output)
	}
	return res
}

func verifyArgv(root string, a VerifyArgs) []string {
	argv := []string{
		filepath.Join(root, "tools", "verify-consumer", "verify.py"),
		"--brokers", strings.Join(a.Brokers, ","),
		"--prefix", a.Prefix,
		"--deadline", strconv.FormatFloat(a.Deadline.Seconds(), 'f', -1, 64),
	}
	if a.RegistryURL != "" {
		argv = append(argv, "--registry", a.RegistryURL)
	}
	if a.AvscDir != "" {
		argv = append(argv, "--avsc-dir", a.AvscDir)
	}
	if a.TruthFile != "" {
		argv = append(argv, "--expect", a.TruthFile)
	}
	return argv
}

// repoRoot finds the module root from the test's working directory (the
// package directory under go test), so the tool's files are found wherever
// the clone lives.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("finding go.mod above the working directory")
		}
		dir = parent
	}
}

// tail returns the last n lines of s, which is where tools put the reason
// they stopped.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
