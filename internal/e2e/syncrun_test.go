package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// connectorBinary is built once per test binary, into a directory removed
// by TestMain.
var (
	binDir          string
	connectorBinary = sync.OnceValues(buildConnector)
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "okta-connector-e2e-")
	if err != nil {
		panic("creating a directory for the connector binary: " + err.Error())
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func buildConnector() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(binDir, "okta-connector")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/okta-connector")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", &buildError{err: err, out: string(out)}
	}
	return bin, nil
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string {
	return "building ./cmd/okta-connector: " + e.err.Error() + "\n" + e.out
}

// syncEnv is the environment of one `okta-connector sync`: exactly the
// variables given, plus PATH and HOME, so a developer's own KAFKA_* or
// OKTA_* never leak into the run.
type syncEnv map[string]string

// runSync runs `okta-connector sync` with env and fails t unless it exits 0.
// It returns the command's stdout (the per-topic summary).
func runSync(t testing.TB, env syncEnv) string {
	t.Helper()
	bin, err := connectorBinary()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "sync")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("okta-connector sync: %v\nstdout:\n%s\nstderr (tail):\n%s", err,
			stdout.String(), tail(stderr.String(), 30))
	}
	t.Logf("okta-connector sync took %v:\n%s", time.Since(start).Round(time.Millisecond),
		strings.TrimSpace(stdout.String()))
	return stdout.String()
}
