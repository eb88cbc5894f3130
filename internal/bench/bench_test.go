package bench

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRunSmoke runs the benchmark on a tiny org (seconds): it checks that
// every row it asked for is there with sane numbers, not the targets,
// which only the full benchmark can judge.
func TestRunSmoke(t *testing.T) {
	bin := buildPrograms(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := Config{Org: Org{Users: 120, Groups: 6, Apps: 3, Events: 600},
		RateLimitedOrg: Org{Users: 40, Groups: 3, Apps: 2, Events: 100}, Share: 0.5,
		Seed: 3, BinDir: bin, WorkDir: t.TempDir()}
	if v := os.Getenv("KAFKA_BROKERS"); v != "" {
		cfg.Brokers = strings.Split(v, ",")
	}
	res, err := Run(ctx, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if diff := cmp.Diff(map[string]string{"latency": "not asked for",
		"peer": "not asked for"}, res.Skipped); diff != "" {
		t.Fatalf("skipped rows (-want +got):\n%s", diff)
	}
	u := res.Unthrottled
	// 120 users, 6 groups plus Everyone and app groups, 3 apps, 600 events:
	// at least the users and the events arrive, whatever else does.
	if u.ByStream["employees"] != 120 || u.ByStream["activity"] < 600 {
		t.Errorf("got employees %d, activity %d; want 120 and at least 600",
			u.ByStream["employees"], u.ByStream["activity"])
	}
	checks := []struct {
		name string
		ok   bool
		got  any
	}{
		{"records per second", u.RecordsPerSec > 0, u.RecordsPerSec},
		{"cpu per record", u.CPUPerRecord > 0, u.CPUPerRecord},
		{"baseline per record", u.BaselinePerRecord > 0, u.BaselinePerRecord},
		{"peak rss", u.PeakRSSMiB > 5 && u.PeakRSSMiB < 2048, u.PeakRSSMiB},
		{"full sync calls", u.APICalls >= 6, u.APICalls},
		{"idle calls", res.Idle != nil && res.Idle.APICalls > 0 &&
			res.Idle.APICalls < u.APICalls, res.Idle},
		{"rate-limited floor", res.RateLimited != nil && res.RateLimited.Floor > 0 &&
			res.RateLimited.Wall > 0, res.RateLimited},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Errorf("got %+v, want a sane value", c.got)
			}
		})
	}
	var md bytes.Buffer
	WriteMarkdown(&md, res)
	for _, want := range []string{"| unthrottled | records/s |", "| unthrottled | CPU ratio |",
		"| unthrottled | connector peak RSS |", "| idle cycle | Okta API calls |",
		"| rate-limited | wall time vs floor |", "not measured: peer"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, md.String())
		}
	}
}

func TestFloorOf(t *testing.T) {
	reqs := []request{{Bucket: "apps"}, {Bucket: "apps", Status: 429}, {Bucket: "users"},
		{Bucket: "generic"}}
	got := floorOf(reqs, 0.5)
	// apps: 2 calls at 50 a minute is 2.4 s, the slowest bucket.
	if got.Floor != 2.4 || got.Refused != 1 || got.APICalls != 4 {
		t.Errorf("got floor %v s, %d refused, %d calls; want 2.4 s, 1, 4",
			got.Floor, got.Refused, got.APICalls)
	}
	if got.Buckets[0].Bucket != "apps" {
		t.Errorf("got slowest bucket %q, want apps", got.Buckets[0].Bucket)
	}
}

func TestEndpoint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/api/v1/users?search=status+pr", "/api/v1/users"},
		{"/api/v1/groups/00g1/users?limit=1000", "/api/v1/groups/{id}/users"},
		{"/api/v1/apps/0oa1/users", "/api/v1/apps/{id}/users"},
		{"/api/v1/logs?after=x", "/api/v1/logs"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := endpoint(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// buildPrograms compiles the three programs once for the test.
func buildPrograms(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", dir, "./cmd/okta-connector",
		"./cmd/okta-sim", "./cmd/kfake-server")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building programs: %v\n%s", err, out)
	}
	return dir
}

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		name, stat string
		want       time.Duration
		wantErr    bool
	}{
		{name: "plain", want: 1230 * time.Millisecond,
			stat: "42 (okta-sim) S 1 42 42 0 -1 4194560 500 0 0 0 100 23 0 0 20 0 9 0 1"},
		{name: "name with spaces and parens", want: 50 * time.Millisecond,
			stat: "7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 2 3 0 0 20 0 1 0 1"},
		{name: "cut short", stat: "7 (x) R 1 2", wantErr: true},
		{name: "no name", stat: "7 x R", wantErr: true},
		{name: "not a number", wantErr: true,
			stat: "7 (x) R 1 7 7 0 -1 0 0 0 0 0 zz 3 0 0 20 0 1 0 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseStatCPU(tc.stat)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
