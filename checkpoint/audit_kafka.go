package checkpoint

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

var _ Auditor = (*KafkaStore)(nil)

// Append writes e to the checkpoint topic under a key of its own
// ("_audit/<unix nanos>-<random>"), so compaction keeps every entry, and
// waits for Kafka. A zero Time is set to now.
func (s *KafkaStore) Append(ctx context.Context, e AuditEntry) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("appending audit entry: %w", err)
	}
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	value, err := encodeAuditEntry(e)
	if err != nil {
		return fmt.Errorf("appending audit entry: %w", err)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	key := auditPrefix + strconv.FormatInt(e.Time.UnixNano(), 10) + "-" +
		hex.EncodeToString(b)
	if err := s.produce(ctx, s.record(key, value)); err != nil {
		return fmt.Errorf("appending audit entry: %w", err)
	}
	return nil
}

// Entries returns every audit entry the store has read, oldest first;
// entries another process appended show once the follower read them
// (call Sync first to be sure).
func (s *KafkaStore) Entries(ctx context.Context) ([]AuditEntry, error) {
	if err := s.usable(ctx); err != nil {
		return nil, fmt.Errorf("reading audit trail: %w", err)
	}
	s.mu.Lock()
	out := make([]AuditEntry, 0, len(s.view.audit))
	for _, e := range s.view.audit {
		out = append(out, e)
	}
	s.mu.Unlock()
	sortEntries(out)
	return out, nil
}
