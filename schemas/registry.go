package schemas

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/twmb/franz-go/pkg/sr"
)

// confluentMagic opens every value in the Confluent wire format; the 4-byte
// big-endian schema id follows.
const confluentMagic = 0x00

// confluentHeaderLen is the magic plus the id.
const confluentHeaderLen = 5

// RegistryCodec writes the Confluent wire format: 0x00, the registry's
// 4-byte big-endian schema id, then the Avro body. Schemas are registered
// once, at construction, under <topic>-value (TopicNameStrategy). Safe for
// concurrent use.
type RegistryCodec struct {
	enc *encoder
	dec *Decoder
	ids map[string]int
}

// NewRegistryCodec registers every published schema under
// topicOf(stream)+"-value" and returns a codec writing their ids.
// Registering an identical schema again returns its existing id, so every
// instance and restart may do this. An error names the registry URL (without
// credentials) and the subject.
func NewRegistryCodec(
	ctx context.Context, cl *sr.Client, topicOf func(stream string) string,
) (*RegistryCodec, error) {
	all, err := loadAll()
	if err != nil {
		return nil, err
	}
	dec, err := NewDecoder(nil)
	if err != nil {
		return nil, err
	}
	streams := make(map[string]framing, len(all))
	ids := make(map[string]int, len(all))
	for _, name := range Published() {
		p := all[name]
		subject := topicOf(name) + "-value"
		ss, err := cl.CreateSchema(ctx, subject, sr.Schema{Schema: p.text, Type: sr.TypeAvro})
		if err != nil {
			return nil, registryError(cl, subject, err)
		}
		if err := dec.add(ss.ID, p); err != nil {
			return nil, err
		}
		ids[name] = ss.ID
		streams[name] = framing{
			schema: p.schema,
			header: confluentHeader(ss.ID),
			id:     strconv.Itoa(ss.ID),
			want:   recordTypes[name],
		}
	}
	return &RegistryCodec{enc: newEncoder(streams), dec: dec, ids: ids}, nil
}

// Encode returns v in the Confluent wire format under the stream's
// registered schema.
func (c *RegistryCodec) Encode(stream string, v any) ([]byte, error) {
	return c.enc.encode(stream, v)
}

// SchemaID returns the stream's registry schema id in decimal, or "" for an
// unknown stream.
func (c *RegistryCodec) SchemaID(stream string) string {
	return c.enc.schemaID(stream)
}

// Decode reads a Confluent wire format value of the stream into out, a
// pointer to the stream's record type, for the ids this codec registered.
// Use a Decoder with a registry client for any other id.
func (c *RegistryCodec) Decode(data []byte, stream string, out any) error {
	return c.dec.decodeConfluent(context.Background(), data, stream, out)
}

func confluentHeader(id int) []byte {
	h := make([]byte, confluentHeaderLen)
	h[0] = confluentMagic
	binary.BigEndian.PutUint32(h[1:], uint32(id))
	return h
}

// registryError names the registry and the subject. The URL is shown
// without its user information, and that user information is also cut out
// of the registry client's own message, which quotes the request URL.
func registryError(cl *sr.Client, subject string, err error) error {
	urls, _ := cl.OptValue(sr.URLs).([]string)
	shown := make([]string, 0, len(urls))
	var secrets []string
	for _, raw := range urls {
		u, perr := url.Parse(raw)
		if perr != nil {
			shown = append(shown, "(unparsable url)")
			continue
		}
		if u.User != nil {
			secrets = append(secrets, u.User.String())
			if p, ok := u.User.Password(); ok {
				secrets = append(secrets, p)
			}
		}
		shown = append(shown, u.Redacted())
	}
	return fmt.Errorf("registering schema under subject %q at %s: %w",
		subject, strings.Join(shown, ","), &scrubbedError{err: err, secrets: secrets})
}

// scrubbedError hides secrets that a wrapped error's text would show.
type scrubbedError struct {
	err     error
	secrets []string
}

func (e *scrubbedError) Error() string {
	s := e.err.Error()
	for _, secret := range e.secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "xxxxx")
		}
	}
	return s
}

func (e *scrubbedError) Unwrap() error { return e.err }
