package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/schemas"
)

// replayBatch bounds the bodies held at once while replaying a sync, so
// the baseline's memory stays flat however large the org.
const replayBatch = 64 << 20

// baselineCost is the CPU time of the work alone: decoding the bodies
// Okta sent and encoding the records Kafka got.
type baselineCost struct {
	Decode, Encode time.Duration
	Bodies         int
}

// measureBaseline replays the GET requests of a sync against the
// simulator to decode the very bodies the connector decoded, and
// re-encodes the records the connector wrote under prefix.
func measureBaseline(ctx context.Context, s *sim, reqs []request, b *broker,
	prefix string) (baselineCost, error) {
	var c baselineCost
	var batch [][]byte
	var kinds []decodeFunc
	size := 0
	flush := func() error {
		d, err := cpuOf(func() error {
			for i, body := range batch {
				if err := kinds[i](body); err != nil {
					return err
				}
			}
			return nil
		})
		c.Decode += d
		c.Bodies += len(batch)
		batch, kinds, size = batch[:0], kinds[:0], 0
		return err
	}
	for _, r := range reqs {
		dec := decoderFor(r)
		if dec == nil {
			continue
		}
		body, err := s.get(ctx, r.Path)
		if err != nil {
			return c, fmt.Errorf("replaying the sync: %w", err)
		}
		batch, kinds, size = append(batch, body), append(kinds, dec), size+len(body)
		if size >= replayBatch {
			if err := flush(); err != nil {
				return c, err
			}
		}
	}
	if err := flush(); err != nil {
		return c, err
	}
	enc, err := encodeCost(ctx, b, prefix)
	c.Encode = enc
	return c, err
}

// decodeFunc decodes one response body as the connector's client does.
type decodeFunc func([]byte) error

// decoderFor returns how to decode the body of r, or nil for a request
// that is not one page of Okta data.
func decoderFor(r request) decodeFunc {
	if r.Method != "GET" || r.Status != 200 {
		return nil
	}
	path, _, _ := strings.Cut(r.Path, "?")
	parts := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	switch {
	case path == "/api/v1/users":
		return decodeAs[[]okta.User]
	case path == "/api/v1/groups":
		return decodeAs[[]okta.Group]
	case len(parts) == 3 && parts[0] == "groups" && parts[2] == "users":
		return decodeAs[[]okta.User]
	case path == "/api/v1/apps":
		return decodeAs[[]okta.App]
	case len(parts) == 3 && parts[0] == "apps" && parts[2] == "users":
		return decodeAs[[]okta.AppUser]
	case len(parts) == 3 && parts[0] == "apps" && parts[2] == "groups":
		return decodeAs[[]okta.AppGroup]
	case path == "/api/v1/logs":
		return decodeAs[[]okta.LogEvent]
	case path == "/api/v1/org":
		return decodeAs[okta.Org]
	case path == "/api/v1/domains":
		return decodeAs[struct{ Domains []okta.Domain }]
	case path == "/.well-known/okta-organization":
		return decodeAs[okta.WellKnownOrg]
	}
	return nil
}

func decodeAs[T any](b []byte) error {
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("decoding %T: %w", v, err)
	}
	return nil
}

// encodeCost decodes every record under prefix (untimed) and times its
// encoding again with the connector's codec.
func encodeCost(ctx context.Context, b *broker, prefix string) (time.Duration, error) {
	codec, err := schemas.NewSingleObjectCodec()
	if err != nil {
		return 0, fmt.Errorf("building codec: %w", err)
	}
	var total time.Duration
	err = b.scan(ctx, prefix, func(stream string, recs []*kgo.Record) error {
		vals := make([]any, 0, len(recs))
		for _, r := range recs {
			if r.Value == nil {
				continue
			}
			v := schemas.NewRecord(stream)
			if v == nil {
				return fmt.Errorf("decoding %s: unknown stream", stream)
			}
			if err := codec.Decode(r.Value, stream, v); err != nil {
				return fmt.Errorf("decoding %s record: %w", stream, err)
			}
			vals = append(vals, v)
		}
		d, err := cpuOf(func() error {
			for _, v := range vals {
				if _, err := codec.Encode(stream, v); err != nil {
					return fmt.Errorf("encoding %s record: %w", stream, err)
				}
			}
			return nil
		})
		total += d
		return err
	})
	return total, err
}

// cpuOf returns the CPU time (user plus system, every thread) this
// process spends in f and in collecting f's garbage: it collects before
// starting, so earlier garbage is not billed to f, and after f, so f's is,
// as the connector's CPU time includes its collector's.
func cpuOf(f func() error) (time.Duration, error) {
	runtime.GC()
	t0 := processCPU()
	err := f()
	runtime.GC()
	return processCPU() - t0, err
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
