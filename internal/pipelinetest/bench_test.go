package pipelinetest_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/pipelinetest"
)

// BenchmarkPipeline100k is issue 3's speed and memory figure: an
// unthrottled full `okta-connector sync` of a 100k-user, 1M-event org,
// okta-sim and kfake-server in processes of their own, and the same for
// an org ten times smaller to show memory flat. It reports records/s,
// the connector's CPU time per record (user plus system, from its rusage)
// and its peak RSS. Compare cpu-ns/record with
// BenchmarkPipelineDecodeEncode in ./connector. It is slow (minutes) and
// runs only when asked:
//
//	go test -run '^$' -bench Pipeline100k ./internal/pipelinetest -benchtime 1x
func BenchmarkPipeline100k(b *testing.B) {
	for _, size := range []pipelinetest.SimConfig{
		{Users: 10_000, Groups: 100, Apps: 30, Events: 100_000},
		{Users: 100_000, Groups: 100, Apps: 30, Events: 1_000_000},
	} {
		name := fmt.Sprintf("users=%d,events=%d", size.Users, size.Events)
		b.Run(name, func(b *testing.B) { benchSync(b, size) })
	}
}

func benchSync(b *testing.B, size pipelinetest.SimConfig) {
	size.Seed, size.RateLimitsOff, size.LookBack = 1, true, 48*time.Hour
	size.Token = benchToken(b)
	sim := pipelinetest.StartSim(b, size)
	brokers, registry := pipelinetest.Broker(b)
	var records int64
	var cpu time.Duration
	var peak int64
	for b.Loop() {
		p := pipelinetest.Run(b, 30*time.Minute, pipelinetest.Env{
			"KAFKA_BROKERS":       strings.Join(brokers, ","),
			"SCHEMA_REGISTRY_URL": registry,
			"TOPIC_PREFIX":        kafkatest.UniqueTopicPrefix(b),
			"TOPIC_PARTITIONS":    "3",
			"CHECKPOINT_DIR":      filepath.Join(b.TempDir(), "checkpoints"),
			"OKTA_DOMAIN":         sim.URLs[0],
			"TENANT_ID":           "bench",
			"OKTA_API_TOKEN":      size.Token,
			"RATE_LIMIT_SHARE":    "1",
			"LOG_FORMAT":          "json",
			"LOG_LEVEL":           "warn",
		}, "sync")
		if err := p.Err(); err != nil {
			b.Fatalf("sync: %v\nstderr (tail):\n%s", err, pipelinetest.Tail(p.Stderr(), 20))
		}
		u, err := p.Usage()
		if err != nil {
			b.Fatal(err)
		}
		records += published(b, p.Stdout())
		cpu += u.CPU()
		peak = max(peak, u.MaxRSS)
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(records), "cpu-ns/record")
	b.ReportMetric(float64(peak)/(1<<20), "peak-rss-MiB")
	b.ReportMetric(float64(records)/float64(b.N), "records/op")
}

// published sums the published column of sync's per-topic table.
func published(b *testing.B, stdout string) int64 {
	var n int64
	for _, line := range strings.Split(stdout, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[0] == "topic" {
			continue
		}
		v, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			b.Fatalf("reading the summary line %q: %v", line, err)
		}
		n += v
	}
	if n == 0 {
		b.Fatalf("sync's summary shows no record published:\n%s", stdout)
	}
	return n
}

func benchToken(b *testing.B) string {
	buf := make([]byte, 16)
	if _, err := rand.Read(buf); err != nil {
		b.Fatal(err)
	}
	return "bench-" + hex.EncodeToString(buf)
}
