package schemas

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/hamba/avro/v2"
)

// specVectors are the Avro project's published Parsing Canonical Form test
// cases (share/test/data/schema-tests.txt): input, canonical form, and the
// CRC-64-AVRO fingerprint as the signed 64-bit number the spec prints.
var specVectors = []struct {
	name, in, canonical string
	fp                  int64
}{
	{"000 null", `"null"`, `"null"`, 7195948357588979594},
	{"001 null object", `{"type":"null"}`, `"null"`, 7195948357588979594},
	{"002 boolean", `"boolean"`, `"boolean"`, -6970731678124411036},
	{"004 int", `"int"`, `"int"`, 8247732601305521295},
	{"007 long object", `{"type":"long"}`, `"long"`, -3434872931120570953},
	{"008 float", `"float"`, `"float"`, 5583340709985441680},
	{"010 double", `"double"`, `"double"`, -8181574048448539266},
	{"012 bytes", `"bytes"`, `"bytes"`, 5746618253357095269},
	{"015 string object", `{"type":"string"}`, `"string"`, -8142146995180207161},
	{"016 empty union", `[  ]`, `[]`, -1241056759729112623},
	{"017 union", `[ "int"  ]`, `["int"]`, -5232228896498058493},
	{"018 union object", `[ "int" , {"type":"boolean"} ]`, `["int","boolean"]`,
		5392556393470105090},
	{"019 record", `{"fields":[], "type":"record", "name":"foo"}`,
		`{"name":"foo","type":"record","fields":[]}`, -4824392279771201922},
	{"020 namespace", `{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}`,
		`{"name":"x.y.foo","type":"record","fields":[]}`, 5916914534497305771},
	{"021 full name wins",
		`{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}`,
		`{"name":"a.b.foo","type":"record","fields":[]}`, -4616218487480524110},
	{"022 doc", `{"fields":[], "type":"record", "name":"foo", "doc":"Useful info"}`,
		`{"name":"foo","type":"record","fields":[]}`, -4824392279771201922},
	{"024 doc aliases",
		`{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}`,
		`{"name":"foo","type":"record","fields":[]}`, -4824392279771201922},
	{"025 field", `{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record",` +
		` "name":"foo"}`,
		`{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}`,
		7843277075252814651},
	{"026 field attributes", `{ "fields":[{"type":"boolean", "aliases":[], "name":"f1",` +
		` "default":"true"},
		{"order":"descending","name":"f2","doc":"Hello","type":"int"}],
		"type":"record", "name":"foo" }`,
		`{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},` +
			`{"name":"f2","type":"int"}]}`, -4860222112080293046},
	{"027 enum", `{"type":"enum", "name":"foo", "symbols":["A1"]}`,
		`{"name":"foo","type":"enum","symbols":["A1"]}`, -6342190197741309591},
	{"028 enum namespace", `{"namespace":"x.y.z", "type":"enum", "name":"foo",` +
		` "doc":"foo bar", "symbols":["A1", "A2"]}`,
		`{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}`, -4448647247586288245},
	{"029 fixed", `{"name":"foo","type":"fixed","size":15}`,
		`{"name":"foo","type":"fixed","size":15}`, 1756455273707447556},
	{"030 fixed namespace", `{"namespace":"x.y.z", "type":"fixed", "name":"foo",` +
		` "doc":"foo bar", "size":32}`,
		`{"name":"x.y.z.foo","type":"fixed","size":32}`, -3064184465700546786},
	{"031 array", `{ "items":{"type":"null"}, "type":"array"}`,
		`{"type":"array","items":"null"}`, -589620603366471059},
	{"032 map", `{ "values":"string", "type":"map"}`,
		`{"type":"map","values":"string"}`, -8732877298790414990},
	{"033 recursive", `{"name":"PigValue","type":"record",
		"fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}`,
		`{"name":"PigValue","type":"record","fields":[{"name":"value",` +
			`"type":["null","int","long","PigValue"]}]}`, -1759257747318642341},
}

func TestCanonicalFormSpecVectors(t *testing.T) {
	for _, tc := range specVectors {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CanonicalForm([]byte(tc.in))
			if err != nil {
				t.Fatalf("CanonicalForm: %v", err)
			}
			if string(got) != tc.canonical {
				t.Errorf("got %s, want %s", got, tc.canonical)
			}
			if got, want := CRC64Avro(got), uint64(tc.fp); got != want {
				t.Errorf("got fingerprint %d, want %d", int64(got), tc.fp)
			}
		})
	}
}

func TestCRC64AvroEmpty(t *testing.T) {
	if got := CRC64Avro(nil); got != 0xc15d213aa4d7a795 {
		t.Errorf("got %#x, want the spec's EMPTY 0xc15d213aa4d7a795", got)
	}
}

