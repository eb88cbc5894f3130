package connector_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/sr"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/pipelinetest"
	"github.com/okta-connector/okta-connector/schemas"
)

// BenchmarkFullSyncInProcess runs the engine's full sync of one tenant in
// the test process, against okta-sim and kfake-server in processes of
// their own, so that `-cpuprofile` and `-memprofile` show the connector's
// work alone (BenchmarkPipeline100k measures the real binary but cannot be
// profiled). It reports the same cpu-ns/record as that benchmark, from the
// process's rusage, and the largest live heap (after a collection) seen:
//
//	go test -run '^$' -bench FullSyncInProcess ./connector -benchtime 1x \
//		-cpuprofile cpu.out -memprofile mem.out
func BenchmarkFullSyncInProcess(b *testing.B) {
	for _, size := range []pipelinetest.SimConfig{
		{Users: 10_000, Groups: 100, Apps: 30, Events: 100_000},
		{Users: 100_000, Groups: 100, Apps: 30, Events: 1_000_000},
	} {
		name := fmt.Sprintf("users=%d,events=%d", size.Users, size.Events)
		b.Run(name, func(b *testing.B) { benchInProcess(b, size) })
	}
}

func benchInProcess(b *testing.B, cfg pipelinetest.SimConfig) {
	cfg.Seed, cfg.RateLimitsOff, cfg.LookBack = 1, true, 48*time.Hour
	cfg.Token = "bench-in-process"
	sim := pipelinetest.StartSim(b, cfg)
	brokers, registry := pipelinetest.Broker(b)
	base, err := url.Parse(sim.URLs[0])
	if err != nil {
		b.Fatalf("parsing the simulator's url: %v", err)
	}
	var records int64
	var cpu time.Duration
	var peak uint64
	for b.Loop() {
		e := benchEngine(b, base, cfg.Token, brokers, registry)
		runtime.GC()
		stop := watchHeap(&peak)
		cpu0 := rusageCPU(b)
		for _, r := range e.SyncOnce(context.Background(), "") {
			if r.Err != nil {
				b.Fatalf("stream %s: %v", r.Stream, r.Err)
			}
			records += int64(r.Records)
		}
		cpu += rusageCPU(b) - cpu0
		stop()
	}
	if records == 0 {
		b.Fatal("the sync published no record")
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(records), "cpu-ns/record")
	b.ReportMetric(float64(peak)/(1<<20), "peak-live-heap-MiB")
	b.ReportMetric(float64(records)/float64(b.N), "records/op")
}

// watchHeap samples the live heap every 20 ms into *peak (its maximum),
// until stop is called; stop returns once the sampler has ended.
func watchHeap(peak *uint64) (stop func()) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			*peak = max(*peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-ended }
}

// benchEngine wires an engine as `okta-connector sync` does: a registry
// codec, an idempotent producer, a file checkpoint store.
func benchEngine(b *testing.B, base *url.URL, token string, brokers []string,
	registry string) *connector.Engine {
	b.Helper()
	prefix := kafkatest.UniqueTopicPrefix(b)
	topics := connector.TopicsConfig{Prefix: prefix, Partitions: 3, ReplicationFactor: -1}
	srcl, err := sr.NewClient(sr.URLs(registry))
	if err != nil {
		b.Fatalf("creating the registry client: %v", err)
	}
	codec, err := schemas.NewRegistryCodec(context.Background(), srcl, topics.Topic)
	if err != nil {
		b.Fatalf("creating the codec: %v", err)
	}
	cl, err := connector.NewProducer(connector.KafkaConfig{Brokers: brokers})
	if err != nil {
		b.Fatalf("creating the producer: %v", err)
	}
	b.Cleanup(cl.Close)
	err = connector.EnsureTopics(context.Background(), kadm.NewClient(cl), topics,
		slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatalf("creating the topics: %v", err)
	}
	store, err := checkpoint.NewFileStore(filepath.Join(b.TempDir(), "checkpoints"))
	if err != nil {
		b.Fatalf("opening the checkpoint store: %v", err)
	}
	b.Cleanup(func() { _ = store.Close() })
	ok, err := okta.New(okta.Config{BaseURL: base, RateShare: 1,
		Credentials: okta.Credentials{Token: okta.NewToken(token)}})
	if err != nil {
		b.Fatalf("creating the okta client: %v", err)
	}
	tenant := connector.Tenant{ID: "bench", Domain: base.Host, Client: ok}
	pub := connector.NewKafkaPublisher(cl, codec, store, topics)
	e := connector.NewEngine(connector.EngineConfig{Tenants: []connector.Tenant{tenant},
		Store: store, Publisher: pub, MaxConcurrentTenants: 1})
	return e
}

// rusageCPU returns the user plus system CPU time this process used so far.
func rusageCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("reading rusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
