package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"syscall"
	"time"
)

// cpuUsage is the process's user plus system CPU time so far: what the
// simulator took from the cores it shares with the connector in a
// benchmark (issue 7).
func cpuUsage() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// startProfile starts a CPU profile into path; the returned stop ends it
// and closes the file. An empty path profiles nothing.
func startProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating --cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting cpu profile %q: %w", path, err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("writing cpu profile %q: %w", path, err)
		}
		return nil
	}, nil
}

// reportUsage writes the stop line: CPU seconds spent generating the orgs
// and serving them, so a benchmark can charge the simulator its own cost.
func reportUsage(w io.Writer, generating, serving time.Duration) {
	fmt.Fprintf(w, "okta-sim stopped cpu_generate=%.2fs cpu_serve=%.2fs\n",
		generating.Seconds(), serving.Seconds())
}
