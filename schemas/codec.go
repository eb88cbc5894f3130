package schemas

import (
	"bytes"
	"fmt"
	"reflect"
	"sync"

	"github.com/hamba/avro/v2"
)

// Codec turns a record into a Kafka value in one wire format. Encode takes
// the record type of the stream (Employee for Employees, …, SyncMarker for
// SyncMarkers), as a value or a pointer. SchemaID names the schema for the
// record header: the registry id in decimal, or the 16 hex digits of the
// fingerprint; "" for an unknown stream. Both implementations are safe for
// concurrent use.
type Codec interface {
	Encode(stream string, v any) ([]byte, error)
	SchemaID(stream string) string
}

var (
	_ Codec = (*SingleObjectCodec)(nil)
	_ Codec = (*RegistryCodec)(nil)
)

// recordTypes maps each published name to the Go type its schema encodes.
// hamba fills missing struct fields from schema defaults, so without this
// check a wrong record type could encode without an error.
var recordTypes = map[string]reflect.Type{
	Employees:      reflect.TypeFor[Employee](),
	Groups:         reflect.TypeFor[Group](),
	GroupMembers:   reflect.TypeFor[GroupMember](),
	Apps:           reflect.TypeFor[App](),
	AppAssignments: reflect.TypeFor[AppAssignment](),
	Organizations:  reflect.TypeFor[Organization](),
	Activity:       reflect.TypeFor[ActivityEvent](),
	SyncMarkers:    reflect.TypeFor[SyncMarker](),
}

// framing is what an encoder needs per stream: the schema, the bytes that
// precede the Avro body, and the id for the record header.
type framing struct {
	schema avro.Schema
	header []byte
	id     string
	want   reflect.Type
}

// maxPooledBuffer bounds the buffers kept for reuse, so one huge record
// does not pin its buffer for the process's lifetime.
const maxPooledBuffer = 64 << 10

// encoder writes header + Avro body into a pooled buffer and copies the
// result out: one allocation per record, the bytes the caller keeps.
type encoder struct {
	streams map[string]framing
	writers sync.Pool
}

func newEncoder(streams map[string]framing) *encoder {
	e := &encoder{streams: streams}
	e.writers.New = func() any {
		return avro.NewWriter(nil, 1024, avro.WithWriterConfig(avroAPI))
	}
	return e
}

func (e *encoder) encode(stream string, v any) ([]byte, error) {
	f, ok := e.streams[stream]
	if !ok {
		return nil, fmt.Errorf("encoding record for %q: %w", stream, ErrUnknownStream)
	}
	if err := checkRecordType(stream, f.want, v); err != nil {
		return nil, err
	}
	w := e.writers.Get().(*avro.Writer)
	w.Reset(nil)
	_, _ = w.Write(f.header)
	w.WriteVal(f.schema, v)
	err := w.Error
	var out []byte
	if err == nil {
		out = bytes.Clone(w.Buffer())
	}
	w.Error = nil
	if cap(w.Buffer()) <= maxPooledBuffer {
		e.writers.Put(w)
	}
	if err != nil {
		return nil, fmt.Errorf("encoding %s record: %w", stream, err)
	}
	return out, nil
}

func (e *encoder) schemaID(stream string) string {
	return e.streams[stream].id
}

func checkRecordType(stream string, want reflect.Type, v any) error {
	t := reflect.TypeOf(v)
	if t == want {
		return nil
	}
	if t != nil && t.Kind() == reflect.Pointer && t.Elem() == want {
		if reflect.ValueOf(v).IsNil() {
			return fmt.Errorf("encoding %s record: nil %v", stream, t)
		}
		return nil
	}
	return fmt.Errorf("encoding %s record: got %v, want %v", stream, t, want)
}

// NewRecord returns a pointer to a zero record of the stream's Go type, to
// decode into, or nil for an unknown stream.
func NewRecord(stream string) any {
	t, ok := recordTypes[stream]
	if !ok {
		return nil
	}
	return reflect.New(t).Interface()
}
