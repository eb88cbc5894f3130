package checkpoint

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// setSuffix ends the name of every set file.
const setSuffix = ".ids"

// setPath is where the set of k lives.
func (s *FileStore) setPath(k SetKey) string {
	return filepath.Join(s.setDir(k.Tenant, k.Stream), ownerFile(k.Owner)+setSuffix)
}

// setDir holds the sets of one tenant and stream.
func (s *FileStore) setDir(tenant, stream string) string {
	return filepath.Join(s.dir, tenant, "sets", stream)
}

// LoadSet returns the ids stored under k, sorted and without duplicates:
// nil when no set was stored, an empty slice for a stored empty set. A
// damaged file (its gzip checksum or length does not match) is an error
// naming the file.
func (s *FileStore) LoadSet(ctx context.Context, k SetKey) ([]string, error) {
	if err := s.usable(ctx); err != nil {
		return nil, fmt.Errorf("loading id set: %w", err)
	}
	if err := checkSetKey(k); err != nil {
		return nil, fmt.Errorf("loading id set: %w", err)
	}
	path := s.setPath(k)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("loading id set: %w", err)
	}
	ids, err := decodeSet(data)
	if err != nil {
		return nil, fmt.Errorf("loading id set %q: %w", path, err)
	}
	return ids, nil
}

// SaveSet replaces the set stored under k atomically. Ids must be non-empty
// and free of line breaks; the stored set is sorted and de-duplicated.
func (s *FileStore) SaveSet(ctx context.Context, k SetKey, ids []string) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("saving id set: %w", err)
	}
	if err := checkSetKey(k); err != nil {
		return fmt.Errorf("saving id set: %w", err)
	}
	data, err := encodeSet(ids)
	if err != nil {
		return fmt.Errorf("saving id set %s/%s/%s: %w", k.Tenant, k.Stream, k.Owner, err)
	}
	path := s.setPath(k)
	defer s.lockPath(path)()
	if err := writeAtomic(path, data); err != nil {
		return fmt.Errorf("saving id set %q: %w", path, err)
	}
	return nil
}

// DeleteSet removes the set stored under k; a missing set is not an error.
func (s *FileStore) DeleteSet(ctx context.Context, k SetKey) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("deleting id set: %w", err)
	}
	if err := checkSetKey(k); err != nil {
		return fmt.Errorf("deleting id set: %w", err)
	}
	path := s.setPath(k)
	defer s.lockPath(path)()
	if err := removeDurably(path); err != nil {
		return fmt.Errorf("deleting id set %q: %w", path, err)
	}
	return nil
}

// Owners lists, sorted, the owners with a stored set under tenant and
// stream; "" stands for the set of every id.
func (s *FileStore) Owners(ctx context.Context, tenant, stream string) ([]string, error) {
	if err := s.usable(ctx); err != nil {
		return nil, fmt.Errorf("listing id set owners: %w", err)
	}
	if err := checkKey(Key{Tenant: tenant, Stream: stream}); err != nil {
		return nil, fmt.Errorf("listing id set owners: %w", err)
	}
	entries, err := os.ReadDir(s.setDir(tenant, stream))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing id set owners: %w", err)
	}
	var owners []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), setSuffix)
		switch {
		case !ok || !e.Type().IsRegular():
		case name == allOwner:
			owners = append(owners, "")
		case checkOwner(name) == nil:
			owners = append(owners, name)
		}
	}
	slices.Sort(owners)
	return owners, nil
}

// encodeSet turns ids into gzip-compressed sorted lines. gzip's CRC-32 and
// length trailer make a damaged or truncated file detectable on read.
func encodeSet(ids []string) ([]byte, error) {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	w := bufio.NewWriter(zw)
	for _, id := range sorted {
		if id == "" || strings.ContainsAny(id, "\r\n") {
			return nil, fmt.Errorf("invalid id %q (empty or with a line break)", id)
		}
		_, _ = w.WriteString(id)
		_ = w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return nil, fmt.Errorf("compressing: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compressing: %w", err)
	}
	return buf.Bytes(), nil
}

// decodeSet reverses encodeSet, checking the gzip trailer.
func decodeSet(data []byte) ([]string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decompressing: %w", err)
	}
	sc := bufio.NewScanner(zr)
	ids := []string{} // a stored empty set is not a missing one
	for sc.Scan() {
		if sc.Text() == "" {
			return nil, fmt.Errorf("empty id on line %d", len(ids)+1)
		}
		ids = append(ids, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("decompressing: %w", err)
	}
	if err := zr.Close(); err != nil {
		return nil, fmt.Errorf("decompressing: %w", err)
	}
	return ids, nil
}
