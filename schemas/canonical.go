package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// primitives are the Avro primitive type names; they never take a namespace.
var primitives = map[string]bool{
	"null": true, "boolean": true, "int": true, "long": true,
	"float": true, "double": true, "bytes": true, "string": true,
}

// validName is the spec's name grammar, dotted for full names. Checking it
// also means a name is written without any JSON escaping.
var validName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)

// CanonicalForm returns the Parsing Canonical Form of an Avro schema, by the
// spec's rules ("Transforming into Parsing Canonical Form"): primitives in
// their simple form; full names; only name, type, fields, symbols, items,
// values and size kept (doc, aliases, default, order, logicalType and any
// other property dropped), in that order; integers unquoted; no whitespace.
// It checks names but is not a validator: pass schemas hamba also parses.
func CanonicalForm(schemaJSON []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(schemaJSON))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("reading schema json: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("reading schema json: data after the schema")
	}
	c := canonicalizer{defined: make(map[string]bool)}
	if err := c.write(v, ""); err != nil {
		return nil, err
	}
	return c.buf.Bytes(), nil
}

// FingerprintOf returns the CRC-64-AVRO fingerprint of a schema's Parsing
// Canonical Form: the schema's id in single-object encoding.
func FingerprintOf(schemaJSON []byte) (uint64, error) {
	pcf, err := CanonicalForm(schemaJSON)
	if err != nil {
		return 0, err
	}
	return CRC64Avro(pcf), nil
}

type canonicalizer struct {
	buf     bytes.Buffer
	defined map[string]bool
}

// write appends the canonical form of one schema; ns is the namespace in
// effect, used to make names full.
func (c *canonicalizer) write(v any, ns string) error {
	switch s := v.(type) {
	case string:
		return c.writeRef(s, ns)
	case []any:
		c.buf.WriteByte('[')
		for i, branch := range s {
			if i > 0 {
				c.buf.WriteByte(',')
			}
			if err := c.write(branch, ns); err != nil {
				return err
			}
		}
		c.buf.WriteByte(']')
		return nil
	case map[string]any:
		return c.writeObject(s, ns)
	default:
		return fmt.Errorf("canonicalizing schema: unexpected json %T", v)
	}
}

// writeRef writes a primitive name, or a reference to a named type as its
// full name.
func (c *canonicalizer) writeRef(name, ns string) error {
	if primitives[name] {
		c.quoted(name)
		return nil
	}
	full, err := fullName(name, ns)
	if err != nil {
		return err
	}
	c.quoted(full)
	return nil
}

func (c *canonicalizer) writeObject(m map[string]any, ns string) error {
	typ, ok := m["type"].(string)
	if !ok {
		return fmt.Errorf("canonicalizing schema: object without a string type: %v", m["type"])
	}
	switch typ {
	case "record", "error", "enum", "fixed":
		return c.writeNamed(typ, m, ns)
	case "array":
		c.buf.WriteString(`{"type":"array","items":`)
		if err := c.write(m["items"], ns); err != nil {
			return err
		}
		c.buf.WriteByte('}')
		return nil
	case "map":
		c.buf.WriteString(`{"type":"map","values":`)
		if err := c.write(m["values"], ns); err != nil {
			return err
		}
		c.buf.WriteByte('}')
		return nil
	default:
		// A primitive with properties (logicalType among them) reduces to
		// its simple form; any other name refers to a named type.
		return c.writeRef(typ, ns)
	}
}

func (c *canonicalizer) writeNamed(typ string, m map[string]any, ns string) error {
	name, _ := m["name"].(string)
	if declared, ok := m["namespace"].(string); ok {
		ns = declared
	}
	full, err := fullName(name, ns)
	if err != nil {
		return err
	}
	if c.defined[full] {
		return fmt.Errorf("canonicalizing schema: %s defined twice", full)
	}
	c.defined[full] = true
	// Names inside take the namespace of the type's full name.
	inner := ""
	if i := strings.LastIndexByte(full, '.'); i >= 0 {
		inner = full[:i]
	}

	c.buf.WriteString(`{"name":`)
	c.quoted(full)
	c.buf.WriteString(`,"type":`)
	c.quoted(typ)
	switch typ {
	case "enum":
		err = c.writeSymbols(full, m["symbols"])
	case "fixed":
		err = c.writeSize(full, m["size"])
	default:
		err = c.writeFields(full, m["fields"], inner)
	}
	if err != nil {
		return err
	}
	c.buf.WriteByte('}')
	return nil
}

func (c *canonicalizer) writeFields(owner string, v any, ns string) error {
	fields, ok := v.([]any)
	if !ok {
		return fmt.Errorf("canonicalizing %s: fields is not an array", owner)
	}
	c.buf.WriteString(`,"fields":[`)
	for i, f := range fields {
		fm, ok := f.(map[string]any)
		if !ok {
			return fmt.Errorf("canonicalizing %s: field %d is not an object", owner, i)
		}
		name, _ := fm["name"].(string)
		if !validName.MatchString(name) || strings.Contains(name, ".") {
			return fmt.Errorf("canonicalizing %s: invalid field name %q", owner, name)
		}
		if i > 0 {
			c.buf.WriteByte(',')
		}
		c.buf.WriteString(`{"name":`)
		c.quoted(name)
		c.buf.WriteString(`,"type":`)
		if err := c.write(fm["type"], ns); err != nil {
			return err
		}
		c.buf.WriteByte('}')
	}
	c.buf.WriteByte(']')
	return nil
}

func (c *canonicalizer) writeSymbols(owner string, v any) error {
	symbols, ok := v.([]any)
	if !ok {
		return fmt.Errorf("canonicalizing %s: symbols is not an array", owner)
	}
	c.buf.WriteString(`,"symbols":[`)
	for i, s := range symbols {
		sym, _ := s.(string)
		if !validName.MatchString(sym) || strings.Contains(sym, ".") {
			return fmt.Errorf("canonicalizing %s: invalid symbol %v", owner, s)
		}
		if i > 0 {
			c.buf.WriteByte(',')
		}
		c.quoted(sym)
	}
	c.buf.WriteByte(']')
	return nil
}

// writeSize writes a fixed size as a bare decimal integer, whether the
// schema spelled it as a number or (the spec's [INTEGERS] rule) quoted.
func (c *canonicalizer) writeSize(owner string, v any) error {
	var text string
	switch s := v.(type) {
	case json.Number:
		text = s.String()
	case string:
		text = s
	}
	n, err := strconv.ParseUint(text, 10, 31)
	if err != nil {
		return fmt.Errorf("canonicalizing %s: invalid size %v", owner, v)
	}
	c.buf.WriteString(`,"size":`)
	c.buf.WriteString(strconv.FormatUint(n, 10))
	return nil
}

// quoted writes a checked name; names hold no character JSON escapes.
func (c *canonicalizer) quoted(s string) {
	c.buf.WriteByte('"')
	c.buf.WriteString(s)
	c.buf.WriteByte('"')
}

// fullName applies the spec's rule: a dotted name is already full; otherwise
// the enclosing namespace, if any, is prepended.
func fullName(name, ns string) (string, error) {
	if !validName.MatchString(name) {
		return "", fmt.Errorf("canonicalizing schema: invalid name %q", name)
	}
	if strings.Contains(name, ".") || ns == "" {
		return name, nil
	}
	if !validName.MatchString(ns) {
		return "", fmt.Errorf("canonicalizing schema: invalid namespace %q", ns)
	}
	return ns + "." + name, nil
}
