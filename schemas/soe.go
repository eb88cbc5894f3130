package schemas

import (
	"encoding/binary"
	"fmt"
)

// soeMagic opens every single-object encoded value (Avro spec, "Single
// object encoding"); the 8-byte little-endian fingerprint follows.
var soeMagic = [2]byte{0xC3, 0x01}

// soeHeaderLen is the magic plus the fingerprint.
const soeHeaderLen = 10

// SingleObjectCodec writes Avro single-object encoding: C3 01, the schema's
// CRC-64-AVRO fingerprint over its Parsing Canonical Form (little-endian),
// then the Avro body. A reader resolves the fingerprint from the published
// .avsc files; no registry is involved. Safe for concurrent use.
type SingleObjectCodec struct {
	enc *encoder
	dec *Decoder
}

// NewSingleObjectCodec parses every embedded schema once and returns a codec
// for all of them. It fails only if an embedded schema is broken.
func NewSingleObjectCodec() (*SingleObjectCodec, error) {
	all, err := loadAll()
	if err != nil {
		return nil, err
	}
	streams := make(map[string]framing, len(all))
	for name, p := range all {
		streams[name] = framing{
			schema: p.schema,
			header: soeHeader(p.fingerprint),
			id:     fingerprintHex(p.fingerprint),
			want:   recordTypes[name],
		}
	}
	dec, err := NewDecoder(nil)
	if err != nil {
		return nil, err
	}
	return &SingleObjectCodec{enc: newEncoder(streams), dec: dec}, nil
}

// Encode returns v's single-object encoding under the stream's schema.
func (c *SingleObjectCodec) Encode(stream string, v any) ([]byte, error) {
	return c.enc.encode(stream, v)
}

// SchemaID returns the stream's fingerprint as 16 lowercase hex digits (the
// number, most significant digit first), or "" for an unknown stream.
func (c *SingleObjectCodec) SchemaID(stream string) string {
	return c.enc.schemaID(stream)
}

// Decode reads a single-object encoded value of the stream into out, a
// pointer to the stream's record type. Values written with a released
// version of the schema are resolved to the current one.
func (c *SingleObjectCodec) Decode(data []byte, stream string, out any) error {
	return c.dec.decodeSingleObject(data, stream, out)
}

func soeHeader(fp uint64) []byte {
	h := make([]byte, soeHeaderLen)
	copy(h, soeMagic[:])
	binary.LittleEndian.PutUint64(h[2:], fp)
	return h
}

func fingerprintHex(fp uint64) string {
	return fmt.Sprintf("%016x", fp)
}
