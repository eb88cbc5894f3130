package connector

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Defaults of TxnConfig, from DESIGN §5.
const (
	DefaultShards      = 16
	DefaultTxnIDPrefix = "okta-connector.shard-"
	// defaultTxnTimeout is how long the broker lets a transaction stay
	// open. An open transaction holds back read_committed readers of
	// every partition it touches, other tenants' included (DESIGN §5), so
	// it is tens of seconds, not kgo's 40 s default or minutes.
	defaultTxnTimeout = 30 * time.Second
	// syncTimeout bounds the wait for the store to read a commit whose
	// outcome was unknown.
	syncTimeout = 30 * time.Second
)

// TxnState is what the transactional publisher needs of the Kafka
// checkpoint store: the records of a checkpoint or set write, to put in
// the transaction, and a way to tell the store what was committed.
// *checkpoint.KafkaStore implements it.
type TxnState interface {
	EncodeCheckpoint(cp checkpoint.Checkpoint) (*kgo.Record, error)
	EncodeSet(k checkpoint.SetKey, ids []string) ([]*kgo.Record, error)
	EncodeSetDelete(k checkpoint.SetKey) ([]*kgo.Record, error)
	Applied(recs []*kgo.Record)
	Sync(ctx context.Context) error
}

var _ TxnState = (*checkpoint.KafkaStore)(nil)

// TxnConfig configures a TxnPublisher.
type TxnConfig struct {
	// Kafka says how to reach the brokers; its DeliveryTimeout is capped
	// at half the transaction timeout, so a stuck record fails the batch
	// before the broker aborts the transaction under it.
	Kafka KafkaConfig
	// Shards is how many shards tenants hash onto (CHECKPOINT_SHARDS);
	// 0 means DefaultShards. Changing it moves tenants between
	// transactional ids, so it must be the same on every instance.
	Shards int
	// IDPrefix starts each shard's transactional id, followed by the
	// shard number; empty means DefaultTxnIDPrefix.
	IDPrefix string
	// Timeout is the transaction timeout; 0 means 30 seconds.
	Timeout time.Duration
	// BeforeCommit, when set, runs after every record of a transaction was
	// acknowledged and before the commit: a test hook that widens the
	// window in which a kill or a SIGSTOP lands inside an open
	// transaction. Never set it in production.
	BeforeCommit func(ctx context.Context, shard int)
	// Logger receives warnings; nil means none.
	Logger *slog.Logger
}

// TxnPublisher publishes each batch in one Kafka transaction with the
// checkpoint and set records that cover it (DESIGN §5): a read_committed
// consumer sees the records and the checkpoint move together or not at
// all. Tenants hash onto shards; each shard has one transactional client
// whose id fences any earlier owner of the shard when it first begins a
// transaction. Batches of one shard run one at a time; batches of
// different shards run in parallel. Safe for concurrent use; Close it
// after the last Publish returned.
type TxnPublisher struct {
	cfg    TxnConfig
	state  TxnState
	enc    *KafkaPublisher // encodes records and counts them; never produces
	shards []*txnShard
	log    *slog.Logger
}

var _ Publisher = (*TxnPublisher)(nil)

// NewTxnPublisher returns a publisher writing records of topics encoded by
// codec, and the state records of state, in per-shard transactions. It
// makes no network call: a shard's client is created at its first use
// (or by Claim).
func NewTxnPublisher(cfg TxnConfig, codec Encoder, state TxnState,
	topics TopicsConfig) (*TxnPublisher, error) {
	if len(cfg.Kafka.Brokers) == 0 {
		return nil, errors.New("creating transactional publisher: no brokers given")
	}
	if cfg.Shards < 0 {
		return nil, fmt.Errorf("creating transactional publisher: %d shards", cfg.Shards)
	}
	if cfg.Shards == 0 {
		cfg.Shards = DefaultShards
	}
	if cfg.IDPrefix == "" {
		cfg.IDPrefix = DefaultTxnIDPrefix
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTxnTimeout
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &TxnPublisher{cfg: cfg, state: state, log: log,
		enc: NewKafkaPublisher(nil, codec, nil, topics)}
	for n := range cfg.Shards {
		p.shards = append(p.shards, &txnShard{n: n, id: p.TransactionalID(n)})
	}
	return p, nil
}

// ShardOf returns the shard of tenant among shards: FNV-1a of the tenant
// id, so every instance and release agrees on it.
func ShardOf(tenant string, shards int) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(tenant))
	return int(h.Sum32() % uint32(shards))
}

// TransactionalID returns the transactional id of a shard.
func (p *TxnPublisher) TransactionalID(shard int) string {
	return fmt.Sprintf("%s%d", p.cfg.IDPrefix, shard)
}

