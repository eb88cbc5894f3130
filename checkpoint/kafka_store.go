package checkpoint

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Load returns the checkpoint of k as the store last read it. It returns
// an error wrapping ErrNotFound when none is stored, and an error naming
// the record when its value cannot be decoded: a damaged checkpoint is
// never taken for a missing one.
func (s *KafkaStore) Load(ctx context.Context, k Key) (Checkpoint, error) {
	if err := s.usable(ctx); err != nil {
		return Checkpoint{}, fmt.Errorf("loading checkpoint: %w", err)
	}
	if err := checkKey(k); err != nil {
		return Checkpoint{}, fmt.Errorf("loading checkpoint: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.view.bad[checkpointKey(k)]; err != nil {
		return Checkpoint{}, fmt.Errorf("loading checkpoint: %w", err)
	}
	cp, ok := s.view.cps[k]
	if !ok {
		return Checkpoint{}, fmt.Errorf("loading checkpoint %s/%s: %w",
			k.Tenant, k.Stream, ErrNotFound)
	}
	return cloneCheckpoint(cp), nil
}

// Save stores cp and waits until Kafka acknowledged it. A zero Version is
// set to Version and a zero UpdatedAt to now.
func (s *KafkaStore) Save(ctx context.Context, cp Checkpoint) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("saving checkpoint: %w", err)
	}
	r, err := s.EncodeCheckpoint(cp)
	if err != nil {
		return fmt.Errorf("saving checkpoint: %w", err)
	}
	if err := s.produce(ctx, r); err != nil {
		return fmt.Errorf("saving checkpoint %s/%s: %w", cp.Tenant, cp.Stream, err)
	}
	return nil
}

// Delete removes the checkpoint of k, so its stream starts over with a full
// sync. Deleting a missing checkpoint is not an error.
func (s *KafkaStore) Delete(ctx context.Context, k Key) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("deleting checkpoint: %w", err)
	}
	r, err := s.EncodeDelete(k)
	if err != nil {
		return fmt.Errorf("deleting checkpoint: %w", err)
	}
	if err := s.produce(ctx, r); err != nil {
		return fmt.Errorf("deleting checkpoint %s/%s: %w", k.Tenant, k.Stream, err)
	}
	return nil
}

// List returns every stored checkpoint, ordered by tenant then stream. A
// value that cannot be decoded fails the whole listing, naming its key.
func (s *KafkaStore) List(ctx context.Context) ([]Checkpoint, error) {
	if err := s.usable(ctx); err != nil {
		return nil, fmt.Errorf("listing checkpoints: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, err := range s.view.bad {
		if parseKey(key).kind == kindCheckpoint {
			return nil, fmt.Errorf("listing checkpoints: %w", err)
		}
	}
	out := make([]Checkpoint, 0, len(s.view.cps))
	for _, cp := range s.view.cps {
		out = append(out, cloneCheckpoint(cp))
	}
	slices.SortFunc(out, func(a, b Checkpoint) int {
		if c := strings.Compare(a.Tenant, b.Tenant); c != 0 {
			return c
		}
		return strings.Compare(a.Stream, b.Stream)
	})
	return out, nil
}

// LoadSet returns the ids stored under k, sorted and without duplicates:
// nil when no set is stored, an empty slice for a stored empty set. A set
// whose manifest was read but whose chunks are missing or damaged is an
// error naming the set.
func (s *KafkaStore) LoadSet(ctx context.Context, k SetKey) ([]string, error) {
	if err := s.usable(ctx); err != nil {
		return nil, fmt.Errorf("loading id set: %w", err)
	}
	if err := checkSetKey(k); err != nil {
		return nil, fmt.Errorf("loading id set: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.view.bad[setManifestKey(k)]; err != nil {
		return nil, fmt.Errorf("loading id set: %w", err)
	}
	if ids, ok := s.view.sets[k]; ok {
		return slices.Clone(ids), nil
	}
	if _, ok := s.view.manifests[k]; ok {
		return nil, fmt.Errorf("loading id set %s: chunks missing from topic %q",
			k.describe(), s.cfg.Topic)
	}
	return nil, nil
}

// SaveSet replaces the set stored under k and waits for Kafka. Chunks are
// acknowledged before the manifest that names them is written, so a crash
// in between leaves the old set readable.
func (s *KafkaStore) SaveSet(ctx context.Context, k SetKey, ids []string) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("saving id set: %w", err)
	}
	recs, err := s.EncodeSet(k, ids)
	if err != nil {
		return fmt.Errorf("saving id set: %w", err)
	}
	for _, r := range recs {
		if err := s.produce(ctx, r); err != nil {
			return fmt.Errorf("saving id set %s: %w", k.describe(), err)
		}
	}
	return nil
}

// DeleteSet removes the set stored under k; a missing set is not an error.
func (s *KafkaStore) DeleteSet(ctx context.Context, k SetKey) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("deleting id set: %w", err)
	}
	recs, err := s.EncodeSetDelete(k)
	if err != nil {
		return fmt.Errorf("deleting id set: %w", err)
	}
	for _, r := range recs {
		if err := s.produce(ctx, r); err != nil {
			return fmt.Errorf("deleting id set %s: %w", k.describe(), err)
		}
	}
	return nil
}

// Owners lists, sorted, the owners with a stored set under tenant and
// stream; "" stands for the set of every id.
func (s *KafkaStore) Owners(ctx context.Context, tenant, stream string) ([]string, error) {
	if err := s.usable(ctx); err != nil {
		return nil, fmt.Errorf("listing id set owners: %w", err)
	}
	if err := checkKey(Key{Tenant: tenant, Stream: stream}); err != nil {
		return nil, fmt.Errorf("listing id set owners: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var owners []string
	for k := range s.view.manifests {
		if k.Tenant == tenant && k.Stream == stream {
			owners = append(owners, k.Owner)
		}
	}
	slices.Sort(owners)
	return owners, nil
}

// produce writes one record, waits for its acknowledgement and applies it
// to the view, so the caller reads its own write at once.
func (s *KafkaStore) produce(ctx context.Context, r *kgo.Record) error {
	res := s.cl.ProduceSync(ctx, r)
	if err := res.FirstErr(); err != nil {
		return fmt.Errorf("producing to %q: %w", s.cfg.Topic, err)
	}
	s.Applied([]*kgo.Record{r})
	return nil
}

// cloneCheckpoint copies cp's slices and maps, so a caller changing its
// copy never changes the store's.
func cloneCheckpoint(cp Checkpoint) Checkpoint {
	cp.AtWatermark = slices.Clone(cp.AtWatermark)
	cp.Extra = maps.Clone(cp.Extra)
	if cp.Snapshot != nil {
		snap := *cp.Snapshot
		cp.Snapshot = &snap
	}
	return cp
}
