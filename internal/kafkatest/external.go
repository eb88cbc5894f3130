package kafkatest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/kafkatest/fakeserver"
)

// serverPkg is the import path of the fake server that External runs.
const serverPkg = "github.com/okta-connector/okta-connector/cmd/kfake-server"

// startTimeout bounds how long External waits for the server's address line.
const startTimeout = 30 * time.Second

// External returns a broker and a registry that live outside the test's
// process: KAFKA_BROKERS (with SCHEMA_REGISTRY_URL, or else Registry) when
// set; otherwise a cmd/kfake-server process, built once per test binary,
// that is stopped at cleanup (and stops by itself if the test binary dies,
// since its standard input then closes).
func External(t testing.TB) (brokers []string, registryURL string) {
	t.Helper()
	if seeds := envBrokers(); len(seeds) > 0 {
		if u := os.Getenv(RegistryEnv); u != "" {
			return seeds, u
		}
		return seeds, Registry(t)
	}
	addrs := StartServer(t)
	return addrs.Brokers, addrs.Registry
}

// StartServer runs cmd/kfake-server with args in a process of its own and
// returns the addresses it prints; the process is stopped at cleanup.
func StartServer(t testing.TB, args ...string) fakeserver.Addrs {
	t.Helper()
	bin := serverBinary(t)
	var stderr LockedBuffer
	cmd := exec.Command(bin, append([]string{"-exit-on-stdin-eof"}, args...)...)
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatalf("piping to kfake-server: %v", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("piping from kfake-server: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting kfake-server: %v", err)
	}
	t.Cleanup(func() { stopServer(t, cmd, stdin, &stderr) })

	addrs, err := readAddrs(stdout)
	if err != nil {
		t.Fatalf("reading kfake-server's addresses: %v (stderr: %q)", err, stderr.String())
	}
	// Keep draining stdout so the server never blocks on a full pipe.
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return addrs
}

func readAddrs(stdout io.Reader) (fakeserver.Addrs, error) {
	type result struct {
		addrs fakeserver.Addrs
		err   error
	}
	ch := make(chan result, 1)
	go func() {
		var r result
		line, err := bufio.NewReader(stdout).ReadBytes('\n')
		if err != nil {
			r.err = fmt.Errorf("reading the first line: %w", err)
		} else if err := json.Unmarshal(line, &r.addrs); err != nil {
			r.err = fmt.Errorf("decoding %q: %w", line, err)
		} else if len(r.addrs.Brokers) == 0 {
			r.err = fmt.Errorf("no brokers in %q", line)
		}
		ch <- r
	}()
	select {
	case r := <-ch:
		return r.addrs, r.err
	case <-time.After(startTimeout):
		return fakeserver.Addrs{}, fmt.Errorf("no address line within %v", startTimeout)
	}
}

// stopServer closes the server's standard input (its stop signal), waits a
// little, and kills it if it is still there.
func stopServer(t testing.TB, cmd *exec.Cmd, stdin io.Closer, stderr *LockedBuffer) {
	stdin.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("kfake-server exited with %v (stderr: %q)", err, stderr.String())
		}
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Errorf("kfake-server ignored its closed stdin for 5s; killed it")
	}
}

var build struct {
	once sync.Once
	path string
	err  error
}

// serverBinary builds cmd/kfake-server once per test binary. It builds into
// a fresh file and renames it over a fixed path in the temporary directory,
// so concurrent test binaries never write a file another one runs, and
// repeated runs leave one file behind rather than one per run.
func serverBinary(t testing.TB) string {
	t.Helper()
	build.once.Do(func() { build.path, build.err = buildServer() })
	if build.err != nil {
		t.Fatalf("building kfake-server: %v", build.err)
	}
	return build.path
}

func buildServer() (string, error) {
	dir := filepath.Join(os.TempDir(), "okta-connector-kafkatest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating %q: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "kfake-server-*.tmp")
	if err != nil {
		return "", fmt.Errorf("creating a file in %q: %w", dir, err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	var out bytes.Buffer
	cmd := exec.Command(goTool(), "build", "-o", tmp.Name(), serverPkg)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build %s: %w: %s", serverPkg, err, out.Bytes())
	}
	final := filepath.Join(dir, "kfake-server")
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", fmt.Errorf("renaming the binary to %q: %w", final, err)
	}
	return final, nil
}

// goTool returns the go command: the one `go test` put first on PATH (it
// sets GOROOT/bin there), else a plain "go" for exec to report missing.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}

// LockedBuffer is a bytes.Buffer safe for one writer goroutine (exec's
// copier, a logger) and a reader in the test at the same time.
type LockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *LockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
