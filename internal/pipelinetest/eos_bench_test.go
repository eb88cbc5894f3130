package pipelinetest_test

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/pipelinetest"
)

// eosOrg is the org both stores sync in BenchmarkEOS: big enough that a
// sync takes seconds, so start-up is a small part of it.
var eosOrg = pipelinetest.SimConfig{Seed: 1, Users: 20_000, Groups: 50, Apps: 20,
	Events: 200_000, LookBack: 48 * time.Hour, RateLimitsOff: true}

// BenchmarkEOS is issue 5's speed figure: records per second of an
// unthrottled full `okta-connector sync` with the Kafka store's
// transactions against the file store, the same org served by the same
// okta-sim process, onto the same broker, each on topics of its own. The
// stores take turns (their order flips every iteration), so neither
// profits alone from a warm broker. kafka-cost-% is how much longer the
// transactional path takes per record; issue 5 allows 15. Run it with:
//
//	go test -run '^$' -bench EOS ./internal/pipelinetest -benchtime 1x
func BenchmarkEOS(b *testing.B) {
	cfg := eosOrg
	cfg.Token = benchToken(b)
	sim := pipelinetest.StartSim(b, cfg)
	brokers, registry := pipelinetest.Broker(b)
	base := pipelinetest.Env{
		"KAFKA_BROKERS":       strings.Join(brokers, ","),
		"SCHEMA_REGISTRY_URL": registry,
		"TOPIC_PARTITIONS":    "3",
		"OKTA_DOMAIN":         sim.URLs[0],
		"TENANT_ID":           "bench",
		"OKTA_API_TOKEN":      cfg.Token,
		"RATE_LIMIT_SHARE":    "1",
		"LOG_FORMAT":          "json",
		"LOG_LEVEL":           "warn",
	}
	took := map[string]time.Duration{}
	records := map[string]int64{}
	stores := []string{"file", "kafka"}
	for b.Loop() {
		for _, store := range stores {
			d, n := syncStore(b, base, store)
			took[store] += d
			records[store] += n
		}
		slices.Reverse(stores)
	}
	rate := func(store string) float64 {
		return float64(records[store]) / took[store].Seconds()
	}
	b.ReportMetric(rate("file"), "file-records/s")
	b.ReportMetric(rate("kafka"), "kafka-records/s")
	b.ReportMetric((rate("file")/rate("kafka")-1)*100, "kafka-cost-%")
	b.ReportMetric(float64(records["kafka"])/float64(b.N), "records/op")
}

// syncStore runs one full sync with base's org and broker, store, and
// fresh topics, and returns its wall time, start-up included, and the
// records it published.
func syncStore(b *testing.B, base pipelinetest.Env, store string) (time.Duration, int64) {
	prefix := kafkatest.UniqueTopicPrefix(b)
	env := maps.Clone(base)
	env["TOPIC_PREFIX"] = prefix
	env["CHECKPOINT_STORE"] = store
	env["CHECKPOINT_DIR"] = filepath.Join(b.TempDir(), "checkpoints")
	env["CHECKPOINT_TOPIC"] = prefix + "checkpoints"
	start := time.Now()
	p := pipelinetest.Run(b, 10*time.Minute, env, "sync")
	d := time.Since(start)
	if err := p.Err(); err != nil {
		b.Fatalf("sync with the %s store: %v\nstderr (tail):\n%s", store, err,
			pipelinetest.Tail(p.Stderr(), 20))
	}
	return d, published(b, p.Stdout())
}
