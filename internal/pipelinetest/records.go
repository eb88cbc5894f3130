package pipelinetest

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/sr"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/schemas"
)

// Record is one record read back and decoded.
type Record struct {
	Stream    string
	Partition int32
	Offset    int64
	Key       string
	// Value is a pointer to the stream's record type (*schemas.Employee,
	// …), or nil for a tombstone.
	Value any
}

// Topics holds every record of the connector's topics under one prefix,
// per stream, in partition and offset order.
type Topics map[string][]Record

// ReadTopics reads every committed record of the topics under prefix and
// decodes each value with the schema the registry at registryURL holds
// for its id (or, for single-object values, with the embedded schemas),
// failing the test on any value that does not decode.
func ReadTopics(t testing.TB, brokers []string, registryURL, prefix string) Topics {
	t.Helper()
	dec := newDecoder(t, registryURL)
	topicStream := map[string]string{}
	var topics []string
	for _, s := range schemas.Published() {
		topicStream[prefix+s] = s
		topics = append(topics, prefix+s)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := Topics{}
	for _, r := range kafkatest.Consume(t, brokers, topics) {
		stream := topicStream[r.Topic]
		rec := Record{Stream: stream, Partition: r.Partition, Offset: r.Offset,
			Key: string(r.Key)}
		if r.Value != nil {
			rec.Value = schemas.NewRecord(stream)
			if err := dec.Decode(ctx, r.Value, stream, rec.Value); err != nil {
				t.Fatalf("decoding %s[%d]@%d (key %q): %v", r.Topic, r.Partition, r.Offset,
					r.Key, err)
			}
		}
		out[stream] = append(out[stream], rec)
	}
	return out
}

func newDecoder(t testing.TB, registryURL string) *schemas.Decoder {
	t.Helper()
	var reg *sr.Client
	if registryURL != "" {
		var err error
		if reg, err = sr.NewClient(sr.URLs(registryURL)); err != nil {
			t.Fatalf("creating a registry client of %q: %v", registryURL, err)
		}
	}
	dec, err := schemas.NewDecoder(reg)
	if err != nil {
		t.Fatalf("creating a decoder: %v", err)
	}
	return dec
}

// After returns the records of t that before does not hold: what a later
// run added to the topics.
func (t Topics) After(before Topics) Topics {
	type pos struct {
		p int32
		o int64
	}
	out := Topics{}
	for stream, recs := range t {
		seen := map[pos]bool{}
		for _, r := range before[stream] {
			seen[pos{r.Partition, r.Offset}] = true
		}
		for _, r := range recs {
			if !seen[pos{r.Partition, r.Offset}] {
				out[stream] = append(out[stream], r)
			}
		}
	}
	return out
}

// Keys returns the distinct keys of stream's upserts and of its
// tombstones.
func (t Topics) Keys(stream string) (upserts, tombstones map[string]bool) {
	upserts, tombstones = map[string]bool{}, map[string]bool{}
	for _, r := range t[stream] {
		if r.Value == nil {
			tombstones[r.Key] = true
		} else {
			upserts[r.Key] = true
		}
	}
	return upserts, tombstones
}

// EventUUIDs counts the activity records per event uuid.
func (t Topics) EventUUIDs() map[string]int {
	out := map[string]int{}
	for _, r := range t[schemas.Activity] {
		if e, ok := r.Value.(*schemas.ActivityEvent); ok {
			out[e.UUID]++
		}
	}
	return out
}
