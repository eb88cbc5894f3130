package checkpoint

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// The methods below build the records of a write without producing them,
// so that a transactional publisher can put them in the same transaction
// as the data they cover. After the commit it hands them, offsets filled
// in by their promises, to Applied.

// EncodeCheckpoint returns the record that stores cp. A zero Version is
// set to Version and a zero UpdatedAt to now, as Save does.
func (s *KafkaStore) EncodeCheckpoint(cp Checkpoint) (*kgo.Record, error) {
	k := Key{Tenant: cp.Tenant, Stream: cp.Stream}
	if err := checkKey(k); err != nil {
		return nil, fmt.Errorf("encoding checkpoint: %w", err)
	}
	if cp.Version == 0 {
		cp.Version = Version
	}
	if cp.Version != Version {
		return nil, fmt.Errorf("encoding checkpoint %s/%s: version %d, want %d",
			k.Tenant, k.Stream, cp.Version, Version)
	}
	if cp.UpdatedAt.IsZero() {
		cp.UpdatedAt = time.Now().UTC()
	}
	value, err := encodeCheckpointValue(cp)
	if err != nil {
		return nil, fmt.Errorf("encoding checkpoint %s/%s: %w", k.Tenant, k.Stream, err)
	}
	return s.record(checkpointKey(k), value), nil
}

// EncodeDelete returns the tombstone that deletes the checkpoint of k.
func (s *KafkaStore) EncodeDelete(k Key) (*kgo.Record, error) {
	if err := checkKey(k); err != nil {
		return nil, fmt.Errorf("encoding checkpoint deletion: %w", err)
	}
	return s.record(checkpointKey(k), nil), nil
}

// EncodeSet returns the records that replace the set under k with ids, in
// the order to produce them: chunks of a large set, its manifest, then
// tombstones for the chunks of the generation it replaces.
func (s *KafkaStore) EncodeSet(k SetKey, ids []string) ([]*kgo.Record, error) {
	if err := checkSetKey(k); err != nil {
		return nil, fmt.Errorf("encoding id set: %w", err)
	}
	m, chunks, err := encodeSetValues(ids)
	if err != nil {
		return nil, fmt.Errorf("encoding id set %s: %w", k.describe(), err)
	}
	var recs []*kgo.Record
	for _, c := range chunks {
		value, err := json.Marshal(c)
		if err != nil {
			return nil, fmt.Errorf("encoding id set %s: %w", k.describe(), err)
		}
		recs = append(recs, s.record(setChunkKey(k, c.Gen, c.Index), value))
	}
	value, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encoding id set %s: %w", k.describe(), err)
	}
	recs = append(recs, s.record(setManifestKey(k), value))
	return append(recs, s.staleChunks(k, m.Gen)...), nil
}

// EncodeSetDelete returns the tombstones that delete the set under k: its
// manifest, then its chunks.
func (s *KafkaStore) EncodeSetDelete(k SetKey) ([]*kgo.Record, error) {
	if err := checkSetKey(k); err != nil {
		return nil, fmt.Errorf("encoding id set deletion: %w", err)
	}
	recs := []*kgo.Record{s.record(setManifestKey(k), nil)}
	return append(recs, s.staleChunks(k, "")...), nil
}

// staleChunks returns tombstones for the chunks of the set's current
// generation unless it is keep, so that compaction frees them.
func (s *KafkaStore) staleChunks(k SetKey, keep string) []*kgo.Record {
	s.mu.Lock()
	m, ok := s.view.manifests[k]
	s.mu.Unlock()
	if !ok || m.Chunks == 0 || m.Gen == keep {
		return nil
	}
	recs := make([]*kgo.Record, 0, m.Chunks)
	for i := range m.Chunks {
		recs = append(recs, s.record(setChunkKey(k, m.Gen, i), nil))
	}
	return recs
}

// Applied folds records of this topic that a committed transaction wrote
// into the store's view, so that a Load right after the commit sees them
// without waiting for the follower. Records of other topics are skipped;
// each record's Offset must be the one its produce promise reported.
func (s *KafkaStore) Applied(recs []*kgo.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		if r.Topic == s.cfg.Topic {
			s.applyLocked(r)
		}
	}
}

// record builds one record of the checkpoint topic; a nil value is a
// tombstone.
func (s *KafkaStore) record(key string, value []byte) *kgo.Record {
	return &kgo.Record{Topic: s.cfg.Topic, Key: []byte(key), Value: value}
}
