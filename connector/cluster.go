package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Defaults of ClusterConfig.
const (
	// DefaultSessionTimeout is how long the group waits for a silent
	// instance before its shards move: short, since its tenants stand
	// still meanwhile, and above real Kafka's 6 s minimum
	// (group.min.session.timeout.ms).
	DefaultSessionTimeout = 10 * time.Second
	// defaultRebalanceTimeout bounds how long a rebalance waits for an
	// instance to give its shards up; giving one up waits for its
	// transaction in flight, which the transaction timeout bounds.
	defaultRebalanceTimeout = 45 * time.Second
)

// ClusterConfig configures a Cluster.
type ClusterConfig struct {
	// Kafka says how to reach the brokers.
	Kafka KafkaConfig
	// Topic is the assignments topic: partition i stands for shard i. It
	// holds no record; the group's assignment of its partitions is the
	// assignment of shards. Created with one partition per shard when
	// missing.
	Topic string
	// Group is the consumer group every instance joins.
	Group string
	// ReplicationFactor is used only when the topic is created; 0 or -1
	// means the broker's default.
	ReplicationFactor int16
	// SessionTimeout is how long the group waits for a silent instance
	// (killed, stalled, cut off) before its shards move; 0 means
	// DefaultSessionTimeout.
	SessionTimeout time.Duration
	// RebalanceTimeout bounds one rebalance; 0 means 45 s.
	RebalanceTimeout time.Duration
	// Logger receives the instance's shard moves; nil means none.
	Logger *slog.Logger
}

// AssignmentsTopic returns the assignments topic of the instances sharing
// checkpointTopic: derived from it, so that instances sharing checkpoints
// share shards, and those of another checkpoint topic never mix in.
func AssignmentsTopic(checkpointTopic string) string { return checkpointTopic + ".assignments" }

// GroupName returns the consumer group of the instances sharing
// checkpointTopic.
func GroupName(checkpointTopic string) string { return checkpointTopic + ".group" }

// ShardOwner is what a Cluster needs of the transactional publisher:
// *TxnPublisher implements it.
type ShardOwner interface {
	Shards() int
	// Claim fences the shards' earlier owners and reads what they
	// committed.
	Claim(ctx context.Context, shards ...int) error
	// Release waits for the shards' transactions in flight and refuses
	// any later one.
	Release(shards ...int) error
}

var _ ShardOwner = (*TxnPublisher)(nil)

// TenantSet is a set of running tenants that can change while it runs:
// the Engine, and a Cluster in front of one. The Reloader feeds one.
type TenantSet interface {
	Tenants() []Tenant
	SetTenants(ts []Tenant) TenantChanges
}

var (
	_ TenantSet = (*Engine)(nil)
	_ TenantSet = (*Cluster)(nil)
)

// Cluster shares the shards of DESIGN §5, and with them the tenants,
// among the instances of one checkpoint topic through Kafka's group
// membership (DESIGN §9, KAFKA-NOTES §1.4): each instance joins one
// consumer group on the assignments topic, and the partitions the group
// gives it are the shards it runs. On a gain it claims the shards, which
// fences their previous owner and aborts its open transaction, reads the
// checkpoints that owner committed, and only then starts the shards'
// tenants. On a loss it stops the tenants and waits for their transaction
// in flight before the group may hand the shards on. The cooperative
// sticky balancer moves only the shards that must move.
//
// A shard never runs on two instances: an instance the group gave up on
// (killed, or stalled past the session timeout) is fenced by the next
// owner's claim, so whatever it still tries to commit fails.
//
// Known limits: a shard's tenants stand still from an instance's silent
// end until the session timeout and one rebalance have passed; every
// instance must be given the same shard count (CHECKPOINT_SHARDS) and the
// assignments topic must have that many partitions; tenants are spread by
// shard, not by size, so a few large tenants on one shard are not split.
//
// A Cluster is safe for concurrent use.
type Cluster struct {
	cfg    ClusterConfig
	owner  ShardOwner
	engine TenantSet
	log    *slog.Logger

	mu      sync.Mutex
	tenants []Tenant     // as configured: every instance's tenants
	owned   map[int]bool // shards claimed and running here
	fail    context.CancelCauseFunc
}

// NewCluster returns the cluster membership of an instance whose engine
// runs the tenants of shards owner owns. From now on the engine runs only
// the tenants of owned shards: none until Run joins the group. Give the
// cluster, not the engine, to the Reloader. It makes no network call.
func NewCluster(cfg ClusterConfig, owner ShardOwner, engine TenantSet) (*Cluster, error) {
	switch {
	case len(cfg.Kafka.Brokers) == 0:
		return nil, errors.New("creating cluster membership: no brokers given")
	case cfg.Topic == "" || cfg.Group == "":
		return nil, errors.New("creating cluster membership: no assignments topic or group")
	case owner.Shards() < 1:
		return nil, fmt.Errorf("creating cluster membership: %d shards", owner.Shards())
	}
	if cfg.SessionTimeout <= 0 {
		cfg.SessionTimeout = DefaultSessionTimeout
	}
	if cfg.RebalanceTimeout <= 0 {
		cfg.RebalanceTimeout = defaultRebalanceTimeout
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Cluster{cfg: cfg, owner: owner, engine: engine, owned: map[int]bool{},
		log: log.With("group", cfg.Group)}
	c.tenants = engine.Tenants()
	engine.SetTenants(nil)
	return c, nil
}

// Tenants returns the configured tenants, those of every shard.
func (c *Cluster) Tenants() []Tenant {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.tenants)
}

// SetTenants replaces the configured tenants and hands the engine those of
// the shards owned here. The changes it returns are those of the
// configured set, whichever instance runs them.
func (c *Cluster) SetTenants(ts []Tenant) TenantChanges {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := diffTenants(c.tenants, ts)
	c.tenants = slices.Clone(ts)
	c.applyLocked()
	return ch
}

// Owned returns the shards this instance runs, in order.
func (c *Cluster) Owned() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]int, 0, len(c.owned))
	for n := range c.owned {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// applyLocked hands the engine the tenants of the owned shards. c.mu is
// held, so the configured set and the owned shards it reads are one
// consistent picture.
func (c *Cluster) applyLocked() {
	n := c.owner.Shards()
	var run []Tenant
	for _, t := range c.tenants {
		if c.owned[ShardOf(t.ID, n)] {
			run = append(run, t)
		}
	}
	c.engine.SetTenants(run)
}

// diffTenants says what changed from old to next, as Engine.SetTenants
// does.
func diffTenants(old, next []Tenant) TenantChanges {
	prev := map[string]Tenant{}
	for _, t := range old {
		prev[t.ID] = t
	}
	var ch TenantChanges
	for _, t := range next {
		p, ok := prev[t.ID]
		switch {
		case !ok:
			ch.Added = append(ch.Added, t.ID)
		case !sameTenant(p, t):
			ch.Changed = append(ch.Changed, t.ID)
		}
		delete(prev, t.ID)
	}
	for _, t := range old {
		if _, gone := prev[t.ID]; gone {
			ch.Removed = append(ch.Removed, t.ID)
		}
	}
	return ch
}
