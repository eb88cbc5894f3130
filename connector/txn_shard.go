package connector

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// txnShard is one shard's transactional client. mu is held for a whole
// transaction: a kgo client runs one transaction at a time.
type txnShard struct {
	n  int
	id string

	mu sync.Mutex
	cl *kgo.Client // nil until first use and after a failure
	// claimed is set by Claim and cleared by Release; released is set by
	// Release and cleared by Claim. A released shard publishes nothing:
	// its next owner may have claimed it (cluster.go).
	claimed, released bool
}

// client returns the shard's client, creating it when there is none.
// sh.mu is held.
func (sh *txnShard) client(opts func(id string) []kgo.Opt) (*kgo.Client, error) {
	if sh.cl != nil {
		return sh.cl, nil
	}
	cl, err := kgo.NewClient(opts(sh.id)...)
	if err != nil {
		return nil, fmt.Errorf("creating transactional client %q: %w", sh.id, err)
	}
	sh.cl = cl
	return cl, nil
}

// drop closes the client, so the next transaction starts with a new one:
// after any error ending a transaction, kgo's client must be
// re-initialised (franz-go #855, KAFKA-NOTES §1.5). sh.mu is held.
func (sh *txnShard) drop() {
	if sh.cl != nil {
		sh.cl.Close()
		sh.cl = nil
	}
}

// clientOpts are the options of a shard's client: the producer settings
// of NewProducer (producerOpts) plus the transactional id and timeouts.
func (p *TxnPublisher) clientOpts(id string) []kgo.Opt {
	k := p.cfg.Kafka
	delivery := k.DeliveryTimeout
	if limit := p.cfg.Timeout / 2; delivery <= 0 || delivery > limit {
		delivery = limit
	}
	opts := append(producerOpts(),
		kgo.SeedBrokers(k.Brokers...),
		kgo.TransactionalID(id),
		kgo.TransactionTimeout(p.cfg.Timeout),
		kgo.RecordDeliveryTimeout(delivery),
		kgo.DialTimeout(10*time.Second),
	)
	if k.TLS != nil {
		opts = append(opts, kgo.DialTLSConfig(k.TLS))
	}
	if k.SASL != nil {
		opts = append(opts, kgo.SASL(k.SASL))
	}
	if k.Logger != nil {
		opts = append(opts, kgo.WithLogger(k.Logger))
	}
	return opts
}

// transact runs one transaction of recs on sh; sh.mu is held.
func (p *TxnPublisher) transact(ctx context.Context, sh *txnShard, recs []*kgo.Record) error {
	cl, err := sh.client(p.clientOpts)
	if err != nil {
		return err
	}
	if err := cl.BeginTransaction(); err != nil {
		sh.drop()
		return fmt.Errorf("beginning transaction %q: %w", sh.id, err)
	}
	// The transaction is finished whatever happens to ctx: an abandoned
	// one would hold back read_committed readers until its timeout.
	wctx := context.WithoutCancel(ctx)

	// NOTE: kgo commits a transaction even when one of its records failed
	// (KAFKA-NOTES §1.4, probe T5), so the commit is gated on every
	// promise. The aborting promise also drops what is still buffered
	// after the first failure, as EndTransaction's doc asks before an
	// abort.
	promise := kgo.AbortingFirstErrPromise(cl)
	acks := newAckWaiter(len(recs))
	for _, r := range recs {
		each := promise.Promise()
		cl.Produce(wctx, r, func(r *kgo.Record, err error) {
			each(r, err)
			acks.ack()
		})
	}
	// A broker that stops answering would hold the transaction, and the
	// process's shutdown, forever: the waiter gives up (publisher_wait.go).
	produceErr := acks.wait(ctx, cl)
	if produceErr == nil {
		produceErr = promise.Err()
	}
	commit := produceErr == nil
	if commit && p.cfg.BeforeCommit != nil {
		p.cfg.BeforeCommit(ctx, sh.n)
	}

	// NOTE: the end is bounded too; a timed-out end is an unknown outcome,
	// which endFailed answers by replacing the client (KAFKA-NOTES §1.5).
	ectx, cancel := context.WithTimeout(wctx, endTxnTimeout)
	defer cancel()
	if err := cl.EndTransaction(ectx, kgo.TransactionEndTry(commit)); err != nil {
		return p.endFailed(wctx, sh, commit, err)
	}
	if !commit {
		return fmt.Errorf("aborted transaction %q: %w", sh.id, produceErr)
	}
	return nil
}

// endFailed handles an error ending a transaction. A commit that was not
// fenced has an unknown outcome: per EndTransaction's doc it is retried
// only as an abort. Either way the client is replaced, and the store is
// given the chance to read the commit in case it landed, so the caller's
// retry starts from what is really committed.
func (p *TxnPublisher) endFailed(ctx context.Context, sh *txnShard, commit bool,
	endErr error) error {
	fenced := isFenced(endErr)
	if commit && !fenced {
		if err := sh.cl.EndTransaction(ctx, kgo.TryAbort); err != nil {
			p.log.Debug("aborting after an unknown commit outcome",
				"shard", sh.n, "error", err)
		}
	}
	sh.drop()
	if fenced {
		p.log.Warn("another instance took the shard; transaction not committed",
			"shard", sh.n, "transactional_id", sh.id)
	}
	sctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	if err := p.state.Sync(sctx); err != nil {
		p.log.Warn("reading the checkpoint topic after a failed commit",
			"shard", sh.n, "error", err)
	}
	return fmt.Errorf("ending transaction %q: %w", sh.id, endErr)
}

// endTxnTimeout bounds ending a transaction against a broker that stopped
// answering; the broker aborts an open transaction by itself after the
// transaction timeout anyway.
const endTxnTimeout = time.Minute

// TxnIDPrefix derives the shards' transactional id prefix from the
// checkpoint topic, so two deployments on one cluster, each with its own
// checkpoint topic, never fence each other: the default topic
// okta-connector.checkpoints gives DefaultTxnIDPrefix.
func TxnIDPrefix(checkpointTopic string) string {
	return strings.TrimSuffix(checkpointTopic, ".checkpoints") + ".shard-"
}
