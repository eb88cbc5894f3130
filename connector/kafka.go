package connector

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
)

// KafkaConfig says how to reach the brokers. Build it once from the
// validated configuration; it holds the SASL secret, so never log it.
type KafkaConfig struct {
	Brokers []string
	TLS     *tls.Config    // nil: plaintext
	SASL    sasl.Mechanism // nil: no authentication
	Logger  kgo.Logger     // nil: silent

	// DeliveryTimeout bounds how long one record may wait for its
	// acknowledgement; past it the record, and the batch carrying it, fails
	// and the checkpoint stays where it was. Zero means two minutes.
	DeliveryTimeout time.Duration
}

// defaultDeliveryTimeout is long enough to ride out a leader election and
// short enough that a dead cluster fails the cycle instead of hanging it.
const defaultDeliveryTimeout = 2 * time.Minute

// NewProducer returns an idempotent producer with acks from every in-sync
// replica, snappy compression and a short linger (producerOpts). It makes
// no network call; use CheckKafka for that.
func NewProducer(cfg KafkaConfig) (*kgo.Client, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("creating kafka producer: no brokers given")
	}
	timeout := cfg.DeliveryTimeout
	if timeout <= 0 {
		timeout = defaultDeliveryTimeout
	}
	opts := append(producerOpts(),
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.RecordDeliveryTimeout(timeout),
		kgo.DialTimeout(10*time.Second),
	)
	if cfg.TLS != nil {
		opts = append(opts, kgo.DialTLSConfig(cfg.TLS))
	}
	if cfg.SASL != nil {
		opts = append(opts, kgo.SASL(cfg.SASL))
	}
	if cfg.Logger != nil {
		opts = append(opts, kgo.WithLogger(cfg.Logger))
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("creating kafka producer: %w", err)
	}
	return cl, nil
}

// producerOpts are the producer settings that NewProducer and the
// transactional shards share.
func producerOpts() []kgo.Opt {
	return []kgo.Opt{
		// Idempotence is kgo's default and forces acks=all; it is
		// spelled out so that nobody turns one off without the other.
		kgo.RequiredAcks(kgo.AllISRAcks()),
		// Snappy, for CPU. On our own Avro records
		// (BenchmarkBatchCompression, page-sized batches) snappy
		// compresses at 1.3 GB/s to 20.0 % of the input; zstd at its
		// fastest level at 380 MB/s to 14.3 % (default level: 140 MB/s,
		// 14.0 %); lz4 at 420 MB/s to 18.1 %, worse than both. In a full
		// sync zstd took 13 % of the connector's CPU and snappy 4 %
		// (BenchmarkFullSyncInProcess profiles), about 2 µs a record, for
		// 40 % more bytes on the wire and on disk. Every broker reads
		// snappy; zstd would need 2.1 or later.
		kgo.ProducerBatchCompression(kgo.SnappyCompression(), kgo.NoCompression()),
		kgo.ProducerLinger(5 * time.Millisecond),
	}
}

// CheckKafka asks the brokers for metadata within timeout and turns the
// usual failures into words an operator can act on. kgo retries a closed
// connection until its deadline, which is how a wrong TLS or SASL setting
// looks from the client (KAFKA-NOTES §2.2), hence the hint naming all three.
func CheckKafka(ctx context.Context, cl *kgo.Client, brokers []string,
	timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := cl.Ping(ctx)
	if err == nil {
		return nil
	}
	if parent := context.Cause(ctx); errors.Is(parent, context.Canceled) {
		return fmt.Errorf("checking kafka: %w", parent)
	}
	return fmt.Errorf("cannot reach Kafka at %s within %s: check KAFKA_BROKERS, "+
		"TLS and SASL settings: %w", strings.Join(brokers, ","), timeout, err)
}
