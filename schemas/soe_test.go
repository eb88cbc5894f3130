package schemas

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hamba/avro/v2"
)

func newSOE(t testing.TB) *SingleObjectCodec {
	t.Helper()
	c, err := NewSingleObjectCodec()
	if err != nil {
		t.Fatalf("NewSingleObjectCodec: %v", err)
	}
	return c
}

func TestSingleObjectHeader(t *testing.T) {
	c := newSOE(t)
	for _, s := range samples() {
		t.Run(s.stream, func(t *testing.T) {
			data, err := c.Encode(s.stream, s.full)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			fp, _ := Fingerprint(s.stream)
			want := []byte{0xC3, 0x01}
			want = binary.LittleEndian.AppendUint64(want, fp)
			if got := data[:10]; !bytes.Equal(got, want) {
				t.Errorf("got header % x, want % x", got, want)
			}
			if got, want := c.SchemaID(s.stream), fmt.Sprintf("%016x", fp); got != want {
				t.Errorf("got SchemaID %q, want %q", got, want)
			}
			// The body is plain Avro under the stream's schema.
			schema, _ := Schema(s.stream)
			out := s.newOut()
			if err := avro.Unmarshal(schema, data[10:], out); err != nil {
				t.Errorf("body is not Avro of the schema: %v", err)
			}
		})
	}
	if got := c.SchemaID("users"); got != "" {
		t.Errorf("got SchemaID(users) %q, want empty", got)
	}
}

// TestSchemaIDsDiffer: every published schema has its own 16-digit id.
func TestSchemaIDsDiffer(t *testing.T) {
	c := newSOE(t)
	seen := map[string]string{}
	for _, name := range Published() {
		id := c.SchemaID(name)
		if len(id) != 16 {
			t.Errorf("%s: got SchemaID %q, want 16 hex digits", name, id)
		}
		if other, ok := seen[id]; ok {
			t.Errorf("%s and %s share SchemaID %s", name, other, id)
		}
		seen[id] = name
	}
}

var cmpOpts = cmp.Options{cmpopts.EquateEmpty()}

func TestSingleObjectRoundTrip(t *testing.T) {
	c := newSOE(t)
	for _, s := range samples() {
		for variant, in := range map[string]any{"full": s.full, "empty": s.empty} {
			t.Run(s.stream+"/"+variant, func(t *testing.T) {
				data, err := c.Encode(s.stream, in)
				if err != nil {
					t.Fatalf("Encode: %v", err)
				}
				out := s.newOut()
				if err := c.Decode(data, s.stream, out); err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if diff := cmp.Diff(in, out, cmpOpts); diff != "" {
					t.Errorf("round trip (-in +out):\n%s", diff)
				}
			})
		}
	}
}

// TestNullAndMissing: a nil optional decodes as nil and an empty string as
// an empty string; a custom attribute sent as null stays a present key with
// a nil value, apart from the string "null" and from an absent key.
func TestNullAndMissing(t *testing.T) {
	c := newSOE(t)
	in := fullEmployee()
	in.MiddleName = nil
	in.NickName = ptr("")
	in.CustomAttributes = map[string]*string{
		"cleared":    nil,
		"textNull":   ptr("null"),
		"emptyText":  ptr(""),
		"jsonNumber": ptr("12.50"),
	}
	data, err := c.Encode(Employees, in)
	if err != nil {
		t.Fatal(err)
	}
	var out Employee
	if err := c.Decode(data, Employees, &out); err != nil {
		t.Fatal(err)
	}
	if out.MiddleName != nil {
		t.Errorf("got middle_name %q, want null", *out.MiddleName)
	}
	if out.NickName == nil || *out.NickName != "" {
		t.Errorf("got nick_name %v, want the empty string", out.NickName)
	}
	v, ok := out.CustomAttributes["cleared"]
	if !ok || v != nil {
		t.Errorf("got cleared = %v (present %v), want present and null", v, ok)
	}
	if v := out.CustomAttributes["textNull"]; v == nil || *v != "null" {
		t.Errorf("got textNull %v, want the string null", v)
	}
	if _, ok := out.CustomAttributes["neverSent"]; ok {
		t.Error("got a key that was never sent")
	}
	if diff := cmp.Diff(in.CustomAttributes, out.CustomAttributes); diff != "" {
		t.Errorf("custom attributes (-in +out):\n%s", diff)
	}
}

func TestNonLatinStrings(t *testing.T) {
	c := newSOE(t)
	names := []string{
		"山田 太郎", "Zoë Łukasiewicz", "Александра", "محمد",
		"देवनागरी", "Ὀδυσσεύς", "😀 four-byte",
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			in := fullEmployee()
			in.DisplayName = ptr(name)
			in.CustomAttributes = map[string]*string{name: ptr(name)}
			data, err := c.Encode(Employees, in)
			if err != nil {
				t.Fatal(err)
			}
			var out Employee
			if err := c.Decode(data, Employees, &out); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(in, &out, cmpOpts); diff != "" {
				t.Errorf("round trip (-in +out):\n%s", diff)
			}
		})
	}
}

