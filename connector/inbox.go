package connector

import (
	"context"
	"fmt"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/ops"
)

// changeInbox is what a store that keeps an inbox of operator changes
// offers: the queued requests and the audit trail the applied ones go to.
type changeInbox interface {
	checkpoint.Inbox
	checkpoint.Auditor
}

var (
	_ changeInbox = (*checkpoint.FileStore)(nil)
	_ changeInbox = (*checkpoint.KafkaStore)(nil)
)

// shardGuard is what a publisher offers when a tenant can be lost to
// another instance: appPublisher with the Kafka store.
type shardGuard interface {
	// Fenced returns an error wrapping ErrShardLost once another instance
	// took the tenant's shard, else nil.
	Fenced(tenant string) error
}

// beforeCycle runs at the start of each stream's cycle, before the stream
// reads its checkpoint: it refuses to run a tenant whose shard another
// instance took (nothing it published could commit), then applies the
// operator changes queued for the stream.
func (t *tenantRun) beforeCycle(ctx context.Context, stream string) error {
	if g, ok := t.pub.(shardGuard); ok {
		if err := g.Fenced(t.ID); err != nil {
			return err
		}
	}
	return t.applyPendingChanges(ctx, stream)
}

// applyPendingChanges applies, oldest first, the operator changes
// (`okta-connector checkpoints reset|set`) queued for one stream of the
// tenant, and removes each from the inbox once applied. The new checkpoint
// is worked out from the one stored now (ops.Install) and written through
// the publisher, so that with the Kafka store it is part of a transaction
// of the tenant's shard, fenced like every other write. Running at the
// start of the stream's cycle, under the stream's lock, it is never
// overtaken by a cycle that read the old checkpoint.
func (t *tenantRun) applyPendingChanges(ctx context.Context, stream string) error {
	ib, ok := t.store.(changeInbox)
	if !ok {
		return nil
	}
	k := checkpoint.Key{Tenant: t.ID, Stream: stream}
	reqs, err := ib.Pending(ctx, k)
	if err != nil {
		return fmt.Errorf("reading operator changes of %s/%s: %w", t.ID, stream, err)
	}
	save := func(ctx context.Context, cp checkpoint.Checkpoint) error {
		return t.pub.Publish(ctx, Batch{Tenant: t.ID, Checkpoints: []checkpoint.Checkpoint{cp}})
	}
	for _, r := range reqs {
		cp, wrote, err := ops.Install(ctx, t.store, save, ib, r, t.now())
		switch {
		case err != nil && !wrote:
			return fmt.Errorf("applying operator change %s of %s/%s: %w", r.ID, t.ID,
				stream, err)
		case err != nil:
			t.log.Warn("applied an operator change but could not record it",
				"request", r.ID, "error", err)
		}
		if wrote {
			t.log.Info("applied operator change", "request", r.ID, "action", r.Action,
				"by", r.User, "reason", r.Reason, "since", cp.Extra[checkpoint.ExtraSince],
				"watermark", cp.Watermark)
		}
		if err := ib.Done(ctx, r); err != nil {
			return fmt.Errorf("removing applied operator change %s of %s/%s: %w", r.ID,
				t.ID, stream, err)
		}
	}
	return nil
}