// Shards returns the number of shards.
func (p *TxnPublisher) Shards() int { return len(p.shards) }

// Counts returns what each topic received in committed transactions since
// the publisher was made.
func (p *TxnPublisher) Counts() map[string]Count { return p.enc.Counts() }

// Close closes every shard's client. A transaction left open is aborted by
// the broker at its timeout, or at once when the shard's next owner
// claims it.
func (p *TxnPublisher) Close() {
	for _, sh := range p.shards {
		sh.mu.Lock()
		sh.drop()
		sh.mu.Unlock()
	}
}

// Claim takes ownership of shards (every shard when none is given): each
// shard's transactional id is initialised, which aborts a transaction an
// earlier owner left open and fences that owner, and then the store reads
// everything committed before. Call it before loading the checkpoints of
// the shards' tenants, so that no earlier owner can commit after that
// read (KAFKA-NOTES §1.4).
func (p *TxnPublisher) Claim(ctx context.Context, shards ...int) error {
	if len(shards) == 0 {
		for n := range p.shards {
			shards = append(shards, n)
		}
	}
	for _, n := range shards {
		if n < 0 || n >= len(p.shards) {
			return fmt.Errorf("claiming shard %d: not in 0..%d", n, len(p.shards)-1)
		}
		if err := p.claim(ctx, p.shards[n]); err != nil {
			return err
		}
	}
	if err := p.state.Sync(ctx); err != nil {
		return fmt.Errorf("claiming shards: %w", err)
	}
	return nil
}

// claim initialises one shard's producer id: BeginTransaction runs
// InitProducerID, and ending the empty transaction sends nothing.
func (p *TxnPublisher) claim(ctx context.Context, sh *txnShard) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("claiming shard %d: %w", sh.n, err)
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	cl, err := sh.client(p.clientOpts)
	if err != nil {
		return fmt.Errorf("claiming shard %d: %w", sh.n, err)
	}
	err = cl.BeginTransaction()
	if err == nil {
		err = cl.EndTransaction(context.WithoutCancel(ctx), kgo.TryAbort)
	}
	if err != nil {
		sh.drop()
		return fmt.Errorf("claiming shard %d (%q): %w", sh.n, sh.id, err)
	}
	sh.claimed, sh.released = true, false
	return nil
}

// Publish writes b's records, then its sets and checkpoints, in one
// transaction of the tenant's shard, and commits only when every record
// was acknowledged. On any failure nothing of b is visible to
// read_committed readers (or, when the commit's outcome is unknown, the
// store has read whichever outcome it was), and the caller retries from
// the last committed checkpoint. An error wrapping kerr.ProducerFenced
// means another instance took the shard. Once producing began, ctx is no
// longer watched: the transaction is finished, not left open.
func (p *TxnPublisher) Publish(ctx context.Context, b Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := p.enc.encode(b)
	if err != nil {
		return err
	}
	state, err := p.stateRecords(b)
	if err != nil {
		return err
	}
	sh := p.shards[ShardOf(b.Tenant, len(p.shards))]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.released {
		return fmt.Errorf("publishing records of tenant %q: shard %d: %w", b.Tenant, sh.n,
			ErrShardReleased)
	}
	if err := p.transact(ctx, sh, append(data, state...)); err != nil {
		return fmt.Errorf("publishing %d records of tenant %q: %w", len(data), b.Tenant, err)
	}
	p.state.Applied(state)
	p.enc.count(b.Records)
	return nil
}

// stateRecords returns the records of b's sets, then of its checkpoints,
// stamped as the file-store publisher stamps them.
func (p *TxnPublisher) stateRecords(b Batch) ([]*kgo.Record, error) {
	var recs []*kgo.Record
	for _, s := range b.Sets {
		var rs []*kgo.Record
		var err error
		if s.Delete {
			rs, err = p.state.EncodeSetDelete(s.Key)
		} else {
			rs, err = p.state.EncodeSet(s.Key, s.IDs)
		}
		if err != nil {
			return nil, err
		}
		recs = append(recs, rs...)
	}
	now := p.enc.now().UTC()
	for _, cp := range b.Checkpoints {
		cp.Version = checkpoint.Version
		cp.UpdatedAt = now
		r, err := p.state.EncodeCheckpoint(cp)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// isFenced reports whether err says another producer took the
// transactional id: the broker answers PRODUCER_FENCED, or
// INVALID_PRODUCER_EPOCH on older versions.
func isFenced(err error) bool {
	return errors.Is(err, kerr.ProducerFenced) || errors.Is(err, kerr.InvalidProducerEpoch)
}