func TestTimestampsAreMillis(t *testing.T) {
	c := newSOE(t)
	at := time.Date(2024, 6, 11, 14, 2, 11, 123_456_789, time.FixedZone("x", 3600))
	in := &GroupMember{GroupID: "g", UserID: "u", SyncedAt: at}
	data, err := c.Encode(GroupMembers, in)
	if err != nil {
		t.Fatal(err)
	}
	var out GroupMember
	if err := c.Decode(data, GroupMembers, &out); err != nil {
		t.Fatal(err)
	}
	want := at.Truncate(time.Millisecond)
	if !out.SyncedAt.Equal(want) || out.SyncedAt.Location() != time.UTC {
		t.Errorf("got %v, want %v in UTC", out.SyncedAt, want.UTC())
	}
}

func TestEncodeErrors(t *testing.T) {
	c := newSOE(t)
	tests := []struct {
		name, stream string
		v            any
		want         string
	}{
		{"unknown stream", "users", fullEmployee(), "unknown stream"},
		{"wrong type", Groups, fullEmployee(), "got *schemas.Employee, want schemas.Group"},
		{"nil pointer", Employees, (*Employee)(nil), "nil *schemas.Employee"},
		{"nil", Employees, nil, "got <nil>"},
		{"bad enum symbol", SyncMarkers, &SyncMarker{Phase: "HALFWAY"}, "HALFWAY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Encode(tc.stream, tc.v)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %v, want one containing %q", err, tc.want)
			}
		})
	}
	// A failed encode must not leave state behind for the next one.
	if _, err := c.Encode(GroupMembers, &GroupMember{}); err != nil {
		t.Errorf("encode after a failure: %v", err)
	}
}

// TestEncodeAcceptsValues: a record passed by value encodes exactly as the
// same record passed by pointer.
func TestEncodeAcceptsValues(t *testing.T) {
	c := newSOE(t)
	byPtr, err := c.Encode(Groups, fullGroup())
	if err != nil {
		t.Fatal(err)
	}
	byValue, err := c.Encode(Groups, *fullGroup())
	if err != nil {
		t.Fatal(err)
	}
	// NOTE: Avro writes a map's entries in Go's map order, which varies
	// from call to call, so the two encodings are compared decoded.
	var fromPtr, fromValue Group
	if err := c.Decode(byPtr, Groups, &fromPtr); err != nil {
		t.Fatal(err)
	}
	if err := c.Decode(byValue, Groups, &fromValue); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fromPtr, fromValue); diff != "" {
		t.Errorf("encoding by value differs from by pointer (-ptr +value):\n%s", diff)
	}
}

// TestEncodeOutputsIndependent guards the buffer reuse: a value already
// returned never changes when the next one is encoded.
func TestEncodeOutputsIndependent(t *testing.T) {
	c := newSOE(t)
	first, err := c.Encode(GroupMembers, &GroupMember{GroupID: "a", UserID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	kept := bytes.Clone(first)
	for i := range 10 {
		next := &GroupMember{GroupID: "b", UserID: fmt.Sprint(i)}
		if _, err := c.Encode(GroupMembers, next); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(first, kept) {
		t.Errorf("first value changed: got % x, want % x", first, kept)
	}
}

func TestEncodeConcurrent(t *testing.T) {
	c := newSOE(t)
	want, err := c.Encode(Activity, fullEvent())
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 200 {
				got, err := c.Encode(Activity, fullEvent())
				if err == nil && !bytes.Equal(got, want) {
					err = fmt.Errorf("got % x, want % x", got[:16], want[:16])
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestSingleObjectDecodeErrors(t *testing.T) {
	c := newSOE(t)
	good, err := c.Encode(Groups, fullGroup())
	if err != nil {
		t.Fatal(err)
	}
	unknownFP := bytes.Clone(good)
	unknownFP[2] ^= 0xff
	tests := []struct {
		name, stream string
		data         []byte
		want         string
	}{
		{"too short", Groups, good[:5], "not single-object encoded"},
		{"wrong magic", Groups, append([]byte{0xC3, 0x02}, good[2:]...), "not single-object"},
		{"unknown fingerprint", Groups, unknownFP, "unknown schema fingerprint"},
		{"other stream", Employees, good, "decoding employees value"},
		{"truncated body", Groups, good[:len(good)-4], "decoding groups value"},
		{"trailing bytes", Groups, append(bytes.Clone(good), 0), "bytes left after the value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := c.Decode(tc.data, tc.stream, new(Employee))
			if tc.stream == Groups {
				err = c.Decode(tc.data, tc.stream, new(Group))
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
