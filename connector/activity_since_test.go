package connector

import (
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
)

func TestLogStartHonoursAnOperatorsSince(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	edge := now.Add(-logRetention).Add(time.Hour)
	last := now.Add(-2 * time.Hour)
	tests := []struct {
		name  string
		since string
		last  time.Time
		want  time.Time
	}{
		{"set since wins over the last event", "2026-11-30T00:00:00Z", last,
			time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)},
		{"no since: just before the last event", "", last, last.Add(-5 * time.Minute)},
		{"no since, nothing published: look-back", "", time.Time{}, now.Add(-7 * 24 * time.Hour)},
		{"since past retention: the edge", "2026-08-01T00:00:00Z", last, edge},
		{"unreadable since: as if none", "yesterday", last, last.Add(-5 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &tenantRun{opts: Options{}.withDefaults(), log: discard(),
				now: func() time.Time { return now }}
			cp := checkpoint.Checkpoint{LastPublished: tt.last}
			if tt.since != "" {
				cp.Extra = map[string]string{checkpoint.ExtraSince: tt.since}
			}
			if got := tr.logStart(cp); !got.Equal(tt.want) {
				t.Errorf("logStart: got %v, want %v", got, tt.want)
			}
		})
	}
}
