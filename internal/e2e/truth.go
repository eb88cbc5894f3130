package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Truth is what the verifier compares Kafka with, in the JSON shape
// tools/verify-consumer/truth.py documents. Topics are keyed by stream name
// (the topic without its prefix).
type Truth struct {
	Topics map[string]TopicTruth `json:"topics"`
	Values []ValueCheck          `json:"values,omitempty"`
}

// TopicTruth is one topic's expected record counts and keys; a nil count or
// key list is not checked.
type TopicTruth struct {
	Upserts    *int     `json:"upserts,omitempty"`
	Tombstones *int     `json:"tombstones,omitempty"`
	Keys       []string `json:"keys,omitempty"`
}

// ValueCheck says that the last record of Topic with Key (when set) whose
// fields equal Match (when set) has Want at Field, a dotted path ("actor.id",
// "targets[*].id", "custom_attributes.costCenter"). Timestamps are compared
// as ISO 8601 text with milliseconds and a Z.
type ValueCheck struct {
	Topic string         `json:"topic"`
	Key   string         `json:"key,omitempty"`
	Match map[string]any `json:"match,omitempty"`
	Field string         `json:"field"`
	Want  any            `json:"want"` // no omitempty: a null want is a check too
	Why   string         `json:"why,omitempty"`
}

// Count returns a pointer to n, for TopicTruth literals.
func Count(n int) *int { return &n }

// Write stores the truth as JSON in a fresh file under t.TempDir and returns
// its path.
func (tr Truth) Write(t testing.TB) string {
	t.Helper()
	data, err := json.MarshalIndent(tr, "", "  ")
	if err != nil {
		t.Fatalf("encoding truth file: %v", err)
	}
	path := filepath.Join(t.TempDir(), "truth.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatalf("writing truth file %s: %v", path, err)
	}
	return path
}
