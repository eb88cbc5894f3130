package kafkatest_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

var topicPrefix = regexp.MustCompile(`^test\.[a-z0-9._-]+\.[0-9a-f]{8}\.$`)

func TestUniqueTopicPrefix(t *testing.T) {
	tests := []struct{ name, wantPart string }{
		{"Simple", "simple"},
		{"with spaces/and Slashes", "with_spaces-and_slashes"},
		{strings.Repeat("long", 30), "long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := kafkatest.UniqueTopicPrefix(t), kafkatest.UniqueTopicPrefix(t)
			if a == b {
				t.Errorf("two calls: got %q twice, want different prefixes", a)
			}
			if !topicPrefix.MatchString(a) {
				t.Errorf("got %q, want a match of %v", a, topicPrefix)
			}
			if !strings.Contains(a, tc.wantPart) {
				t.Errorf("got %q, want it to contain %q", a, tc.wantPart)
			}
			if len(a) > 80 {
				t.Errorf("got %d characters (%q), want at most 80", len(a), a)
			}
		})
	}
}
