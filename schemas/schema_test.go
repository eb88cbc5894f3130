package schemas

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/hamba/avro/v2"
)

func TestStreamLists(t *testing.T) {
	want := []string{"employees", "groups", "group_members", "apps", "app_assignments",
		"organizations", "activity"}
	if diff := cmp.Diff(want, Streams()); diff != "" {
		t.Errorf("Streams() (-want +got):\n%s", diff)
	}
	s := Streams()
	s[0] = "changed"
	if got := Streams()[0]; got != Employees {
		t.Errorf("after changing a returned slice, got Streams()[0] %q, want %q", got, Employees)
	}
	if diff := cmp.Diff(append(want, "sync_markers"), Published()); diff != "" {
		t.Errorf("Published() (-want +got):\n%s", diff)
	}
}

func TestSchemasParse(t *testing.T) {
	want := map[string]string{
		Employees: "Employee", Groups: "Group", GroupMembers: "GroupMember", Apps: "App",
		AppAssignments: "AppAssignment", Organizations: "Organization",
		Activity: "ActivityEvent", SyncMarkers: "SyncMarker",
	}
	for _, name := range Published() {
		t.Run(name, func(t *testing.T) {
			s, err := Schema(name)
			if err != nil {
				t.Fatalf("Schema(%q): %v", name, err)
			}
			rec, ok := s.(*avro.RecordSchema)
			if !ok {
				t.Fatalf("got schema type %s, want record", s.Type())
			}
			if got, want := rec.FullName(), "io.oktaconnector."+want[name]; got != want {
				t.Errorf("got record %s, want %s", got, want)
			}
			text, err := Text(name)
			if err != nil {
				t.Fatalf("Text(%q): %v", name, err)
			}
			if _, err := avro.ParseWithCache(text, "", &avro.SchemaCache{}); err != nil {
				t.Errorf("parsing Text(%q) again: %v", name, err)
			}
		})
	}
}

func TestUnknownStream(t *testing.T) {
	checks := map[string]func() error{
		"Text":        func() error { _, err := Text("users"); return err },
		"Schema":      func() error { _, err := Schema("users"); return err },
		"Fingerprint": func() error { _, err := Fingerprint("users"); return err },
		"Released":    func() error { _, err := Released("users"); return err },
	}
	for name, check := range checks {
		t.Run(name, func(t *testing.T) {
			if err := check(); !errors.Is(err, ErrUnknownStream) {
				t.Errorf("got %v, want ErrUnknownStream", err)
			}
		})
	}
}

// TestEveryDoc walks the raw .avsc JSON: every record, enum and field has a
// non-empty doc.
func TestEveryDoc(t *testing.T) {
	for _, name := range Published() {
		t.Run(name, func(t *testing.T) {
			text, err := Text(name)
			if err != nil {
				t.Fatal(err)
			}
			var root any
			if err := json.Unmarshal([]byte(text), &root); err != nil {
				t.Fatal(err)
			}
			var missing []string
			walkDocs(root, name, &missing)
			if len(missing) > 0 {
				t.Errorf("no doc on: %s", strings.Join(missing, ", "))
			}
		})
	}
}

