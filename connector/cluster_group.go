package connector

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Claim retries: a claim that fails (a coordinator moving, a broker
// restarting) is retried with a doubling pause for up to the rebalance
// timeout, after which the instance gives up its membership (Run returns)
// rather than hold shards it cannot run.
const (
	claimFirstPause = 250 * time.Millisecond
	claimMaxPause   = 5 * time.Second
)

// Run joins the group and runs the shards it assigns here until ctx ends
// or a claim keeps failing; then it leaves the group, which first stops
// every owned shard's tenants and waits for their transactions. It
// returns nil when ctx ended, else why it left.
func (c *Cluster) Run(ctx context.Context) error {
	if err := c.ensureTopic(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	c.mu.Lock()
	c.fail = cancel
	c.mu.Unlock()

	cl, err := kgo.NewClient(c.groupOpts()...)
	if err != nil {
		return fmt.Errorf("joining group %q: %w", c.cfg.Group, err)
	}
	c.log.Info("joining the instances' group", "topic", c.cfg.Topic,
		"shards", c.owner.Shards(), "session_timeout", c.cfg.SessionTimeout)
	for ctx.Err() == nil {
		// The topic holds no record; polling surfaces the group's errors.
		cl.PollFetches(ctx).EachError(func(_ string, _ int32, err error) {
			switch {
			case errors.Is(err, context.Canceled):
			case refusedMember(err):
				cancel(fmt.Errorf("joining group %q: %w", c.cfg.Group, err))
			default:
				c.log.Warn("in the instances' group; retrying", "error", err)
			}
		})
	}
	cl.Close() // leaves the group; revoked runs for every owned shard
	if cause := context.Cause(ctx); !errors.Is(cause, context.Canceled) {
		return fmt.Errorf("leaving group %q: %w", c.cfg.Group, cause)
	}
	return nil
}

// groupOpts are the options of the group member: the cooperative sticky
// balancer, so a rebalance moves only the shards that must move, and no
// offset commit, as there is nothing to consume.
func (c *Cluster) groupOpts() []kgo.Opt {
	opts := []kgo.Opt{
		kgo.SeedBrokers(c.cfg.Kafka.Brokers...),
		kgo.ConsumerGroup(c.cfg.Group),
		kgo.ConsumeTopics(c.cfg.Topic),
		kgo.Balancers(kgo.CooperativeStickyBalancer()),
		kgo.SessionTimeout(c.cfg.SessionTimeout),
		kgo.HeartbeatInterval(c.cfg.SessionTimeout / 5),
		kgo.RebalanceTimeout(c.cfg.RebalanceTimeout),
		kgo.DisableAutoCommit(),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.OnPartitionsAssigned(c.assigned),
		kgo.OnPartitionsRevoked(c.revoked),
		kgo.OnPartitionsLost(c.lost),
	}
	return append(opts, securityOpts(c.cfg.Kafka)...)
}

// ensureTopic creates the assignments topic with one partition per shard
// unless it exists, and refuses one with fewer partitions: the shards
// past its end would never run anywhere.
func (c *Cluster) ensureTopic(ctx context.Context) error {
	cl, err := kgo.NewClient(append(securityOpts(c.cfg.Kafka),
		kgo.SeedBrokers(c.cfg.Kafka.Brokers...))...)
	if err != nil {
		return fmt.Errorf("creating assignments topic %q: %w", c.cfg.Topic, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	shards := int32(c.owner.Shards())
	rf := c.cfg.ReplicationFactor
	if rf == 0 {
		rf = -1
	}
	resp, err := adm.CreateTopic(ctx, shards, rf, nil, c.cfg.Topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
		return fmt.Errorf("creating assignments topic %q: %w", c.cfg.Topic, err)
	}
	details, err := describeNewTopic(ctx, adm, c.cfg.Topic)
	if err != nil {
		return fmt.Errorf("describing assignments topic %q: %w", c.cfg.Topic, err)
	}
	if got := int32(len(details[c.cfg.Topic].Partitions)); got < shards {
		return fmt.Errorf("checking assignments topic %q: %d partitions for %d shards; "+
			"give it one partition per shard (CHECKPOINT_SHARDS)", c.cfg.Topic, got, shards)
	}
	return nil
}

// assigned claims the shards the group gave this instance, then starts
// their tenants. kgo keeps heartbeating meanwhile, and calls no other
// callback until this one returns.
func (c *Cluster) assigned(ctx context.Context, _ *kgo.Client, parts map[string][]int32) {
	gained := c.shardsOf(parts)
	if len(gained) == 0 {
		return
	}
	if err := c.claim(ctx, gained); err != nil {
		c.leave(err)
		return
	}
	c.mu.Lock()
	for _, n := range gained {
		c.owned[n] = true
	}
	c.applyLocked()
	c.mu.Unlock()
	c.log.Info("took shards", "gained", gained, "owned", c.Owned())
}

// revoked stops the tenants of the shards the group takes away and waits
// for their transactions in flight, before the group hands them on.
func (c *Cluster) revoked(_ context.Context, _ *kgo.Client, parts map[string][]int32) {
	c.giveUp(c.shardsOf(parts), "gave shards up")
}

// lost is revoked for shards the group already handed on: this instance
// was silent past the session timeout. Their next owner fenced it, so
// anything still in flight fails on commit.
func (c *Cluster) lost(_ context.Context, _ *kgo.Client, parts map[string][]int32) {
	c.giveUp(c.shardsOf(parts), "lost shards: the group gave up on this instance")
}

func (c *Cluster) giveUp(shards []int, msg string) {
	if len(shards) == 0 {
		return
	}
	c.mu.Lock()
	for _, n := range shards {
		delete(c.owned, n)
	}
	c.applyLocked()
	c.mu.Unlock()
	if err := c.owner.Release(shards...); err != nil {
		c.log.Error("releasing shards", "shards", shards, "error", err)
	}
	c.log.Info(msg, "shards", shards, "owned", c.Owned())
}

// claim claims shards, retrying for up to the rebalance timeout.
func (c *Cluster) claim(ctx context.Context, shards []int) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RebalanceTimeout)
	defer cancel()
	pause := claimFirstPause
	for {
		err := c.owner.Claim(ctx, shards...)
		if err == nil {
			return nil
		}
		c.log.Warn("claiming shards; retrying", "shards", shards, "error", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("claiming shards %v: %w", shards, err)
		case <-time.After(pause):
		}
		pause = min(2*pause, claimMaxPause)
	}
}

// leave ends Run with err: an instance that cannot run its shards gives
// them up, so the group hands them to one that can.
func (c *Cluster) leave(err error) {
	c.log.Error("leaving the instances' group", "error", err)
	c.mu.Lock()
	fail := c.fail
	c.mu.Unlock()
	if fail != nil {
		fail(err)
	}
}

// shardsOf returns the shards that parts name: the assignments topic's
// partitions below the shard count, in order.
func (c *Cluster) shardsOf(parts map[string][]int32) []int {
	var out []int
	for _, p := range parts[c.cfg.Topic] {
		if int(p) < c.owner.Shards() {
			out = append(out, int(p))
		}
	}
	slices.Sort(out)
	return out
}

// refusedMember reports whether the broker refuses this member for good:
// its settings or rights must change, so retrying only hides the cause.
func refusedMember(err error) bool {
	return errors.Is(err, kerr.InvalidSessionTimeout) ||
		errors.Is(err, kerr.GroupAuthorizationFailed) ||
		errors.Is(err, kerr.TopicAuthorizationFailed)
}

// describeNewTopic describes a topic that may have been created a moment
// ago. NOTE: Apache Kafka spreads a new topic's metadata after CreateTopics
// answers, so a describe at once may fail with UNKNOWN_TOPIC_OR_PARTITION
// (seen against a fresh broker); it is retried for a while.
func describeNewTopic(ctx context.Context, adm *kadm.Client,
	topic string) (kadm.TopicDetails, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		details, err := adm.ListTopics(ctx, topic)
		if err == nil {
			err = details.Error()
		}
		retry := errors.Is(err, kerr.UnknownTopicOrPartition) ||
			errors.Is(err, kerr.LeaderNotAvailable)
		if !retry {
			return details, err
		}
		select {
		case <-ctx.Done():
			return details, err
		case <-time.After(100 * time.Millisecond):
		}
	}
}
