package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// peerPass is one read of the peer: some streams from one start_date.
type peerPass struct {
	streams []string
	start   string
}

// peerPasses are the two reads the comparison needs. The peer takes one
// start_date for every stream, but the directory needs one far back (it
// filters users and groups on lastUpdated) and the System Log one inside
// 180 days, or Okta answers E0000053 (API.md §8.4, §2): a single read with
// an old start_date ended with no event and no error. So the directory and
// the log are read apart, the log from 8 days back (the generated events
// span the connector's default look-back of 7 days).
func peerPasses(now time.Time) []peerPass {
	return []peerPass{
		{[]string{"users", "groups", "group_members"}, "2000-01-01T00:00:00Z"},
		{[]string{"logs"}, now.UTC().AddDate(0, 0, -8).Format("2006-01-02T15:04:05Z")},
	}
}

// runPeer runs Airbyte's Okta source against s, which serves TLS as
// cfg.PeerHost inside the namespace, and sets its rate beside conn's.
func runPeer(ctx context.Context, cfg Config, s *sim,
	conn *UnthrottledResult) (*PeerResult, error) {
	entry, err := peerEntry(ctx, cfg)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(cfg.WorkDir, "peer")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating peer directory: %w", err)
	}
	if err := s.resetRequests(ctx); err != nil {
		return nil, err
	}
	r := &PeerResult{ByStream: map[string]int64{}, Version: peerVersion(entry)}
	errLog := filepath.Join(dir, "stderr.log")
	var wall time.Duration
	for _, pass := range peerPasses(time.Now()) {
		confPath, catPath, err := writePeerFiles(dir, cfg.PeerHost, s.token, pass)
		if err != nil {
			return nil, err
		}
		cmd := exec.CommandContext(ctx, entry, "read", "--config", confPath,
			"--catalog", catPath)
		cmd.Env = append(baseEnv(), "REQUESTS_CA_BUNDLE="+s.caFile)
		t0 := time.Now()
		if err := countPeerRecords(cmd, errLog, r.ByStream); err != nil {
			return nil, err
		}
		wall += time.Since(t0)
	}
	reqs, err := s.requests(ctx)
	if err != nil {
		return nil, err
	}
	r.APICalls, r.Wall = len(reqs), secs(wall)
	for _, n := range r.ByStream {
		r.Records += n
	}
	if r.Records == 0 {
		return nil, fmt.Errorf("peer read no records (log: %s)", errLog)
	}
	r.RecordsPerSec = float64(r.Records) / wall.Seconds()
	if conn != nil {
		r.Speedup = conn.RecordsPerSec / r.RecordsPerSec
	}
	return r, s.resetRequests(ctx)
}

// peerEntry runs the setup script, which prints the entry point last.
func peerEntry(ctx context.Context, cfg Config) (string, error) {
	cmd := exec.CommandContext(ctx, cfg.PeerSetup)
	cmd.Env = baseEnv()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("setting up the peer with %s: %w: %s", cfg.PeerSetup, err,
			tail(stderr.String(), 800))
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1], nil
}

// peerVersion asks the peer's environment which version it installed.
func peerVersion(entry string) string {
	py := filepath.Join(filepath.Dir(entry), "python")
	out, err := exec.Command(py, "-c", "import importlib.metadata as m; "+
		"print(m.version('airbyte-source-okta'))").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// writePeerFiles writes the peer's config (the token: mode 0600, in the
// run's private work directory) and its catalog of the compared streams.
func writePeerFiles(dir, host, token string, pass peerPass) (conf, cat string, err error) {
	config := map[string]any{
		"credentials": map[string]string{"auth_type": "api_token", "api_token": token},
		"domain":      strings.TrimSuffix(host, ".okta.com"),
		"start_date":  pass.start,
	}
	var streams []map[string]any
	for _, s := range pass.streams {
		streams = append(streams, map[string]any{
			"stream": map[string]any{"name": s, "json_schema": map[string]any{},
				"supported_sync_modes": []string{"full_refresh", "incremental"}},
			"sync_mode": "full_refresh", "destination_sync_mode": "overwrite",
		})
	}
	conf, cat = filepath.Join(dir, "config.json"), filepath.Join(dir, "catalog.json")
	if err := writeJSON(conf, config); err != nil {
		return "", "", err
	}
	return conf, cat, writeJSON(cat, map[string]any{"streams": streams})
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// countPeerRecords runs cmd and counts the RECORD messages of its output
// per stream: the peer's own records, counted, not estimated.
func countPeerRecords(cmd *exec.Cmd, errLog string, by map[string]int64) error {
	f, err := os.OpenFile(errLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("creating peer log: %w", err)
	}
	defer f.Close()
	cmd.Stderr = f
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("piping peer output: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting peer: %w", err)
	}
	var traceErr string
	err = scanMessages(out, func(m peerMessage) {
		switch {
		case m.Type == "RECORD":
			by[m.Record.Stream]++
		case m.Type == "TRACE" && m.Trace.Type == "ERROR":
			traceErr = m.Trace.Error.Message
		case m.Type == "LOG" && m.Log.Level == "ERROR":
			fmt.Fprintln(f, m.Log.Message)
		}
	})
	werr := cmd.Wait()
	switch {
	case err != nil:
		return fmt.Errorf("reading peer output: %w", err)
	case werr != nil:
		return fmt.Errorf("running peer: %w: %s (log: %s)", werr, traceErr, errLog)
	case traceErr != "":
		return fmt.Errorf("peer reported an error: %s", traceErr)
	}
	return nil
}

// peerMessage is the part of an Airbyte protocol message the count needs.
type peerMessage struct {
	Type   string `json:"type"`
	Record struct {
		Stream string `json:"stream"`
	} `json:"record"`
	Log struct {
		Level   string `json:"level"`
		Message string `json:"message"`
	} `json:"log"`
	Trace struct {
		Type  string `json:"type"`
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	} `json:"trace"`
}

func scanMessages(r io.Reader, f func(peerMessage)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var m peerMessage
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			f(m)
		}
	}
	return sc.Err()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
