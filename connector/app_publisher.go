package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/okta-connector/okta-connector/connector/metrics"
)

// ErrShardLost is wrapped by every error of a tenant whose shard another
// instance took (it fenced this one's transactional id): nothing this
// instance publishes for the tenant can commit any more, so it stops
// running the tenant until the instances' group gives the shard back
// (cluster.go) or, alone, until restarted.
var ErrShardLost = errors.New("another connector instance took this tenant's shard")

// CountingPublisher is a Publisher that says what each topic received:
// KafkaPublisher and TxnPublisher.
type CountingPublisher interface {
	Publisher
	Counts() map[string]Count
}

var (
	_ CountingPublisher = (*KafkaPublisher)(nil)
	_ CountingPublisher = (*TxnPublisher)(nil)
	_ CountingPublisher = (*appPublisher)(nil)
	_ shardGuard        = (*appPublisher)(nil)
)

// appPublisher is the publisher App gives the engine: inner's batches,
// counted into the metrics once Kafka acknowledged (or committed) them,
// and, with the Kafka store, a stop for tenants whose shard was taken.
type appPublisher struct {
	inner   CountingPublisher
	metrics *metrics.Metrics
	txn     *TxnPublisher // nil with the file store: no shards
	log     *slog.Logger

	mu   sync.Mutex
	lost map[int]bool // shards another instance fenced us out of
}

func newAppPublisher(inner CountingPublisher, m *metrics.Metrics, txn *TxnPublisher,
	log *slog.Logger) *appPublisher {
	return &appPublisher{inner: inner, metrics: m, txn: txn, log: log, lost: map[int]bool{}}
}

// Publish publishes b through the inner publisher and counts its records
// by stream. A fenced transaction marks the tenant's shard as lost.
func (p *appPublisher) Publish(ctx context.Context, b Batch) error {
	if err := p.Fenced(b.Tenant); err != nil {
		return err
	}
	if err := p.inner.Publish(ctx, b); err != nil {
		if p.txn != nil && isFenced(err) {
			p.lose(b.Tenant)
			return fmt.Errorf("%w: %w", ErrShardLost, err)
		}
		return err
	}
	n := map[string]int{}
	for _, r := range b.Records {
		n[r.Stream]++
	}
	for stream, c := range n {
		p.metrics.Published(b.Tenant, stream, c)
	}
	return nil
}

// Counts returns what each topic received.
func (p *appPublisher) Counts() map[string]Count { return p.inner.Counts() }

// Fenced returns an error wrapping ErrShardLost once the tenant's shard
// was taken by another instance.
func (p *appPublisher) Fenced(tenant string) error {
	if p.txn == nil {
		return nil
	}
	shard := ShardOf(tenant, p.txn.Shards())
	p.mu.Lock()
	lost := p.lost[shard]
	p.mu.Unlock()
	if !lost {
		return nil
	}
	return fmt.Errorf("tenant %q, shard %d (%s): %w; it stays stopped on this instance",
		tenant, shard, p.txn.TransactionalID(shard), ErrShardLost)
}

// lose marks the tenant's shard as taken and says so once, at Error: the
// operator must find the other instance.
func (p *appPublisher) lose(tenant string) {
	shard := ShardOf(tenant, p.txn.Shards())
	p.mu.Lock()
	first := !p.lost[shard]
	p.lost[shard] = true
	p.mu.Unlock()
	if first {
		p.log.Error("another connector instance took a checkpoint shard; its tenants stop "+
			"on this instance (the group gave up on it, or another instance runs "+
			"outside the group)", "shard", shard, "transactional_id", p.txn.TransactionalID(shard),
			"tenant", tenant)
	}
}
