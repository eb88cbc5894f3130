package connector

import (
	"context"
	"fmt"
)

// Cluster returns the group membership through which the app's instance
// shares the shards with the other instances of its checkpoint topic
// (DESIGN §9), or nil when the app runs alone: with the file store, or
// when AppConfig.Cluster is not set. From the call on, the engine runs
// only the tenants of the shards the group gives this instance, none
// until the membership's Run joins the group; give the membership, not the
// engine, to the Reloader. It makes no network call.
func (a *App) Cluster() (*Cluster, error) {
	if a.txn == nil || !a.ac.Cluster {
		return nil, nil
	}
	kc, err := kafkaConfig(a.ac.Config.Kafka)
	if err != nil {
		return nil, err
	}
	kc.Logger = a.ac.KafkaLogger
	topic := a.ac.Config.Checkpoints.Topic
	pub, _ := a.Publisher.(*appPublisher)
	c, err := NewCluster(ClusterConfig{
		Kafka: kc, Topic: AssignmentsTopic(topic), Group: GroupName(topic),
		ReplicationFactor: a.ac.Config.Topics.ReplicationFactor, Logger: a.log,
	}, appShards{TxnPublisher: a.txn, pub: pub}, a.Engine)
	if err != nil {
		return nil, fmt.Errorf("joining the instances' group: %w", err)
	}
	return c, nil
}

// appShards is the app's transactional publisher as a ShardOwner: a shard
// claimed again after another instance fenced this one runs again.
type appShards struct {
	*TxnPublisher
	pub *appPublisher // nil: nothing to forget
}

// Claim claims shards and forgets that another instance fenced this one
// out of them: the claim fenced that instance in turn.
func (s appShards) Claim(ctx context.Context, shards ...int) error {
	if err := s.TxnPublisher.Claim(ctx, shards...); err != nil {
		return err
	}
	if s.pub != nil {
		s.pub.regain(shards)
	}
	return nil
}

// regain forgets that shards were lost to another instance.
func (p *appPublisher) regain(shards []int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range shards {
		delete(p.lost, n)
	}
}