// TestCanonicalFormRules covers rules the spec vectors do not: logical
// types and other properties dropped, namespaces inherited by nested types
// and by references.
func TestCanonicalFormRules(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"logicalType dropped", `{"type":"long","logicalType":"timestamp-millis"}`, `"long"`},
		{"logicalType in a union",
			`["null",{"type":"long","logicalType":"timestamp-micros"}]`, `["null","long"]`},
		{"decimal on fixed",
			`{"type":"fixed","name":"d","size":"08","logicalType":"decimal","precision":4}`,
			`{"name":"d","type":"fixed","size":8}`},
		{"enum default dropped",
			`{"type":"enum","name":"E","symbols":["A","B"],"default":"A","doc":"x"}`,
			`{"name":"E","type":"enum","symbols":["A","B"]}`},
		{"custom property dropped",
			`{"type":"map","values":{"type":"string","avro.java.string":"String"},"x":1}`,
			`{"type":"map","values":"string"}`},
		{"nested inherits namespace",
			`{"type":"record","name":"R","namespace":"n.s","fields":[
			  {"name":"a","type":{"type":"record","name":"Inner","fields":[]}},
			  {"name":"b","type":"Inner"},
			  {"name":"c","type":{"type":"Inner"}},
			  {"name":"d","type":{"type":"enum","name":"o.E","symbols":["X"]}},
			  {"name":"e","type":{"type":"record","name":"F","namespace":"","fields":[]}}]}`,
			`{"name":"n.s.R","type":"record","fields":[` +
				`{"name":"a","type":{"name":"n.s.Inner","type":"record","fields":[]}},` +
				`{"name":"b","type":"n.s.Inner"},{"name":"c","type":"n.s.Inner"},` +
				`{"name":"d","type":{"name":"o.E","type":"enum","symbols":["X"]}},` +
				`{"name":"e","type":{"name":"F","type":"record","fields":[]}}]}`},
		{"dotted name sets the inner namespace",
			`{"type":"record","name":"a.b.R","namespace":"x","fields":[
			  {"name":"f","type":{"type":"fixed","name":"H","size":2}}]}`,
			`{"name":"a.b.R","type":"record","fields":[` +
				`{"name":"f","type":{"name":"a.b.H","type":"fixed","size":2}}]}`},
		{"escaped characters in names", `{"type":"enum","name":"\u0045","symbols":["\u0041"]}`,
			`{"name":"E","type":"enum","symbols":["A"]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CanonicalForm([]byte(tc.in))
			if err != nil {
				t.Fatalf("CanonicalForm: %v", err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestCanonicalFormErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not json", `{"type":`, "reading schema json"},
		{"trailing data", `"int" "long"`, "data after the schema"},
		{"bad name", `{"type":"record","name":"1x","fields":[]}`, "invalid name"},
		{"bad symbol", `{"type":"enum","name":"E","symbols":["a-b"]}`, "invalid symbol"},
		{"bad size", `{"type":"fixed","name":"F","size":-1}`, "invalid size"},
		{"defined twice", `["null",{"type":"enum","name":"E","symbols":["A"]},` +
			`{"type":"enum","name":"E","symbols":["B"]}]`, "defined twice"},
		{"no type", `{"name":"x"}`, "without a string type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CanonicalForm([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestFingerprintIgnoresLogicalTypes is the reason the package has its own
// canonicaliser: the spec's fingerprint is the same with and without a
// logical type, hamba's is not (KAFKA-NOTES §4).
func TestFingerprintIgnoresLogicalTypes(t *testing.T) {
	plain := `{"type":"record","name":"R","fields":[{"name":"t","type":"long"}]}`
	logical := `{"type":"record","name":"R","fields":[{"name":"t",` +
		`"type":{"type":"long","logicalType":"timestamp-millis"},"doc":"when"}]}`
	fpPlain, err := FingerprintOf([]byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	fpLogical, err := FingerprintOf([]byte(logical))
	if err != nil {
		t.Fatal(err)
	}
	if fpPlain != fpLogical {
		t.Errorf("got fingerprints %x and %x, want equal", fpPlain, fpLogical)
	}
	if h := hambaCRC(t, logical); h == fpLogical {
		t.Errorf("hamba's fingerprint %x equals ours; the workaround may be obsolete", h)
	}
}

// TestFingerprintMatchesHambaOnCanonicalForm cross-checks the CRC and the
// canonical form of every published schema against hamba's: once logical
// types are gone the two canonical forms must agree exactly.
func TestFingerprintMatchesHambaOnCanonicalForm(t *testing.T) {
	for _, name := range Published() {
		t.Run(name, func(t *testing.T) {
			text, _ := Text(name)
			pcf, err := CanonicalForm([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			s, err := avro.ParseWithCache(string(pcf), "", &avro.SchemaCache{})
			if err != nil {
				t.Fatalf("parsing canonical form: %v", err)
			}
			if got := s.String(); got != string(pcf) {
				t.Errorf("hamba's canonical form of ours:\n got %s\nwant %s", got, pcf)
			}
			fp, _ := Fingerprint(name)
			if h := hambaCRC(t, string(pcf)); h != fp {
				t.Errorf("got fingerprint %x, hamba says %x", fp, h)
			}
			if fp != CRC64Avro(pcf) {
				t.Errorf("Fingerprint(%q) is not the CRC of its canonical form", name)
			}
		})
	}
}

func hambaCRC(t *testing.T, schema string) uint64 {
	t.Helper()
	s, err := avro.ParseWithCache(schema, "", &avro.SchemaCache{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.FingerprintUsing(avro.CRC64Avro)
	if err != nil {
		t.Fatal(err)
	}
	return binary.BigEndian.Uint64(b)
}
