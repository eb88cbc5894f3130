package schemas

import (
	"fmt"
	"strings"

	"github.com/hamba/avro/v2"
)

// CheckBackward returns nil when a reader using the reader schema can read
// every value written with the writer schema: the BACKWARD rule that every
// new schema version must meet against every released one (reader = new,
// writer = released). It runs hamba's compatibility check, then compares
// logical types field by field, which hamba ignores: a timestamp-millis that
// became timestamp-micros, or lost its logical type, still decodes but means
// something else, and the Parsing Canonical Form fingerprint cannot tell.
func CheckBackward(reader, writer string) error {
	r, err := avro.ParseWithCache(reader, "", &avro.SchemaCache{})
	if err != nil {
		return fmt.Errorf("parsing reader schema: %w", err)
	}
	w, err := avro.ParseWithCache(writer, "", &avro.SchemaCache{})
	if err != nil {
		return fmt.Errorf("parsing writer schema: %w", err)
	}
	if err := avro.NewSchemaCompatibility().Compatible(r, w); err != nil {
		return fmt.Errorf("checking compatibility: %w", err)
	}
	lc := logicalChecker{seen: make(map[string]bool)}
	lc.check(r, w, rootPath(w))
	if len(lc.problems) > 0 {
		return fmt.Errorf("checking logical types: %s", strings.Join(lc.problems, "; "))
	}
	return nil
}

func rootPath(s avro.Schema) string {
	if n, ok := s.(avro.NamedSchema); ok {
		return n.FullName()
	}
	return string(s.Type())
}

// logicalChecker walks a writer schema and the reader schema that will read
// it, side by side, noting where a logical type differs.
type logicalChecker struct {
	seen     map[string]bool
	problems []string
}

func (c *logicalChecker) check(reader, writer avro.Schema, at string) {
	reader, writer = deref(reader), deref(writer)
	if wu, ok := writer.(*avro.UnionSchema); ok {
		for _, branch := range wu.Types() {
			c.check(reader, branch, at)
		}
		return
	}
	if ru, ok := reader.(*avro.UnionSchema); ok {
		// A writer branch is read by the reader branch of the same type.
		if match := sameKind(ru, writer); match != nil {
			c.check(match, writer, at)
		}
		return
	}
	switch w := writer.(type) {
	case *avro.RecordSchema:
		r, ok := reader.(*avro.RecordSchema)
		if !ok || c.seen[w.FullName()] {
			return
		}
		c.seen[w.FullName()] = true
		for _, wf := range w.Fields() {
			if rf := readerField(r, wf.Name()); rf != nil {
				c.check(rf.Type(), wf.Type(), at+"."+wf.Name())
			}
		}
	case *avro.ArraySchema:
		if r, ok := reader.(*avro.ArraySchema); ok {
			c.check(r.Items(), w.Items(), at+"[]")
		}
	case *avro.MapSchema:
		if r, ok := reader.(*avro.MapSchema); ok {
			c.check(r.Values(), w.Values(), at+"{}")
		}
	default:
		if rl, wl := logicalOf(reader), logicalOf(writer); rl != wl {
			c.problems = append(c.problems, fmt.Sprintf(
				"%s: written as %s, read as %s", at, wl, rl))
		}
	}
}

// sameKind returns the union branch that reads writer without promotion:
// the same type, and for named types the same full name.
func sameKind(u *avro.UnionSchema, writer avro.Schema) avro.Schema {
	for _, b := range u.Types() {
		b = deref(b)
		if b.Type() != writer.Type() {
			continue
		}
		bn, bNamed := b.(avro.NamedSchema)
		wn, wNamed := writer.(avro.NamedSchema)
		if bNamed && wNamed && bn.FullName() != wn.FullName() {
			continue
		}
		return b
	}
	return nil
}

// readerField finds the reader's field for a writer field: same name, or an
// alias naming it.
func readerField(r *avro.RecordSchema, name string) *avro.Field {
	for _, f := range r.Fields() {
		if f.Name() == name {
			return f
		}
	}
	for _, f := range r.Fields() {
		for _, a := range f.Aliases() {
			if a == name {
				return f
			}
		}
	}
	return nil
}

func deref(s avro.Schema) avro.Schema {
	if ref, ok := s.(*avro.RefSchema); ok {
		return ref.Schema()
	}
	return s
}

// logicalOf describes a schema's logical type, decimal precision and scale
// included, or "no logical type".
func logicalOf(s avro.Schema) string {
	if lt, ok := s.(avro.LogicalTypeSchema); ok {
		if l := lt.Logical(); l != nil {
			return "{" + l.String() + "}"
		}
	}
	return "no logical type"
}
