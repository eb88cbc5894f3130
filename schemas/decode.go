package schemas

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/sr"
)

// Decoder reads values of either wire format back into record types, for
// tests and tools. The reader schema is always the stream's current one; a
// value written with another schema is resolved to it by Avro's rules.
// Writer schemas come from the fingerprints of the current and released
// schemas (single-object encoding), and from ids added with AddSchema or
// fetched from the registry (Confluent wire format). Safe for concurrent use.
type Decoder struct {
	reg *sr.Client

	mu       sync.Mutex
	byID     map[int]*parsed
	byFP     map[uint64]*parsed
	resolved map[[2][32]byte]avro.Schema
}

// NewDecoder returns a Decoder; reg may be nil, and then only schemas known
// without a network call resolve.
func NewDecoder(reg *sr.Client) (*Decoder, error) {
	all, err := loadAll()
	if err != nil {
		return nil, err
	}
	d := &Decoder{
		reg:      reg,
		byID:     make(map[int]*parsed),
		byFP:     make(map[uint64]*parsed),
		resolved: make(map[[2][32]byte]avro.Schema),
	}
	for name, p := range all {
		d.byFP[p.fingerprint] = p
		versions, err := Released(name)
		if err != nil {
			return nil, err
		}
		for _, v := range versions {
			where := fmt.Sprintf("released/%s/v%d.avsc", v.Stream, v.Number)
			rp, err := parseText(where, v.Text)
			if err != nil {
				return nil, err
			}
			if _, ok := d.byFP[rp.fingerprint]; !ok {
				d.byFP[rp.fingerprint] = rp
			}
		}
	}
	return d, nil
}

// AddSchema makes a registry id known without asking the registry, for
// tools that carry their schemas.
func (d *Decoder) AddSchema(id int, schemaJSON string) error {
	p, err := parseText(fmt.Sprintf("with id %d", id), schemaJSON)
	if err != nil {
		return err
	}
	return d.add(id, p)
}

func (d *Decoder) add(id int, p *parsed) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if old, ok := d.byID[id]; ok && old.fingerprint != p.fingerprint {
		return fmt.Errorf("adding schema id %d: a different schema has that id", id)
	}
	d.byID[id] = p
	return nil
}

// Decode reads one value of the stream into out, a pointer to the stream's
// record type, whichever wire format wrote it; ctx bounds a registry lookup.
func (d *Decoder) Decode(ctx context.Context, data []byte, stream string, out any) error {
	switch {
	case len(data) >= 2 && data[0] == soeMagic[0] && data[1] == soeMagic[1]:
		return d.decodeSingleObject(data, stream, out)
	case len(data) >= 1 && data[0] == confluentMagic:
		return d.decodeConfluent(ctx, data, stream, out)
	default:
		return fmt.Errorf("decoding %s value: %w", stream, errUnknownFormat)
	}
}

var errUnknownFormat = errors.New("neither single-object nor confluent framing")

func (d *Decoder) decodeSingleObject(data []byte, stream string, out any) error {
	if len(data) < soeHeaderLen || data[0] != soeMagic[0] || data[1] != soeMagic[1] {
		return fmt.Errorf("decoding %s value: not single-object encoded", stream)
	}
	fp := binary.LittleEndian.Uint64(data[2:soeHeaderLen])
	d.mu.Lock()
	writer, ok := d.byFP[fp]
	d.mu.Unlock()
	if !ok {
		return fmt.Errorf("decoding %s value: unknown schema fingerprint %s",
			stream, fingerprintHex(fp))
	}
	return d.decodeBody(stream, writer, data[soeHeaderLen:], out)
}

func (d *Decoder) decodeConfluent(ctx context.Context, data []byte, stream string, out any) error {
	if len(data) < confluentHeaderLen || data[0] != confluentMagic {
		return fmt.Errorf("decoding %s value: not in the confluent wire format", stream)
	}
	id := int(binary.BigEndian.Uint32(data[1:confluentHeaderLen]))
	writer, err := d.schemaByID(ctx, id)
	if err != nil {
		return fmt.Errorf("decoding %s value: %w", stream, err)
	}
	return d.decodeBody(stream, writer, data[confluentHeaderLen:], out)
}

func (d *Decoder) schemaByID(ctx context.Context, id int) (*parsed, error) {
	d.mu.Lock()
	p, ok := d.byID[id]
	d.mu.Unlock()
	if ok {
		return p, nil
	}
	if d.reg == nil {
		return nil, fmt.Errorf("looking up schema id %d: unknown, and no registry", id)
	}
	s, err := d.reg.SchemaByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("fetching schema id %d from the registry: %w", id, err)
	}
	p, err = parseText(fmt.Sprintf("with id %d", id), s.Schema)
	if err != nil {
		return nil, err
	}
	if err := d.add(id, p); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeBody reads an Avro body written with writer into out, through the
// stream's current schema.
func (d *Decoder) decodeBody(stream string, writer *parsed, body []byte, out any) error {
	reader, err := lookup(stream)
	if err != nil {
		return err
	}
	schema := reader.schema
	if writer.fingerprint != reader.fingerprint {
		if schema, err = d.resolve(reader.schema, writer.schema); err != nil {
			return fmt.Errorf("decoding %s value: %w", stream, err)
		}
	}
	if err := unmarshalStrict(schema, body, out); err != nil {
		return fmt.Errorf("decoding %s value: %w", stream, err)
	}
	return nil
}

// unmarshalStrict reads exactly one value from body. hamba's Unmarshal
// reports a body cut short as success (it drops io.EOF), and ignores bytes
// after the value; either means the value is not what was written.
func unmarshalStrict(schema avro.Schema, body []byte, out any) error {
	r := avro.NewReader(nil, 0, avro.WithReaderConfig(avroAPI)).Reset(body)
	r.ReadVal(schema, out)
	if r.Error != nil {
		return r.Error
	}
	r.Peek()
	if r.Error == nil {
		return errors.New("bytes left after the value")
	}
	return nil
}

// resolve builds, once per pair, the schema that reads writer's data into
// reader's types.
func (d *Decoder) resolve(reader, writer avro.Schema) (avro.Schema, error) {
	key := [2][32]byte{reader.Fingerprint(), writer.Fingerprint()}
	d.mu.Lock()
	s, ok := d.resolved[key]
	d.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := avro.NewSchemaCompatibility().Resolve(reader, writer)
	if err != nil {
		return nil, fmt.Errorf("resolving writer schema to the current one: %w", err)
	}
	d.mu.Lock()
	d.resolved[key] = s
	d.mu.Unlock()
	return s, nil
}
