package checkpoint

import (
	"context"
	"fmt"
	"slices"
)

var _ Inbox = (*KafkaStore)(nil)

// inboxKey is the topic key of a queued request.
func inboxKey(r Request) string {
	return inboxPrefix + r.Tenant + "/" + r.Stream + "/" + r.ID
}

// Submit writes r to the checkpoint topic under a key of its own and waits
// for Kafka. Every instance following the topic sees it within moments;
// the one running r's stream applies it.
func (s *KafkaStore) Submit(ctx context.Context, r Request) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("submitting checkpoint change: %w", err)
	}
	if err := r.check(); err != nil {
		return fmt.Errorf("submitting checkpoint change: %w", err)
	}
	value, err := encodeRequest(r)
	if err != nil {
		return fmt.Errorf("encoding checkpoint change %s: %w", r.ID, err)
	}
	if err := s.produce(ctx, s.record(inboxKey(r), value)); err != nil {
		return fmt.Errorf("submitting checkpoint change %s: %w", r.ID, err)
	}
	return nil
}

// Pending returns the requests queued for k that the store has read,
// oldest first. A request whose value does not decode is an error naming
// its key.
func (s *KafkaStore) Pending(ctx context.Context, k Key) ([]Request, error) {
	if err := s.usable(ctx); err != nil {
		return nil, fmt.Errorf("reading checkpoint changes: %w", err)
	}
	if err := checkKey(k); err != nil {
		return nil, fmt.Errorf("reading checkpoint changes: %w", err)
	}
	return s.requests(func(r Request) bool { return r.Key() == k })
}

// Requests returns every queued request the store has read, by tenant,
// stream, then age.
func (s *KafkaStore) Requests(ctx context.Context) ([]Request, error) {
	if err := s.usable(ctx); err != nil {
		return nil, fmt.Errorf("reading checkpoint changes: %w", err)
	}
	return s.requests(func(Request) bool { return true })
}

// requests returns the queued requests that keep selects, sorted.
func (s *KafkaStore) requests(keep func(Request) bool) ([]Request, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, err := range s.view.bad {
		if parseKey(key).kind == kindInbox {
			return nil, fmt.Errorf("reading checkpoint changes: %w", err)
		}
	}
	var out []Request
	for _, r := range s.view.inbox {
		if keep(r) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, compareRequests)
	return out, nil
}

// Done tombstones r's key, so compaction drops it, and waits for Kafka.
func (s *KafkaStore) Done(ctx context.Context, r Request) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("removing applied checkpoint change: %w", err)
	}
	if err := r.check(); err != nil {
		return fmt.Errorf("removing applied checkpoint change: %w", err)
	}
	if err := s.produce(ctx, s.record(inboxKey(r), nil)); err != nil {
		return fmt.Errorf("removing applied checkpoint change %s: %w", r.ID, err)
	}
	return nil
}

// applyInbox keeps or, for a tombstone, forgets one queued request. A
// value whose key does not match it is refused, so a request can never be
// applied to another tenant's checkpoint.
func (v *view) applyInbox(key string, value []byte) error {
	if value == nil {
		delete(v.inbox, key)
		return nil
	}
	r, err := decodeRequest(value)
	if err != nil {
		delete(v.inbox, key)
		return err
	}
	if inboxKey(r) != key {
		delete(v.inbox, key)
		return fmt.Errorf("value holds request %s of %s/%s", r.ID, r.Tenant, r.Stream)
	}
	v.inbox[key] = r
	return nil
}
