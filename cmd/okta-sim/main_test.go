package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// asMain makes the test binary run okta-sim's main instead of the tests,
// so the tests start the real command as a process without a go build.
const asMain = "OKTA_SIM_TEST_AS_MAIN"

const secret = "sim-secret-token-5f3c9a"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// command returns okta-sim as a process with args; its stdout and stderr
// collect into out.
func command(t *testing.T, out *syncBuffer, args ...string) *exec.Cmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), asMain+"=1")
	cmd.Stderr = out
	return cmd
}

// syncBuffer is a bytes.Buffer safe for a process's two output pipes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var readyRE = regexp.MustCompile(`^okta-sim ready url=(\S+) orgs=1 users=20 `)

// start runs okta-sim with args and returns its base URL from the ready
// line, and the running process.
func start(t *testing.T, out *syncBuffer, args ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd := command(t, out, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting okta-sim: %v", err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			_, _ = out.Write([]byte(sc.Text() + "\n"))
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(lines)
	}()
	select {
	case line, ok := <-lines:
		m := readyRE.FindStringSubmatch(line)
		if !ok || m == nil {
			t.Fatalf("got first line %q, want the ready line; output:\n%s", line, out)
		}
		return m[1], cmd
	case <-time.After(20 * time.Second):
		t.Fatalf("no ready line after 20s; output:\n%s", out)
	}
	return "", nil
}

func get(t *testing.T, url, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "SSWS "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %q: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestProcess runs okta-sim as a process: it prints the ready line, serves
// authenticated requests, passes its own healthcheck and exits 0 on
// SIGTERM, and the token appears in none of its output.
func TestProcess(t *testing.T) {
	var out syncBuffer
	base, cmd := start(t, &out, "--addr", "127.0.0.1:0", "--token", secret,
		"--users", "20", "--events", "50", "--rate-limits", "off")
	tests := []struct {
		name, path, token string
		want              int
	}{
		{"authenticated", "/api/v1/users?limit=5", secret, http.StatusOK},
		{"no token", "/api/v1/users", "", http.StatusUnauthorized},
		{"wrong token", "/api/v1/logs", "wrong", http.StatusUnauthorized},
		{"health without token", oktasim.HealthPath, "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := get(t, base+tt.path, tt.token); got != tt.want {
				t.Errorf("GET %s: got %d, want %d", tt.path, got, tt.want)
			}
		})
	}
	t.Run("healthcheck subcommand", func(t *testing.T) {
		var hc syncBuffer
		probe := command(t, &hc, "healthcheck", "--url", base+oktasim.HealthPath)
		probe.Stdout = &hc
		if err := probe.Run(); err != nil {
			t.Errorf("healthcheck of a running okta-sim: got %v, want exit 0; output:\n%s",
				err, hc.String())
		}
	})
	t.Run("healthcheck of a path that is not healthy", func(t *testing.T) {
		var hc syncBuffer
		probe := command(t, &hc, "healthcheck", "--url", base+"/api/v1/users")
		probe.Stdout = &hc
		err := probe.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("healthcheck of a 401 path: got %v, want exit 1; output:\n%s",
				err, hc.String())
		}
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: got %v, want exit 0; output:\n%s", err, out.String())
	}
	if strings.Contains(out.String(), secret) {
		t.Errorf("output contains the token:\n%s", out.String())
	}
}

