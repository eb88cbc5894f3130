package schemas

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hamba/avro/v2"
)

// ErrUnknownStream is returned, wrapped, for a name that has no schema.
var ErrUnknownStream = errors.New("unknown stream")

//go:embed *.avsc released
var files embed.FS

// avroAPI is the connector's own hamba configuration, kept apart from
// hamba's DefaultConfig so no other package's settings or cached codecs mix
// with ours. Blocks carry no byte-size header: the spec allows one, but a
// plain count is what every decoder reads.
var avroAPI = avro.Config{DisableBlockSizeHeader: true}.Freeze()

// Version is one released schema version of a stream: what consumers may
// still hold data of, so what the current schema must keep reading.
type Version struct {
	Stream string // the stream (or SyncMarkers) the schema belongs to
	Number int    // N of released/<stream>/vN.avsc, from 1
	Text   string // the .avsc text as released
}

// parsed is one schema, parsed once: hamba's parse costs hundreds of
// microseconds, three hundred times an encode (KAFKA-NOTES §4).
type parsed struct {
	text        string
	schema      avro.Schema
	fingerprint uint64
}

// loadAll parses every embedded schema, each with a private SchemaCache:
// hamba's global name cache would let one version of a record replace
// another of the same name (KAFKA-NOTES §4).
var loadAll = sync.OnceValues(func() (map[string]*parsed, error) {
	out := make(map[string]*parsed)
	for _, name := range Published() {
		p, err := parseFile(name + ".avsc")
		if err != nil {
			return nil, err
		}
		out[name] = p
	}
	return out, nil
})

func parseFile(file string) (*parsed, error) {
	raw, err := files.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading embedded schema %s: %w", file, err)
	}
	return parseText(file, string(raw))
}

func parseText(where, text string) (*parsed, error) {
	s, err := avro.ParseWithCache(text, "", &avro.SchemaCache{})
	if err != nil {
		return nil, fmt.Errorf("parsing schema %s: %w", where, err)
	}
	fp, err := FingerprintOf([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("fingerprinting schema %s: %w", where, err)
	}
	return &parsed{text: text, schema: s, fingerprint: fp}, nil
}

func lookup(name string) (*parsed, error) {
	all, err := loadAll()
	if err != nil {
		return nil, err
	}
	p, ok := all[name]
	if !ok {
		return nil, fmt.Errorf("looking up schema %q: %w", name, ErrUnknownStream)
	}
	return p, nil
}

// Text returns the published schema of a stream (or of SyncMarkers) as the
// embedded .avsc text, docs included: what is registered and shipped.
func Text(name string) (string, error) {
	p, err := lookup(name)
	if err != nil {
		return "", err
	}
	return p.text, nil
}

// Schema returns the parsed current schema of a stream (or of SyncMarkers).
// It is shared: callers must not change it.
func Schema(name string) (avro.Schema, error) {
	p, err := lookup(name)
	if err != nil {
		return nil, err
	}
	return p.schema, nil
}

// Fingerprint returns the CRC-64-AVRO fingerprint of the current schema's
// Parsing Canonical Form: the value single-object encoding writes.
func Fingerprint(name string) (uint64, error) {
	p, err := lookup(name)
	if err != nil {
		return 0, err
	}
	return p.fingerprint, nil
}

// Released returns the released versions of a stream's schema, oldest
// first, from the embedded released/<stream>/vN.avsc files.
func Released(name string) ([]Version, error) {
	if _, err := lookup(name); err != nil {
		return nil, err
	}
	dir := path.Join("released", name)
	entries, err := fs.ReadDir(files, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // a stream added since the last release
	}
	if err != nil {
		return nil, fmt.Errorf("listing released schemas in %s: %w", dir, err)
	}
	var out []Version
	for _, e := range entries {
		num, ok := versionNumber(e.Name())
		if !ok {
			continue
		}
		raw, err := files.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading released schema %s/%s: %w", dir, e.Name(), err)
		}
		out = append(out, Version{Stream: name, Number: num, Text: string(raw)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

// versionNumber reads N from a file named vN.avsc.
func versionNumber(file string) (int, bool) {
	s, ok := strings.CutPrefix(file, "v")
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, ".avsc")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}
