// Package logging builds the connector's one *slog.Logger and bridges the
// Kafka client's logs into it.
//
// Known limits: terminal detection looks only at an *os.File writer (any
// other writer counts as not a terminal), and the level is fixed when the
// logger is built.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/lmittmann/tint"
	"golang.org/x/term"
)

// LevelTrace is below Debug: the Kafka client's own debug chatter goes
// there, shown only when a handler is built for it.
const LevelTrace = slog.LevelDebug - 4

// New returns a logger writing to w at level (debug, info, warn or error)
// in format: "json", "text" (tint, coloured when w is a terminal) or
// "auto" (text on a terminal, JSON otherwise, such as under a container
// runtime collecting lines).
func New(w io.Writer, level, format string) (*slog.Logger, error) {
	lvl, err := parseLevel(level)
	if err != nil {
		return nil, err
	}
	tty := isTerminal(w)
	switch strings.ToLower(format) {
	case "auto":
		if tty {
			return slog.New(textHandler(w, lvl, true)), nil
		}
		return slog.New(jsonHandler(w, lvl)), nil
	case "text":
		return slog.New(textHandler(w, lvl, tty)), nil
	case "json":
		return slog.New(jsonHandler(w, lvl)), nil
	}
	return nil, fmt.Errorf("building logger: unknown log format %q (want auto, text or json)",
		format)
}

// parseLevel maps a level name to its slog level.
func parseLevel(level string) (slog.Level, error) {
	switch strings.ToLower(level) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("building logger: unknown log level %q "+
		"(want debug, info, warn or error)", level)
}

// textHandler is tint's human-readable handler.
func textHandler(w io.Writer, lvl slog.Level, colour bool) slog.Handler {
	return tint.NewTextHandler(w, &tint.Options{
		Level:       lvl,
		NoColor:     !colour,
		ReplaceAttr: nameTrace,
	})
}

// jsonHandler writes one JSON object per line.
func jsonHandler(w io.Writer, lvl slog.Level) slog.Handler {
	return slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lvl, ReplaceAttr: jsonAttr})
}

// nameTrace prints LevelTrace as "TRACE" rather than slog's "DEBUG-4".
func nameTrace(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.LevelKey {
		if l, ok := a.Value.Any().(slog.Level); ok && l <= LevelTrace {
			return slog.String(slog.LevelKey, "TRACE")
		}
	}
	return a
}

// jsonAttr is nameTrace plus durations as text ("1m0.97s"): slog's JSON
// handler writes them as integer nanoseconds, which nobody reads at 3 a.m.
func jsonAttr(groups []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.String(a.Key, a.Value.Duration().Round(time.Millisecond).String())
	}
	return nameTrace(groups, a)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