// TestExitStatus checks what other tools rely on: --help exits 0, bad
// flags and failed probes exit 1, and no message prints the token.
func TestExitStatus(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = busy.Close() })
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"--help"}, 0, "Usage: okta-sim"},
		{"healthcheck help", []string{"healthcheck", "--help"}, 0, "okta-sim healthcheck"},
		{"no token", []string{"--addr", "127.0.0.1:0"}, 1, "--token"},
		{"bad link style", []string{"--token", secret, "--link-style", "odd"}, 1, `"odd"`},
		{"busy address", []string{"--token", secret, "--addr", busy.Addr().String()}, 1,
			"listening"},
		{"nothing listening", []string{"healthcheck", "--url", "http://127.0.0.1:1/_sim/healthz",
			"--timeout", "2s"}, 1, "probing health"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out syncBuffer
			cmd := command(t, &out, tt.args...)
			cmd.Stdout = &out
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code || !strings.Contains(out.String(), tt.want) {
				t.Errorf("got exit %d, output:\n%s\nwant exit %d and %q", code, out.String(),
					tt.code, tt.want)
			}
			if strings.Contains(out.String(), secret) {
				t.Errorf("output contains the token:\n%s", out.String())
			}
		})
	}
}

// TestHelpDocumentsEveryFlag wants every declared flag, of the server and
// of the healthcheck, in the process's --help text with a description.
func TestHelpDocumentsEveryFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		fs   *flag.FlagSet
	}{
		{"serve", []string{"--help"}, newFlagSet(&options{})},
		{"healthcheck", []string{"healthcheck", "--help"}, newHealthFlagSet(&healthOptions{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out syncBuffer
			cmd := command(t, &out, tt.args...)
			cmd.Stdout = &out
			if err := cmd.Run(); err != nil {
				t.Fatalf("running %v: got %v, want exit 0", tt.args, err)
			}
			help := out.String()
			n := 0
			tt.fs.VisitAll(func(f *flag.Flag) {
				n++
				if !strings.Contains(help, "  -"+f.Name+" ") &&
					!strings.Contains(help, "  -"+f.Name+"\n") {
					t.Errorf("flag -%s: missing from --help", f.Name)
				}
				if strings.TrimSpace(f.Usage) == "" {
					t.Errorf("flag -%s: got no description, want one", f.Name)
				}
			})
			if n == 0 {
				t.Fatal("got no flags, want some")
			}
		})
	}
}

// TestStopReportsCPU stops a profiled okta-sim: it must leave a CPU
// profile and one stop line with its generating and serving CPU seconds,
// which benchmarks read to charge the simulator its own cost.
func TestStopReportsCPU(t *testing.T) {
	var out syncBuffer
	prof := t.TempDir() + "/cpu.pprof"
	base, cmd := start(t, &out, "--addr", "127.0.0.1:0", "--token", secret,
		"--users", "20", "--events", "50", "--rate-limits", "off", "--cpuprofile", prof)
	if got := get(t, base+"/api/v1/users", secret); got != http.StatusOK {
		t.Fatalf("GET users: got %d, want 200", got)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: got %v, want exit 0; output:\n%s", err, out.String())
	}
	stopRE := regexp.MustCompile(`(?m)^okta-sim stopped cpu_generate=\d+\.\d\ds ` +
		`cpu_serve=\d+\.\d\ds$`)
	if !stopRE.MatchString(out.String()) {
		t.Errorf("got output:\n%s\nwant a line matching %s", out.String(), stopRE)
	}
	if st, err := os.Stat(prof); err != nil || st.Size() == 0 {
		t.Errorf("cpu profile %s: got %v (error %v), want a non-empty file", prof, st, err)
	}
}

// TestHelpListsAdminRoutes wants the admin API in --help: a tool driving
// the simulator learns its routes there, not from the source.
func TestHelpListsAdminRoutes(t *testing.T) {
	var out syncBuffer
	cmd := command(t, &out, "--help")
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("running --help: got %v, want exit 0", err)
	}
	help := out.String()
	if !strings.Contains(help, oktasim.AdminHelp()) {
		t.Errorf("--help lacks the admin API; got:\n%s", help)
	}
	for _, route := range []string{
		"POST   /_sim/users ",
		"DELETE /_sim/groups/{gid}/users/{uid} ",
		"PUT    /_sim/apps/{aid}/groups/{gid} ",
		"POST   /_sim/ratelimit/{bucket} ",
	} {
		if !strings.Contains(help, route) {
			t.Errorf("--help: got no %q line, want one", route)
		}
	}
}
