package checkpoint

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// DefaultTopic is the checkpoint topic of DESIGN §5.
const DefaultTopic = "okta-connector.checkpoints"

// topicReadyTimeout bounds the wait for a topic the store created to be
// known to the brokers.
const topicReadyTimeout = 30 * time.Second

// defaultPartitions is the partition count of a checkpoint topic the store
// creates. Checkpoints are few and small; a handful of partitions spreads
// the transactions that touch them over several leaders.
const defaultPartitions = 6

// KafkaStoreConfig says where the Kafka store keeps its topic.
type KafkaStoreConfig struct {
	// Brokers are the seed brokers.
	Brokers []string
	// Opts are added to the store's client: TLS, SASL, a logger. They may
	// hold secrets, so never log them.
	Opts []kgo.Opt
	// Topic is the compacted checkpoint topic; empty means DefaultTopic.
	Topic string
	// Partitions and ReplicationFactor are used only when the store
	// creates the topic; 0 means 6 partitions, and -1 (or 0) the
	// broker's default replication.
	Partitions        int32
	ReplicationFactor int16
	// Logger receives warnings from the follower; nil means none.
	Logger *slog.Logger
}

// KafkaStore is a Store on a compacted Kafka topic (DESIGN §5): each
// checkpoint, id set and audit entry is the latest value under its key.
// It reads the whole topic with read_committed isolation at start and then
// follows it, so a change written by another process (the operator tool,
// another instance) shows in Load at the stream's next cycle. Its own
// Save, SaveSet and Delete produce and wait for the acknowledgement; the
// transactional publisher instead writes the records of EncodeCheckpoint
// and EncodeSet in its transactions and reports them with Applied.
//
// Known limits: every checkpoint and set is held in memory (a set of a
// million ids costs tens of megabytes); a key always maps to the same
// partition only while the topic's partition count and kgo's default
// partitioner stay as they are; a write of another process is seen only
// when the follower has read it (usually within milliseconds).
//
// A KafkaStore is safe for concurrent use; Close stops the follower and
// the client.
type KafkaStore struct {
	cfg    KafkaStoreConfig
	cl     *kgo.Client
	adm    *kadm.Client
	log    *slog.Logger
	cancel context.CancelFunc
	done   chan struct{}
	closed atomic.Bool

	mu      sync.Mutex
	view    *view
	pos     map[int32]int64 // next offset the follower will read
	changed chan struct{}   // closed and replaced whenever pos moves
}

var _ Store = (*KafkaStore)(nil)

// NewKafkaStore connects, creates the topic when missing (compacted), reads
// it to its last stable offset and starts following it. ctx bounds the
// initial load only.
func NewKafkaStore(ctx context.Context, cfg KafkaStoreConfig) (*KafkaStore, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("opening kafka checkpoint store: no brokers given")
	}
	if cfg.Topic == "" {
		cfg.Topic = DefaultTopic
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		// A checkpoint written by a transaction counts only once it is
		// committed; an aborted one must never be read back.
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		// Transaction markers take offsets too (KAFKA-NOTES §1.4); keeping
		// them lets the follower see that it reached the stable end.
		kgo.KeepControlRecords(),
	}, cfg.Opts...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("opening kafka checkpoint store: %w", err)
	}
	s := &KafkaStore{
		cfg: cfg, cl: cl, adm: kadm.NewClient(cl), log: cfg.Logger,
		view: newView(), pos: map[int32]int64{}, changed: make(chan struct{}),
		done: make(chan struct{}),
	}
	if err := s.start(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("opening kafka checkpoint store %q: %w", cfg.Topic, err)
	}
	return s, nil
}

// start ensures the topic, starts the follower and waits for the load.
func (s *KafkaStore) start(ctx context.Context) error {
	if err := s.ensureTopic(ctx); err != nil {
		return err
	}
	s.cl.AddConsumeTopics(s.cfg.Topic)
	fctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go s.follow(fctx)
	return s.Sync(ctx)
}

// ensureTopic creates the compacted topic unless it exists.
func (s *KafkaStore) ensureTopic(ctx context.Context) error {
	parts := s.cfg.Partitions
	if parts <= 0 {
		parts = defaultPartitions
	}
	rf := s.cfg.ReplicationFactor
	if rf == 0 {
		rf = -1
	}
	compact := "compact"
	resp, err := s.adm.CreateTopic(ctx, parts, rf,
		map[string]*string{"cleanup.policy": &compact}, s.cfg.Topic)
	if err == nil {
		err = resp.Err
	}
	if errors.Is(err, kerr.TopicAlreadyExists) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("creating topic: %w", err)
	}
	return s.waitForTopic(ctx)
}

