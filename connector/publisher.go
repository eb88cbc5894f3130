package connector

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/schemas"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Batch is a unit of progress: records and the checkpoints and id sets they
// reach. Either every record is acknowledged and then the state is saved,
// or nothing of the state moves.
type Batch struct {
	Tenant      string
	Records     []Record
	Checkpoints []checkpoint.Checkpoint
	Sets        []SetWrite
}

// SetWrite replaces (or, with Delete, removes) one stored id set.
type SetWrite struct {
	Key    checkpoint.SetKey
	IDs    []string
	Delete bool
}

// Publisher delivers batches. The file-store publisher below saves state
// after the acknowledgements; a transactional one can write both at once.
type Publisher interface {
	Publish(ctx context.Context, b Batch) error
}

// Encoder turns a record value into the bytes of its topic's wire format;
// schemas.Codec implements it.
type Encoder interface {
	Encode(stream string, v any) ([]byte, error)
	SchemaID(stream string) string
}

// KafkaPublisher produces batches asynchronously, waits for every promise
// and then saves the batch's state in a checkpoint.Store. It is safe for
// concurrent use; batches of different tenants may run at once.
type KafkaPublisher struct {
	ackStall time.Duration // tests shorten the stall timeout
	client   *kgo.Client
	codec    Encoder
	store    checkpoint.Store
	topics   TopicsConfig
	now      func() time.Time
	// topicOf maps every published stream to its topic; read only.
	topicOf map[string]string

	mu     sync.Mutex
	counts map[string]Count
}

// Count is what a topic received: records in all, tombstones among them.
type Count struct{ Records, Tombstones int64 }

var _ Publisher = (*KafkaPublisher)(nil)

// NewKafkaPublisher returns a publisher writing through client. The caller
// keeps ownership of client and store and closes them after the last
// Publish returned.
func NewKafkaPublisher(client *kgo.Client, codec Encoder, store checkpoint.Store,
	topics TopicsConfig) *KafkaPublisher {
	topicOf := map[string]string{}
	for _, stream := range schemas.Published() {
		topicOf[stream] = topics.Topic(stream)
	}
	return &KafkaPublisher{
		client: client, codec: codec, store: store, topics: topics,
		now: time.Now, counts: map[string]Count{}, topicOf: topicOf,
	}
}

// Publish encodes and produces b's records, waits for all of them and, only
// when every one was acknowledged, saves b's sets and then its checkpoints.
// Once producing began, the end of ctx (shutdown) no longer drops records
// at once: they have a grace period to be acknowledged, so that a shutdown
// saves what was acked; a broker that stops answering fails the batch.
func (p *KafkaPublisher) Publish(ctx context.Context, b Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	recs, err := p.encode(b)
	if err != nil {
		return err
	}
	if err := p.produce(ctx, recs); err != nil {
		return fmt.Errorf("publishing %d records of tenant %q: %w",
			len(recs), b.Tenant, err)
	}
	p.count(b.Records)
	return p.save(context.WithoutCancel(ctx), b)
}

// encode builds the Kafka records of a batch, headers included. The
// records come from one allocation and share their headers per stream
// (kgo only reads them), which saves four allocations a record.
func (p *KafkaPublisher) encode(b Batch) ([]*kgo.Record, error) {
	recs := make([]*kgo.Record, len(b.Records))
	slab := make([]kgo.Record, len(b.Records))
	tenant := []byte(b.Tenant)
	headers := map[string][]kgo.RecordHeader{}
	for i, r := range b.Records {
		h, ok := headers[r.Stream]
		if !ok {
			h = []kgo.RecordHeader{
				{Key: "tenant", Value: tenant},
				{Key: "stream", Value: []byte(r.Stream)},
				{Key: "schema", Value: []byte(p.codec.SchemaID(r.Stream))},
			}
			headers[r.Stream] = h
		}
		kr := &slab[i]
		kr.Topic, kr.Key, kr.Headers = p.topic(r.Stream), []byte(r.Key), h
		if r.Value != nil {
			v, err := p.codec.Encode(r.Stream, r.Value)
			if err != nil {
				return nil, fmt.Errorf("encoding %s record %q: %w", r.Stream, r.Key, err)
			}
			kr.Value = v
		}
		recs[i] = kr
	}
	return recs, nil
}

// topic returns a stream's topic name, built once per stream.
func (p *KafkaPublisher) topic(stream string) string {
	if t, ok := p.topicOf[stream]; ok {
		return t
	}
	return p.topics.Topic(stream)
}

// produce hands every record to the producer and waits for all promises,
// or until Kafka stops answering or shutdown has waited long enough
// (publisher_wait.go). ctx is the caller's: records already handed over are
// not dropped when it ends, only after the grace period.
func (p *KafkaPublisher) produce(ctx context.Context, recs []*kgo.Record) error {
	var (
		mu       sync.Mutex
		firstErr error
	)
	w := newAckWaiter(len(recs))
	if p.ackStall > 0 {
		w.stall = p.ackStall
	}
	for _, r := range recs {
		p.client.Produce(context.WithoutCancel(ctx), r, func(r *kgo.Record, err error) {
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = fmt.Errorf("producing to %q: %w", r.Topic, err)
				}
				mu.Unlock()
			}
			w.ack()
		})
	}
	if err := w.wait(ctx, p.client); err != nil {
		return err
	}
	return firstErr
}

// save writes the sets first and the checkpoints last: a checkpoint may
// point past records whose diff state it relies on, never the reverse.
func (p *KafkaPublisher) save(ctx context.Context, b Batch) error {
	for _, s := range b.Sets {
		var err error
		if s.Delete {
			err = p.store.DeleteSet(ctx, s.Key)
		} else {
			err = p.store.SaveSet(ctx, s.Key, s.IDs)
		}
		if err != nil {
			return fmt.Errorf("saving id set %s/%s/%s: %w",
				s.Key.Tenant, s.Key.Stream, s.Key.Owner, err)
		}
	}
	now := p.now().UTC()
	for _, cp := range b.Checkpoints {
		cp.Version = checkpoint.Version
		cp.UpdatedAt = now
		if err := p.store.Save(ctx, cp); err != nil {
			return fmt.Errorf("saving checkpoint %s/%s: %w", cp.Tenant, cp.Stream, err)
		}
	}
	return nil
}

func (p *KafkaPublisher) count(recs []Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range recs {
		topic := p.topic(r.Stream)
		c := p.counts[topic]
		c.Records++
		if r.Value == nil {
			c.Tombstones++
		}
		p.counts[topic] = c
	}
}

// Counts returns what each topic received since the publisher was made.
func (p *KafkaPublisher) Counts() map[string]Count {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]Count, len(p.counts))
	for k, v := range p.counts {
		out[k] = v
	}
	return out
}
