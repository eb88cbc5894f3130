package pipelinetest

import (
	"errors"
	"os"
	"os/exec"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

// Env is the environment of one connector process: exactly these
// variables plus PATH and HOME, so a developer's own KAFKA_* or OKTA_*
// never leak into a run.
type Env map[string]string

func (e Env) list() []string {
	out := baseEnv()
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

func baseEnv() []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
}

// Proc is a running okta-connector process.
type Proc struct {
	cmd            *exec.Cmd
	stdout, stderr kafkatest.LockedBuffer
	done           chan struct{}
	err            error
}

// Start runs okta-connector with args and env; the process gets SIGKILL at
// cleanup if it is still running then.
func Start(t testing.TB, env Env, args ...string) *Proc {
	t.Helper()
	p := &Proc{done: make(chan struct{})}
	p.cmd = exec.Command(Binary(t, ConnectorPkg), args...)
	p.cmd.Env = env.list()
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.cmd.SysProcAttr = orphanSignal(syscall.SIGKILL)
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting okta-connector %v: %v", args, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// Run runs okta-connector with args and env to its end, at most timeout,
// and returns the finished process.
func Run(t testing.TB, timeout time.Duration, env Env, args ...string) *Proc {
	t.Helper()
	p := Start(t, env, args...)
	if !p.WaitFor(timeout) {
		p.Kill()
		t.Fatalf("okta-connector %v still running after %v; killed it\nstderr (tail):\n%s",
			args, timeout, Tail(p.Stderr(), 30))
	}
	return p
}

// WaitFor waits up to d for the process to end and reports whether it did.
func (p *Proc) WaitFor(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		return false
	}
}

// Exited reports whether the process has ended.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Kill sends SIGKILL and waits for the process to end. It reports whether
// the signal found the process still running, that is whether this kill
// interrupted it rather than arriving after its own exit.
func (p *Proc) Kill() bool {
	if p.Exited() {
		return false
	}
	err := p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	return err == nil && p.KilledBy(syscall.SIGKILL)
}

// Signal sends sig to the process.
func (p *Proc) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// ExitCode returns the exit status of the ended process, or -1 when a
// signal ended it.
func (p *Proc) ExitCode() int {
	<-p.done
	return p.cmd.ProcessState.ExitCode()
}

// KilledBy reports whether sig ended the process.
func (p *Proc) KilledBy(sig syscall.Signal) bool {
	<-p.done
	ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == sig
}

// Err returns what Wait returned: nil for exit status 0.
func (p *Proc) Err() error {
	<-p.done
	return p.err
}

// Stdout returns what the process wrote to standard output so far.
func (p *Proc) Stdout() string { return p.stdout.String() }

// Stderr returns what the process wrote to standard error so far.
func (p *Proc) Stderr() string { return p.stderr.String() }

// Usage is the kernel's account of a finished process.
type Usage struct {
	User, System time.Duration
	MaxRSS       int64 // bytes
}

// CPU returns user plus system time.
func (u Usage) CPU() time.Duration { return u.User + u.System }

// Usage returns the finished process's CPU times and peak resident set.
func (p *Proc) Usage() (Usage, error) {
	<-p.done
	ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return Usage{}, errors.New("reading rusage: not available on this system")
	}
	return Usage{
		User:   time.Duration(ru.Utime.Nano()),
		System: time.Duration(ru.Stime.Nano()),
		MaxRSS: maxRSSBytes(ru.Maxrss),
	}, nil
}

// Tail returns the last n lines of s.
func Tail(s string, n int) string {
	end := len(s)
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' && i < len(s)-1 {
			n--
			if n == 0 {
				return s[i+1 : end]
			}
		}
	}
	return s
}
