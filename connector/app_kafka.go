package connector

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestTxnDelayEnv names a variable for tests only: a duration the
// transactional publisher waits after every record of a transaction was
// acknowledged and before it commits, so that kill and SIGSTOP tests land
// inside open transactions. Never set it in production: every open
// transaction holds back read_committed readers of its partitions.
const TestTxnDelayEnv = "OKTA_CONNECTOR_TEST_TXN_DELAY"

// openKafkaStore opens the Kafka checkpoint store and the transactional
// publisher on it, then, unless the instances' group assigns the shards
// (AppConfig.Cluster, cluster.go), claims every shard: that fences any
// earlier owner and reads everything it committed, before the engine
// loads a single checkpoint.
func (a *App) openKafkaStore(ctx context.Context, kc KafkaConfig,
	codec Encoder) (CountingPublisher, error) {
	cfg := a.ac.Config
	delay, err := testTxnDelay()
	if err != nil {
		return nil, err
	}
	store, err := newKafkaStore(ctx, cfg, kc, a.log)
	if err != nil {
		return nil, err
	}
	a.Store = store
	tc := TxnConfig{Kafka: kc, Shards: cfg.Checkpoints.Shards, Logger: a.log,
		IDPrefix: TxnIDPrefix(cfg.Checkpoints.Topic)}
	if delay > 0 {
		a.log.Warn("test hook: every transaction waits before its commit",
			"variable", TestTxnDelayEnv, "delay", delay)
		tc.BeforeCommit = func(ctx context.Context, _ int) { sleep(ctx, delay) }
	}
	pub, err := NewTxnPublisher(tc, codec, store, a.Topics)
	if err != nil {
		return nil, err
	}
	a.txn = pub
	if a.ac.Cluster {
		return pub, nil // the group's assignments claim the shards
	}
	if err := pub.Claim(ctx); err != nil {
		return nil, fmt.Errorf("taking the checkpoint shards: %w", err)
	}
	return pub, nil
}

// OpenKafkaStore opens the Kafka checkpoint store that cfg names
// (CHECKPOINT_TOPIC on KAFKA_BROKERS, with its TLS and SASL settings) and
// reads it, for the operator commands. It claims no shard.
func OpenKafkaStore(ctx context.Context, cfg config.Config,
	log *slog.Logger) (*checkpoint.KafkaStore, error) {
	kc, err := kafkaConfig(cfg.Kafka)
	if err != nil {
		return nil, err
	}
	return newKafkaStore(ctx, cfg, kc, log)
}

// newKafkaStore opens the checkpoint topic with kc's brokers and security.
func newKafkaStore(ctx context.Context, cfg config.Config, kc KafkaConfig,
	log *slog.Logger) (*checkpoint.KafkaStore, error) {
	store, err := checkpoint.NewKafkaStore(ctx, checkpoint.KafkaStoreConfig{
		Brokers: kc.Brokers, Opts: securityOpts(kc), Topic: cfg.Checkpoints.Topic,
		ReplicationFactor: cfg.Topics.ReplicationFactor, Logger: log,
	})
	if err != nil {
		// The usual cause is a broker that is down or refuses the client's
		// TLS or SASL settings, which kgo reports as a bare dial error.
		return nil, fmt.Errorf("reaching kafka at %s: check KAFKA_BROKERS, TLS and SASL: %w",
			strings.Join(kc.Brokers, ","), err)
	}
	return store, nil
}

// securityOpts are kc's TLS, SASL and logger as client options.
//
// NOTE: keep in step with NewProducer.
func securityOpts(kc KafkaConfig) []kgo.Opt {
	var opts []kgo.Opt
	if kc.TLS != nil {
		opts = append(opts, kgo.DialTLSConfig(kc.TLS))
	}
	if kc.SASL != nil {
		opts = append(opts, kgo.SASL(kc.SASL))
	}
	if kc.Logger != nil {
		opts = append(opts, kgo.WithLogger(kc.Logger))
	}
	return opts
}

// testTxnDelay reads TestTxnDelayEnv: zero when unset.
func testTxnDelay() (time.Duration, error) {
	v, ok := os.LookupEnv(TestTxnDelayEnv)
	if !ok || v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s: %q, want a duration such as 200ms", TestTxnDelayEnv, v)
	}
	return d, nil
}
