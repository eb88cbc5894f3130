package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// stopGrace is how long a stopped process may take to flush and exit
// before it is killed.
const stopGrace = 30 * time.Second

// proc is a child process whose stdout lines are watched for a ready line
// and whose stderr goes to a log file.
type proc struct {
	name  string
	cmd   *exec.Cmd
	lines chan string
	done  chan struct{}
	err   error // of Wait, valid after done
}

// spec says how to start a process.
type spec struct {
	name string
	argv []string
	env  []string // the whole environment
	log  string   // stderr (and stdout past the ready line) go here
}

// start runs s; the caller stops it with stop or waits with wait.
func start(s spec) (*proc, error) {
	cmd := exec.Command(s.argv[0], s.argv[1:]...)
	cmd.Env = s.env
	logf, err := os.Create(s.log)
	if err != nil {
		return nil, fmt.Errorf("creating log of %s: %w", s.name, err)
	}
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, fmt.Errorf("piping stdout of %s: %w", s.name, err)
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("starting %s: %w", s.name, err)
	}
	p := &proc{name: s.name, cmd: cmd, lines: make(chan string, 64),
		done: make(chan struct{})}
	go p.read(out, logf)
	return p, nil
}

// read forwards stdout lines until the channel's reader stops caring; the
// rest goes to the log so a chatty child never blocks on a full pipe.
func (p *proc) read(out io.Reader, logf *os.File) {
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		select {
		case p.lines <- sc.Text():
		default:
			fmt.Fprintln(logf, sc.Text())
		}
	}
	close(p.lines)
	p.err = p.cmd.Wait()
	logf.Close()
	close(p.done)
}

// ready waits for a stdout line starting with prefix and returns it.
func (p *proc) ready(ctx context.Context, prefix string, timeout time.Duration) (string, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				<-p.done
				return "", fmt.Errorf("waiting for %s: exited before ready: %v", p.name, p.err)
			}
			if strings.HasPrefix(line, prefix) {
				return line, nil
			}
		case <-timer.C:
			return "", fmt.Errorf("waiting for %s: not ready after %s", p.name, timeout)
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// drain discards stdout lines so that the child never blocks on them.
func (p *proc) drain() {
	go func() {
		for range p.lines {
		}
	}()
}

// wait waits for the process to exit on its own, killing it when ctx
// ends, and returns its usage.
func (p *proc) wait(ctx context.Context) (usage, error) {
	select {
	case <-p.done:
	case <-ctx.Done():
		p.stop()
		return usage{}, ctx.Err()
	}
	return usageOf(p.cmd.ProcessState), p.err
}

// stop sends SIGTERM, waits up to stopGrace, then kills. It returns the
// usage of the process either way.
func (p *proc) stop() usage {
	select {
	case <-p.done:
		return usageOf(p.cmd.ProcessState)
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(stopGrace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	return usageOf(p.cmd.ProcessState)
}

// usage is what a finished process cost.
type usage struct {
	CPU     time.Duration // user plus system
	PeakRSS int64         // bytes
}

func usageOf(ps *os.ProcessState) usage {
	if ps == nil {
		return usage{}
	}
	u := usage{CPU: ps.UserTime() + ps.SystemTime()}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		u.PeakRSS = ru.Maxrss * 1024 // Linux reports KiB
	}
	return u
}

// exitErr says how a process ended when it did not end well.
func exitErr(name string, err error, log string) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Errorf("running %s: %w (log: %s)", name, err, log)
	}
	return fmt.Errorf("running %s: %w", name, err)
}
