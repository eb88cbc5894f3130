package schemas

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestCurrentReadsEveryRelease is the release gate of DESIGN.md §3: each
// current schema reads data written with every released version of it.
func TestCurrentReadsEveryRelease(t *testing.T) {
	for _, name := range Published() {
		versions, err := Released(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(versions) == 0 {
			t.Errorf("%s: no released version; copy it to released/%s/v1.avsc", name, name)
		}
		for _, v := range versions {
			t.Run(fmt.Sprintf("%s/v%d", name, v.Number), func(t *testing.T) {
				if err := CheckBackward(mustText(t, name), v.Text); err != nil {
					t.Errorf("current %s cannot read released v%d: %v", name, v.Number, err)
				}
			})
		}
	}
}

// edit changes one field of a stream's schema JSON, for building variants.
func edit(t *testing.T, name, field string, change func(f map[string]any)) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(mustText(t, name)), &m); err != nil {
		t.Fatal(err)
	}
	for _, f := range m["fields"].([]any) {
		if fm := f.(map[string]any); fm["name"] == field {
			change(fm)
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("%s has no field %s", name, field)
	return ""
}

func appendField(t *testing.T, name string, field map[string]any) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(mustText(t, name)), &m); err != nil {
		t.Fatal(err)
	}
	m["fields"] = append(m["fields"].([]any), field)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ts(logical string) map[string]any {
	return map[string]any{"type": "long", "logicalType": logical}
}

// TestCheckBackwardCatchesBreaks proves the gate fails on changes that
// break readers, including the logical type changes hamba lets through.
func TestCheckBackwardCatchesBreaks(t *testing.T) {
	released := mustText(t, Employees)
	tests := []struct {
		name    string
		current string
		want    string // "" means compatible
	}{
		{"unchanged", released, ""},
		{"optional field added", appendField(t, Employees, map[string]any{
			"name": "nickname2", "type": []any{"null", "string"}, "default": nil,
		}), ""},
		{"doc changed", edit(t, Employees, "login", func(f map[string]any) {
			f["doc"] = "another doc"
		}), ""},
		{"required field added without default", appendField(t, Employees, map[string]any{
			"name": "badge", "type": "string",
		}), "checking compatibility"},
		{"field type changed", edit(t, Employees, "login", func(f map[string]any) {
			f["type"] = "int"
		}), "checking compatibility"},
		{"millis became micros", edit(t, Employees, "created", func(f map[string]any) {
			f["type"] = ts("timestamp-micros")
		}), "Employee.created: written as {\"logicalType\":\"timestamp-millis\"}"},
		{"logical type dropped", edit(t, Employees, "last_updated", func(f map[string]any) {
			f["type"] = "long"
		}), "Employee.last_updated: written as {\"logicalType\":\"timestamp-millis\"}, " +
			"read as no logical type"},
		{"optional millis became micros", edit(t, Employees, "activated",
			func(f map[string]any) {
				f["type"] = []any{"null", ts("timestamp-micros")}
			}), "Employee.activated"},
		{"optional became required", edit(t, Employees, "email", func(f map[string]any) {
			f["type"] = "string"
			delete(f, "default")
		}), "checking compatibility"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckBackward(tc.current, released)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("got %v, want compatible", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestCheckBackwardNested covers logical types inside arrays, maps and
// nested records, and a field renamed with an alias.
func TestCheckBackwardNested(t *testing.T) {
	schema := func(item, value string) string {
		return `{"type":"record","name":"R","fields":[
		  {"name":"a","type":{"type":"array","items":{"type":"record","name":"I","fields":[
		    {"name":"t","type":` + item + `}]}}},
		  {"name":"m","type":{"type":"map","values":["null",` + value + `]}}]}`
	}
	millis := `{"type":"long","logicalType":"timestamp-millis"}`
	micros := `{"type":"long","logicalType":"timestamp-micros"}`
	tests := []struct {
		name, reader, writer, want string
	}{
		{"same", schema(millis, millis), schema(millis, millis), ""},
		{"array item record", schema(micros, millis), schema(millis, millis), "R.a[].t"},
		{"map values", schema(millis, micros), schema(millis, millis), "R.m{}"},
		{"decimal scale", `{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}`,
			`{"type":"bytes","logicalType":"decimal","precision":9,"scale":3}`, "bytes:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckBackward(tc.reader, tc.writer)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("got %v, want compatible", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	t.Run("alias", func(t *testing.T) {
		writer := `{"type":"record","name":"R","fields":[` +
			`{"name":"old","type":{"type":"long","logicalType":"timestamp-millis"}}]}`
		reader := `{"type":"record","name":"R","fields":[{"name":"new","aliases":["old"],` +
			`"type":{"type":"long","logicalType":"timestamp-micros"}}]}`
		if err := CheckBackward(reader, writer); err == nil ||
			!strings.Contains(err.Error(), "R.old") {
			t.Errorf("got %v, want a logical type error at R.old", err)
		}
	})
}
