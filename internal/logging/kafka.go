package logging

import (
	"context"
	"log/slog"

	"github.com/twmb/franz-go/pkg/kgo"
)

// kafkaLogger adapts a *slog.Logger to kgo.Logger. It is safe for
// concurrent use, as kgo requires.
type kafkaLogger struct{ l *slog.Logger }

var _ kgo.Logger = kafkaLogger{}

// KafkaLogger returns a kgo.Logger writing to l, one step quieter than kgo
// asks: kgo logs connection and metadata lifecycle at Info, which would
// crowd the connector's own Info lines, so its Info becomes Debug and its
// Debug becomes LevelTrace. Warn and Error keep their levels.
func KafkaLogger(l *slog.Logger) kgo.Logger { return kafkaLogger{l: l} }

// Level tells kgo the most verbose level l will show, so kgo does not
// build messages l would drop.
func (k kafkaLogger) Level() kgo.LogLevel {
	ctx := context.Background()
	for _, lvl := range []kgo.LogLevel{
		kgo.LogLevelDebug, kgo.LogLevelInfo, kgo.LogLevelWarn, kgo.LogLevelError,
	} {
		if k.l.Enabled(ctx, slogLevel(lvl)) {
			return lvl
		}
	}
	return kgo.LogLevelNone
}

// Log writes one kgo message with its key/value pairs.
func (k kafkaLogger) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	k.l.Log(context.Background(), slogLevel(level), msg, keyvals...)
}

// slogLevel demotes kgo's Info and Debug by one step.
func slogLevel(level kgo.LogLevel) slog.Level {
	switch level {
	case kgo.LogLevelError:
		return slog.LevelError
	case kgo.LogLevelWarn:
		return slog.LevelWarn
	case kgo.LogLevelInfo:
		return slog.LevelDebug
	default:
		return LevelTrace
	}
}
