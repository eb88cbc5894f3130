package checkpoint

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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
// naming the file. The ids share one allocation.
func (s *FileStore) LoadSet(ctx context.Context, k SetKey) ([]string, error) {
	var text strings.Builder
	var ends []int
	found, err := s.scanSet(ctx, k, func(id []byte) error {
		text.Write(id)
		ends = append(ends, text.Len())
		return nil
	})
	if err != nil || !found {
		return nil, err
	}
	all := text.String()
	ids := make([]string, len(ends)) // a stored empty set is not a missing one
	start := 0
	for i, end := range ends {
		ids[i], start = all[start:end], end
	}
	return ids, nil
}

// ScanSet calls fn with each id stored under k, in order, without holding
// the set in memory; a missing set has none. A damaged file is an error
// naming the file, found only at its end: fn may have seen ids by then,
// which the caller must discard.
func (s *FileStore) ScanSet(ctx context.Context, k SetKey, fn func(id string) error) error {
	_, err := s.scanSet(ctx, k, func(id []byte) error { return fn(string(id)) })
	return err
}

// scanSet streams the set under k to fn and reports whether one was
// stored. fn's id is only valid during the call.
func (s *FileStore) scanSet(ctx context.Context, k SetKey,
	fn func(id []byte) error) (bool, error) {
	if err := s.usable(ctx); err != nil {
		return false, fmt.Errorf("loading id set: %w", err)
	}
	if err := checkSetKey(k); err != nil {
		return false, fmt.Errorf("loading id set: %w", err)
	}
	path := s.setPath(k)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("loading id set: %w", err)
	}
	defer f.Close()
	if err := scanIDs(f, fn); err != nil {
		return false, fmt.Errorf("loading id set %q: %w", path, err)
	}
	return true, nil
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
	ids, err := sortedSet(ids)
	if err != nil {
		return fmt.Errorf("saving id set %s/%s/%s: %w", k.Tenant, k.Stream, k.Owner, err)
	}
	path := s.setPath(k)
	defer s.lockPath(path)()
	err = writeAtomicFunc(path, func(w io.Writer) error { return writeSet(w, ids) })
	if err != nil {
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

// sortedSet returns ids sorted and without duplicates, checking each; ids
// already so (the connector's sets always are) are returned as they are,
// not copied: a set may hold every user of an org.
func sortedSet(ids []string) ([]string, error) {
	for _, id := range ids {
		if id == "" || strings.ContainsAny(id, "\r\n") {
			return nil, fmt.Errorf("invalid id %q (empty or with a line break)", id)
		}
	}
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			sorted := slices.Clone(ids)
			slices.Sort(sorted)
			return slices.Compact(sorted), nil
		}
	}
	return ids, nil
}

// gzipWriters keeps gzip writers for reuse: each holds about a megabyte of
// compressor state, and a full sync saves a set per group and app. Sets
// are saved at the fastest level: on 100k sorted random Okta-style ids it
// took 20 ms against 72 ms for the default level, for 1.5 % more bytes.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed) // a valid level: no error
	return zw
}}

// writeSet writes sorted, checked ids (sortedSet) to w as gzip-compressed
// lines. gzip's CRC-32 and length trailer make a damaged or truncated file
// detectable on read.
func writeSet(w io.Writer, ids []string) error {
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(w)
	bw := bufio.NewWriter(zw)
	for _, id := range ids {
		_, _ = bw.WriteString(id)
		_ = bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("compressing: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compressing: %w", err)
	}
	return nil
}

// encodeSet turns ids into the bytes writeSet writes.
func encodeSet(ids []string) ([]byte, error) {
	ids, err := sortedSet(ids)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := writeSet(&buf, ids); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// scanIDs reads what writeSet wrote, calling fn with each id (valid only
// during the call), and checks the gzip trailer at the end.
func scanIDs(r io.Reader, fn func(id []byte) error) error {
	zr, err := gzip.NewReader(bufio.NewReader(r))
	if err != nil {
		return fmt.Errorf("decompressing: %w", err)
	}
	sc := bufio.NewScanner(zr)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			return fmt.Errorf("empty id on line %d", line)
		}
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("decompressing: %w", err)
	}
	if err := zr.Close(); err != nil {
		return fmt.Errorf("decompressing: %w", err)
	}
	return nil
}

// decodeSet reverses encodeSet.
func decodeSet(data []byte) ([]string, error) {
	ids := []string{} // a stored empty set is not a missing one
	err := scanIDs(bytes.NewReader(data), func(id []byte) error {
		ids = append(ids, string(id))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}
