package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is the unit of the CPU times in /proc/<pid>/stat. Linux fixes
// USER_HZ at 100 on every architecture the benchmark runs on.
const clockTicks = 100

// cpuTime returns the user + system CPU time a running process has used so
// far, read from /proc. The benchmark needs it for the simulator and the
// broker, which live across several rows: their rusage only arrives when
// they exit. A nil process (a broker that is not ours) reports zero.
func (p *proc) cpuTime() (time.Duration, error) {
	if p == nil || p.cmd.Process == nil {
		return 0, nil
	}
	path := fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid)
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("reading the CPU time of %s: %w", p.name, err)
	}
	return parseStatCPU(string(raw))
}

// parseStatCPU reads utime and stime, fields 14 and 15 of a stat line. The
// command name (field 2) may hold spaces and parentheses, so fields are
// counted from its closing parenthesis.
func parseStatCPU(stat string) (time.Duration, error) {
	end := strings.LastIndexByte(stat, ')')
	if end < 0 {
		return 0, fmt.Errorf("parsing /proc stat %q: no command name", stat)
	}
	fields := strings.Fields(stat[end+1:])
	// fields[0] is field 3 (state), so utime (14) is fields[11].
	if len(fields) < 13 {
		return 0, fmt.Errorf("parsing /proc stat %q: %d fields", stat, len(fields))
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parsing /proc stat CPU field %q: %w", f, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}
