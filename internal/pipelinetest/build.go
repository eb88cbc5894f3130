package pipelinetest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// Import paths of the binaries this package runs.
const (
	ConnectorPkg = "github.com/okta-connector/okta-connector/cmd/okta-connector"
	SimPkg       = "github.com/okta-connector/okta-connector/cmd/okta-sim"
)

var builds sync.Map // import path -> *built

type built struct {
	once sync.Once
	path string
	err  error
}

// Binary builds the command at import path pkg once per test binary and
// returns the path of the executable. It builds into a fresh file and
// renames it over a fixed path in the temporary directory, so concurrent
// test binaries never overwrite a file another one is running.
func Binary(t testing.TB, pkg string) string {
	t.Helper()
	v, _ := builds.LoadOrStore(pkg, &built{})
	b := v.(*built)
	b.once.Do(func() { b.path, b.err = build(pkg) })
	if b.err != nil {
		t.Fatalf("building %s: %v", pkg, b.err)
	}
	return b.path
}

func build(pkg string) (string, error) {
	dir := filepath.Join(os.TempDir(), "okta-connector-pipelinetest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating %q: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(pkg)+"-*.tmp")
	if err != nil {
		return "", fmt.Errorf("creating a file in %q: %w", dir, err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	var out bytes.Buffer
	cmd := exec.Command(goTool(), "build", "-o", tmp.Name(), pkg)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build: %w: %s", err, out.Bytes())
	}
	final := filepath.Join(dir, filepath.Base(pkg))
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", fmt.Errorf("renaming the binary to %q: %w", final, err)
	}
	return final, nil
}

// goTool returns the go command `go test` put first on PATH.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}
