package bench

import (
	"bytes"
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
// Okta sent and encoding the records Kafka got. Decode uses the client's
// own decoder (okta.DecodePage, okta.DecodeObject), so the ratio compares
// the connector with its own work; StdDecode decodes the same bodies with
// encoding/json into the same types, the figure a plain Go program gets.
type baselineCost struct {
	Decode, StdDecode, Encode time.Duration
	Bodies                    int
}

// replay is a batch of bodies held to be decoded, each with its type.
type replay struct {
	bodies [][]byte
	kinds  []*bodyKind
	size   int
}

// decode times the batch's decoding by the client's decoder, or by
// encoding/json when std is set.
func (r *replay) decode(std bool) (time.Duration, error) {
	return cpuOf(func() error {
		for i, body := range r.bodies {
			f := r.kinds[i].client
			if std {
				f = r.kinds[i].std
			}
			if err := f(body); err != nil {
				return err
			}
		}
		return nil
	})
}

// flush decodes the batch with both decoders and empties it.
func (r *replay) flush(c *baselineCost) error {
	d, err := r.decode(false)
	if err != nil {
		return err
	}
	std, err := r.decode(true)
	if err != nil {
		return err
	}
	c.Decode, c.StdDecode = c.Decode+d, c.StdDecode+std
	c.Bodies += len(r.bodies)
	r.bodies, r.kinds, r.size = r.bodies[:0], r.kinds[:0], 0
	return nil
}

// measureBaseline replays the GET requests of a sync against the
// simulator to decode the very bodies the connector decoded, and
// re-encodes the records the connector wrote under prefix.
func measureBaseline(ctx context.Context, s *sim, reqs []request, b *broker,
	prefix string) (baselineCost, error) {
	var c baselineCost
	var batch replay
	for _, r := range reqs {
		dec := decoderFor(r)
		if dec == nil {
			continue
		}
		body, err := s.get(ctx, r.Path)
		if err != nil {
			return c, fmt.Errorf("replaying the sync: %w", err)
		}
		batch.bodies, batch.kinds = append(batch.bodies, body), append(batch.kinds, dec)
		batch.size += len(body)
		if batch.size >= replayBatch {
			if err := batch.flush(&c); err != nil {
				return c, err
			}
		}
	}
	if err := batch.flush(&c); err != nil {
		return c, err
	}
	enc, err := encodeCost(ctx, b, prefix)
	c.Encode = enc
	return c, err
}

// bodyKind decodes one response body into the type the connector's
// client decodes it into: with the client's decoder, or with encoding/json.
type bodyKind struct {
	client, std func([]byte) error
}

// decoderFor returns how to decode the body of r, or nil for a request
// that is not one page of Okta data.
func decoderFor(r request) *bodyKind {
	if r.Method != "GET" || r.Status != 200 {
		return nil
	}
	path, _, _ := strings.Cut(r.Path, "?")
	parts := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	switch {
	case path == "/api/v1/users":
		return page[okta.User]()
	case path == "/api/v1/groups":
		return page[okta.Group]()
	case len(parts) == 3 && parts[0] == "groups" && parts[2] == "users":
		return page[okta.User]()
	case path == "/api/v1/apps":
		return page[okta.App]()
	case len(parts) == 3 && parts[0] == "apps" && parts[2] == "users":
		return page[okta.AppUser]()
	case len(parts) == 3 && parts[0] == "apps" && parts[2] == "groups":
		return page[okta.AppGroup]()
	case path == "/api/v1/logs":
		return page[okta.LogEvent]()
	case path == "/api/v1/org":
		return object[okta.Org]()
	case path == "/api/v1/domains":
		return object[struct{ Domains []okta.Domain }]()
	case path == "/.well-known/okta-organization":
		return object[okta.WellKnownOrg]()
	}
	return nil
}

// page is the kind of a body holding one page of T.
func page[T any]() *bodyKind {
	return &bodyKind{
		client: func(b []byte) error {
			_, err := okta.DecodePage[T](bytes.NewReader(b))
			return wrapDecode[[]T](err)
		},
		std: stdDecode[[]T],
	}
}

// object is the kind of a body holding one T.
func object[T any]() *bodyKind {
	return &bodyKind{
		client: func(b []byte) error {
			return wrapDecode[T](okta.DecodeObject(bytes.NewReader(b), new(T)))
		},
		std: stdDecode[T],
	}
}

func stdDecode[T any](b []byte) error {
	var v T
	return wrapDecode[T](json.Unmarshal(b, &v))
}

func wrapDecode[T any](err error) error {
	if err != nil {
		return fmt.Errorf("decoding %T: %w", *new(T), err)
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
