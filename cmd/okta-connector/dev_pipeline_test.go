package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/pipelinetest"
	"github.com/okta-connector/okta-connector/schemas"
)

// TestPipelineDevOnce runs `okta-connector dev --once` as a process, as the
// README tells a newcomer to: it exits 0 and its summary shows, for every
// topic, as many records published as the generated org holds.
func TestPipelineDevOnce(t *testing.T) {
	p := pipelinetest.Run(t, 2*time.Minute, pipelinetest.Env{}, "dev", "--once",
		"--users", "300", "--groups", "12", "--apps", "6", "--events", "1500")
	if err := p.Err(); err != nil {
		t.Fatalf("dev --once: %v\nstdout:\n%s\nstderr (tail):\n%s", err, p.Stdout(),
			pipelinetest.Tail(p.Stderr(), 20))
	}
	rows := summaryRows(p.Stdout())
	for _, stream := range schemas.Published() {
		topic := "okta." + stream
		r, ok := rows[topic]
		switch {
		case !ok:
			t.Errorf("summary: no row for %s\nstdout:\n%s", topic, p.Stdout())
		case r.expected == 0:
			t.Errorf("%s: expected 0 records; the generated org should fill every topic", topic)
		case r.published != r.expected:
			t.Errorf("%s: got %d published, want %d expected", topic, r.published, r.expected)
		}
	}
}

type summaryRow struct{ expected, published int64 }

// summaryRows reads the "topic expected published tombstones" table of
// dev's output.
func summaryRows(out string) map[string]summaryRow {
	rows := map[string]summaryRow{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) != 4 || !strings.HasPrefix(f[0], "okta.") {
			continue
		}
		e, err1 := strconv.ParseInt(f[1], 10, 64)
		p, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 == nil && err2 == nil {
			rows[f[0]] = summaryRow{expected: e, published: p}
		}
	}
	return rows
}