// waitForTopic waits until the brokers answer for the topic just
// created. NOTE: Apache Kafka spreads a new topic's metadata after
// CreateTopics answers, so listing its offsets at once may fail with
// UNKNOWN_TOPIC_OR_PARTITION (seen against a fresh broker); kfake knows
// it at once.
func (s *KafkaStore) waitForTopic(ctx context.Context) error {
	wctx, cancel := context.WithTimeout(ctx, topicReadyTimeout)
	defer cancel()
	for {
		starts, err := s.adm.ListStartOffsets(wctx, s.cfg.Topic)
		if err == nil {
			err = starts.Error()
		}
		if !errors.Is(err, kerr.UnknownTopicOrPartition) &&
			!errors.Is(err, kerr.LeaderNotAvailable) {
			return nil // any other error is Sync's to report
		}
		select {
		case <-wctx.Done():
			return fmt.Errorf("waiting for the new topic: %w", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Topic returns the name of the checkpoint topic.
func (s *KafkaStore) Topic() string { return s.cfg.Topic }

// Close stops following the topic and closes the client. Later calls on s
// fail.
func (s *KafkaStore) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if s.cancel != nil {
		s.cancel()
		<-s.done
	}
	s.cl.Close()
	return nil
}

// usable reports why s cannot serve a call now: it is closed or ctx ended.
func (s *KafkaStore) usable(ctx context.Context) error {
	if s.closed.Load() {
		return errClosed
	}
	return ctx.Err()
}

// follow reads the topic until ctx ends, applying every committed record.
func (s *KafkaStore) follow(ctx context.Context) {
	defer close(s.done)
	for {
		fs := s.cl.PollFetches(ctx)
		if ctx.Err() != nil || fs.IsClientClosed() {
			return
		}
		fs.EachError(func(topic string, p int32, err error) {
			s.log.Warn("reading checkpoint topic", "topic", topic, "partition", p,
				"error", err)
		})
		s.mu.Lock()
		fs.EachRecord(func(r *kgo.Record) {
			s.pos[r.Partition] = r.Offset + 1
			if !r.Attrs.IsControl() {
				s.applyLocked(r)
			}
		})
		close(s.changed)
		s.changed = make(chan struct{})
		s.mu.Unlock()
	}
}

// Sync waits until the store has read every record committed to the topic
// before the call, so that a Load after it sees them. Call it after a
// transaction whose outcome is unknown, before reading checkpoints again.
//
// NOTE: it waits for the follower to read the offset just below each
// partition's last stable offset. Kafka never compacts the active segment,
// so that record (or marker) is there unless the partition is idle long
// enough to roll and clean it; ctx bounds the wait in that case.
func (s *KafkaStore) Sync(ctx context.Context) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("syncing checkpoint store: %w", err)
	}
	ends, err := s.stableEnds(ctx)
	if err != nil {
		return fmt.Errorf("syncing checkpoint store: %w", err)
	}
	for {
		s.mu.Lock()
		caughtUp, changed := s.reachedLocked(ends), s.changed
		s.mu.Unlock()
		if caughtUp {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("syncing checkpoint store %q: %w", s.cfg.Topic, ctx.Err())
		}
	}
}

// stableEnds returns the last stable offset of every partition that holds
// something past its start.
func (s *KafkaStore) stableEnds(ctx context.Context) (map[int32]int64, error) {
	starts, err := s.adm.ListStartOffsets(ctx, s.cfg.Topic)
	if err == nil {
		err = starts.Error()
	}
	if err != nil {
		return nil, fmt.Errorf("listing start offsets: %w", err)
	}
	lso, err := s.adm.ListCommittedOffsets(ctx, s.cfg.Topic)
	if err == nil {
		err = lso.Error()
	}
	if err != nil {
		return nil, fmt.Errorf("listing stable offsets: %w", err)
	}
	ends := map[int32]int64{}
	lso.Each(func(o kadm.ListedOffset) {
		if st, _ := starts.Lookup(o.Topic, o.Partition); o.Offset > st.Offset {
			ends[o.Partition] = o.Offset
		}
	})
	return ends, nil
}

// reachedLocked reports whether the follower read up to every end.
func (s *KafkaStore) reachedLocked(ends map[int32]int64) bool {
	for p, end := range ends {
		if s.pos[p] < end {
			return false
		}
	}
	return true
}
