package logging

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kgo"
)

func TestNewFormats(t *testing.T) {
	tests := []struct {
		name, format string
		json         bool
	}{
		{"auto off a terminal is json", "auto", true},
		{"json", "JSON", true},
		{"text", "text", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			l, err := New(&buf, "info", tt.format)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			l.Info("fetched page", "tenant", "acme", "count", 200)
			out := buf.String()
			var rec map[string]any
			isJSON := json.Unmarshal(buf.Bytes(), &rec) == nil
			if isJSON != tt.json {
				t.Fatalf("output %q: got json %v, want %v", out, isJSON, tt.json)
			}
			if strings.Contains(out, "\x1b[") {
				t.Errorf("output to a buffer has colour codes: %q", out)
			}
			if !strings.Contains(out, "fetched page") || !strings.Contains(out, "acme") {
				t.Errorf("output %q lacks the message or its attributes", out)
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	for _, tc := range [][2]string{{"verbose", "json"}, {"info", "xml"}} {
		if _, err := New(&bytes.Buffer{}, tc[0], tc[1]); err == nil {
			t.Errorf("New(level %q, format %q): got nil error, want one", tc[0], tc[1])
		}
	}
}

func TestFileIsNotTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if isTerminal(f) {
		t.Errorf("isTerminal(regular file): got true, want false")
	}
}

// levels logs one line per kgo level through KafkaLogger and returns the
// slog level names that came out.
func levels(t *testing.T, level string) (shown []string, kgoLevel kgo.LogLevel) {
	t.Helper()
	var buf bytes.Buffer
	l, err := New(&buf, level, "json")
	if err != nil {
		t.Fatal(err)
	}
	kl := KafkaLogger(l)
	for _, lvl := range []kgo.LogLevel{
		kgo.LogLevelError, kgo.LogLevelWarn, kgo.LogLevelInfo, kgo.LogLevelDebug,
	} {
		kl.Log(lvl, "kgo says", "broker", 1)
	}
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var rec struct{ Level string }
		if err := dec.Decode(&rec); err != nil {
			t.Fatal(err)
		}
		shown = append(shown, rec.Level)
	}
	return shown, kl.Level()
}

func TestKafkaLoggerDemotes(t *testing.T) {
	tests := []struct {
		level    string
		shown    []string
		kgoLevel kgo.LogLevel
	}{
		{"error", []string{"ERROR"}, kgo.LogLevelError},
		{"warn", []string{"ERROR", "WARN"}, kgo.LogLevelWarn},
		{"info", []string{"ERROR", "WARN"}, kgo.LogLevelWarn},
		{"debug", []string{"ERROR", "WARN", "DEBUG"}, kgo.LogLevelInfo},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			shown, kgoLevel := levels(t, tt.level)
			if diff := cmp.Diff(tt.shown, shown); diff != "" {
				t.Errorf("levels shown mismatch (-want +got):\n%s", diff)
			}
			if kgoLevel != tt.kgoLevel {
				t.Errorf("Level(): got %v, want %v", kgoLevel, tt.kgoLevel)
			}
		})
	}
}

func TestTraceName(t *testing.T) {
	var buf bytes.Buffer
	l, err := New(&buf, "debug", "json")
	if err != nil {
		t.Fatal(err)
	}
	if l.Enabled(t.Context(), LevelTrace) {
		t.Errorf("debug logger enables trace, so kgo debug would flood it")
	}
	a := nameTrace(nil, slog.Any(slog.LevelKey, LevelTrace))
	if got := a.Value.String(); got != "TRACE" {
		t.Errorf("trace level name: got %q, want TRACE", got)
	}
	a = nameTrace(nil, slog.Any(slog.LevelKey, slog.LevelDebug))
	if got := a.Value.String(); got != "DEBUG" {
		t.Errorf("debug level name: got %q, want DEBUG", got)
	}
}

// TestJSONDurationsAreText: a duration reads "1m1s" in JSON logs, not an
// integer of nanoseconds.
func TestJSONDurationsAreText(t *testing.T) {
	var buf bytes.Buffer
	log, err := New(&buf, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	log.Info("waited", "wait", 61*time.Second+4*time.Millisecond)
	if got := buf.String(); !strings.Contains(got, `"wait":"1m1.004s"`) {
		t.Errorf("got %s, want the wait as text", got)
	}
}
