package checkpoint

import (
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
)

// view is the Kafka store's picture of its topic: the latest value per
// key, decoded. Records reach it from the follower and from the store's
// own writes; offsets make applying one record twice, or an older one
// after a newer, a no-op. A key is always on one partition, so its
// offsets compare.
type view struct {
	offsets   map[string]int64 // key → offset of the value applied
	bad       map[string]error // key → why its value could not be read
	cps       map[Key]Checkpoint
	manifests map[SetKey]setManifest
	sets      map[SetKey][]string
	chunks    map[string][]byte // chunk key → compressed data
	audit     map[string]AuditEntry
	inbox     map[string]Request // inbox key → queued request
}

func newView() *view {
	return &view{
		offsets: map[string]int64{}, bad: map[string]error{},
		cps: map[Key]Checkpoint{}, manifests: map[SetKey]setManifest{},
		sets: map[SetKey][]string{}, chunks: map[string][]byte{},
		audit: map[string]AuditEntry{}, inbox: map[string]Request{},
	}
}

// applyLocked folds one committed record into the view; s.mu is held.
func (s *KafkaStore) applyLocked(r *kgo.Record) {
	key := string(r.Key)
	if last, ok := s.view.offsets[key]; ok && r.Offset <= last {
		return
	}
	s.view.offsets[key] = r.Offset
	delete(s.view.bad, key)
	var err error
	switch k := parseKey(key); k.kind {
	case kindCheckpoint:
		err = s.view.applyCheckpoint(k.cp, r.Value)
	case kindSet:
		err = s.view.applyManifest(k.set, key, r.Value)
	case kindChunk:
		err = s.view.applyChunk(k, key, r.Value)
	case kindAudit:
		err = s.view.applyAudit(key, r.Value)
	case kindInbox:
		err = s.view.applyInbox(key, r.Value)
	default:
		s.log.Warn("ignoring unknown key in checkpoint topic", "key", key)
	}
	if err != nil {
		s.view.bad[key] = fmt.Errorf("decoding %q at %s[%d]@%d: %w",
			key, r.Topic, r.Partition, r.Offset, err)
		s.log.Warn("unreadable record in checkpoint topic", "key", key,
			"partition", r.Partition, "offset", r.Offset, "error", err)
	}
}

// applyCheckpoint stores or, for a tombstone, forgets a checkpoint.
func (v *view) applyCheckpoint(k Key, value []byte) error {
	if value == nil {
		delete(v.cps, k)
		return nil
	}
	cp, err := decodeCheckpointValue(value)
	if err != nil {
		delete(v.cps, k)
		return err
	}
	if cp.Tenant != k.Tenant || cp.Stream != k.Stream {
		delete(v.cps, k)
		return fmt.Errorf("value holds %s/%s", cp.Tenant, cp.Stream)
	}
	v.cps[k] = cp
	return nil
}

// applyManifest stores a set's manifest and assembles the set when its
// data is all there; a tombstone forgets the set.
func (v *view) applyManifest(k SetKey, key string, value []byte) error {
	if value == nil {
		delete(v.manifests, k)
		delete(v.sets, k)
		return nil
	}
	m, err := decodeManifest(value)
	if err != nil {
		delete(v.manifests, k)
		delete(v.sets, k)
		return err
	}
	v.manifests[k] = m
	return v.tryAssemble(k, key)
}

// applyChunk stores one chunk and assembles its set when the chunk
// completes the current manifest's generation.
func (v *view) applyChunk(k topicKey, key string, value []byte) error {
	if value == nil {
		delete(v.chunks, key)
		return nil
	}
	c, err := decodeChunk(value)
	if err != nil {
		return err
	}
	if c.Gen != k.gen || c.Index != k.index {
		return fmt.Errorf("value holds chunk %s/%d", c.Gen, c.Index)
	}
	v.chunks[key] = c.Data
	if m, ok := v.manifests[k.set]; ok && m.Gen == c.Gen {
		mkey := setManifestKey(k.set)
		err := v.tryAssemble(k.set, mkey)
		if err != nil {
			v.bad[mkey] = err
		}
	}
	return nil
}

// tryAssemble decodes the set of the current manifest once every chunk
// arrived. Until then the set read before (if any) stays visible: within
// a transaction, chunks and manifest may be read in either order.
func (v *view) tryAssemble(k SetKey, mkey string) error {
	m := v.manifests[k]
	chunks := make([][]byte, m.Chunks)
	for i := range chunks {
		data, ok := v.chunks[setChunkKey(k, m.Gen, i)]
		if !ok {
			return nil
		}
		chunks[i] = data
	}
	ids, err := assemble(m, chunks)
	if err != nil {
		delete(v.sets, k)
		return err
	}
	delete(v.bad, mkey)
	v.sets[k] = ids
	return nil
}

// applyAudit keeps one audit entry; entries are never tombstoned.
func (v *view) applyAudit(key string, value []byte) error {
	if value == nil {
		delete(v.audit, key)
		return nil
	}
	e, err := decodeAuditEntry(value)
	if err != nil {
		return err
	}
	v.audit[key] = e
	return nil
}