func walkDocs(v any, at string, missing *[]string) {
	switch s := v.(type) {
	case []any:
		for _, b := range s {
			walkDocs(b, at, missing)
		}
	case map[string]any:
		typ, _ := s["type"].(string)
		if typ == "record" || typ == "enum" {
			if doc, _ := s["doc"].(string); strings.TrimSpace(doc) == "" {
				*missing = append(*missing, at)
			}
		}
		for _, f := range asSlice(s["fields"]) {
			fm := f.(map[string]any)
			fat := at + "." + fm["name"].(string)
			if doc, _ := fm["doc"].(string); strings.TrimSpace(doc) == "" {
				*missing = append(*missing, fat)
			}
			walkDocs(fm["type"], fat, missing)
		}
		walkDocs(s["items"], at+"[]", missing)
		walkDocs(s["values"], at+"{}", missing)
		if nested, ok := s["type"].(map[string]any); ok {
			walkDocs(nested, at, missing)
		}
	}
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// TestContractFields checks DESIGN.md §3: every value carries tenant_id,
// okta_domain and synced_at; every union is ["null", T] with default null.
func TestContractFields(t *testing.T) {
	for _, name := range Published() {
		t.Run(name, func(t *testing.T) {
			s, _ := Schema(name)
			rec := s.(*avro.RecordSchema)
			fields := map[string]*avro.Field{}
			for _, f := range rec.Fields() {
				fields[f.Name()] = f
			}
			for _, req := range []string{"tenant_id", "okta_domain", "synced_at"} {
				if fields[req] == nil {
					t.Errorf("no field %s", req)
				}
			}
			if f := fields["synced_at"]; f != nil && logicalOf(f.Type()) != millis {
				t.Errorf("synced_at: got %s, want %s", logicalOf(f.Type()), millis)
			}
			checkUnions(t, rec, map[string]bool{})
		})
	}
}

const millis = `{"logicalType":"timestamp-millis"}`

func checkUnions(t *testing.T, rec *avro.RecordSchema, seen map[string]bool) {
	t.Helper()
	if seen[rec.FullName()] {
		return
	}
	seen[rec.FullName()] = true
	for _, f := range rec.Fields() {
		typ := f.Type()
		if u, ok := typ.(*avro.UnionSchema); ok {
			types := u.Types()
			if len(types) != 2 || types[0].Type() != avro.Null {
				t.Errorf("%s.%s: got union %s, want [\"null\", T]", rec.Name(), f.Name(), u)
			}
			if !f.HasDefault() || f.Default() != nil {
				t.Errorf("%s.%s: got default %v (set %v), want null",
					rec.Name(), f.Name(), f.Default(), f.HasDefault())
			}
			typ = types[len(types)-1]
		}
		if a, ok := typ.(*avro.ArraySchema); ok {
			typ = a.Items()
		}
		if nested, ok := typ.(*avro.RecordSchema); ok {
			checkUnions(t, nested, seen)
		}
	}
}

// TestGoTypesMatchSchemas checks each record type against its schema: the
// same fields in the same order, time.Time exactly where timestamp-millis
// is, a pointer exactly where the field is optional.
func TestGoTypesMatchSchemas(t *testing.T) {
	for _, name := range Published() {
		t.Run(name, func(t *testing.T) {
			s, _ := Schema(name)
			for _, p := range matchType(recordTypes[name], s, name) {
				t.Error(p)
			}
		})
	}
}

var timeType = reflect.TypeFor[time.Time]()

func matchType(gt reflect.Type, s avro.Schema, at string) []string {
	var problems []string
	if u, ok := s.(*avro.UnionSchema); ok {
		if gt.Kind() != reflect.Pointer {
			return []string{at + ": optional in the schema, got Go " + gt.String()}
		}
		gt = gt.Elem()
		s = u.Types()[1]
	} else if gt.Kind() == reflect.Pointer {
		return []string{at + ": required in the schema, got Go " + gt.String()}
	}
	switch st := s.(type) {
	case *avro.RecordSchema:
		if gt.Kind() != reflect.Struct || gt.NumField() != len(st.Fields()) {
			return []string{at + ": field count differs from Go " + gt.String()}
		}
		for i, f := range st.Fields() {
			sf := gt.Field(i)
			if tag := sf.Tag.Get("avro"); tag != f.Name() {
				problems = append(problems, at+": field "+f.Name()+" is Go tag "+tag)
				continue
			}
			problems = append(problems, matchType(sf.Type, f.Type(), at+"."+f.Name())...)
		}
	case *avro.ArraySchema:
		if gt.Kind() != reflect.Slice {
			return []string{at + ": array, got Go " + gt.String()}
		}
		problems = matchType(gt.Elem(), st.Items(), at+"[]")
	case *avro.MapSchema:
		if gt.Kind() != reflect.Map {
			return []string{at + ": map, got Go " + gt.String()}
		}
		problems = matchType(gt.Elem(), st.Values(), at+"{}")
	default:
		if isTime := gt == timeType; isTime != (logicalOf(s) == millis) {
			problems = append(problems, at+": "+logicalOf(s)+" as Go "+gt.String())
		}
	}
	return problems
}

// TestStandardProfileAttributes checks that every standard Okta profile
// attribute (API.md §4.4) has its snake_case field in the employees schema.
func TestStandardProfileAttributes(t *testing.T) {
	attrs := StandardProfileAttributes()
	if got, want := len(attrs), 31; got != want {
		t.Errorf("got %d standard attributes, want %d", got, want)
	}
	s, _ := Schema(Employees)
	fields := map[string]bool{}
	for _, f := range s.(*avro.RecordSchema).Fields() {
		fields[f.Name()] = true
	}
	for _, a := range attrs {
		if !fields[snake(a)] {
			t.Errorf("attribute %s: no field %s", a, snake(a))
		}
	}
}

func snake(camel string) string {
	var b strings.Builder
	for _, r := range camel {
		if unicode.IsUpper(r) {
			b.WriteByte('_')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestReleasedVersions(t *testing.T) {
	for _, name := range Published() {
		t.Run(name, func(t *testing.T) {
			vs, err := Released(name)
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) == 0 || vs[0].Number != 1 {
				t.Fatalf("got versions %v, want v1 first", vs)
			}
			for i, v := range vs {
				if v.Number != i+1 || v.Stream != name {
					t.Errorf("got version %d of %s at %d, want %d of %s",
						v.Number, v.Stream, i, i+1, name)
				}
			}
		})
	}
}
