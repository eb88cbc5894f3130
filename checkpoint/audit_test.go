package checkpoint

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

func TestFileAuditAppendsAndReadsBack(t *testing.T) {
	dir := t.TempDir()
	a := NewFileAudit(dir)
	ctx := context.Background()
	old := sampleCheckpoint("acme", "activity")
	entries := []AuditEntry{
		{Time: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), User: "ops", Host: "h",
			Action: "reset", Reason: "ticket 1", Tenant: "acme", Stream: "activity",
			Old: &old},
		{Time: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), User: "ops", Host: "h",
			Action: "set", Reason: "ticket 2", Tenant: "acme", Stream: "activity",
			New: &old},
	}
	for _, e := range entries {
		if err := a.Append(ctx, e); err != nil {
			t.Fatalf("Append: %v", err)
		}
	}
	// A crash in the middle of an append leaves a line without its end.
	f, err := os.OpenFile(filepath.Join(dir, AuditName), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatalf("opening audit log: %v", err)
	}
	_, _ = f.WriteString(`{"version":1,"time":`)
	_ = f.Close()

	got, err := a.Entries(ctx)
	if err != nil {
		t.Fatalf("Entries: %v", err)
	}
	for i := range entries {
		entries[i].Version = auditVersion
	}
	if diff := cmp.Diff(entries, got); diff != "" {
		t.Errorf("Entries (-want +got):\n%s", diff)
	}
}

func TestFileAuditRefusesDamagedLine(t *testing.T) {
	dir := t.TempDir()
	data := "{\"version\":1,\"action\":\"reset\"}\nnot json\n"
	if err := os.WriteFile(filepath.Join(dir, AuditName), []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewFileAudit(dir).Entries(context.Background()); err == nil {
		t.Errorf("Entries of a damaged trail: got nil error, want one naming line 2")
	}
}

func TestKafkaAuditRoundTrip(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := testTopic(t)
	s := openKafka(t, brokers, topic)
	ctx := testCtx(t)
	e := AuditEntry{Time: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), User: "ops",
		Action: "reset", Reason: "why", Tenant: "acme", Stream: "groups"}
	if err := s.Append(ctx, e); err != nil {
		t.Fatalf("Append: %v", err)
	}
	r := openKafka(t, brokers, topic)
	got, err := r.Entries(ctx)
	if err != nil {
		t.Fatalf("Entries: %v", err)
	}
	e.Version = auditVersion
	if diff := cmp.Diff([]AuditEntry{e}, got); diff != "" {
		t.Errorf("Entries after restart (-want +got):\n%s", diff)
	}
}
