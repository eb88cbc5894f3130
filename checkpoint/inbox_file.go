package checkpoint

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// InboxDir is the directory, in a file store's directory, that holds the
// inbox. "_" is outside the tenant alphabet, so it can never be mistaken
// for a tenant, nor a tenant's files for requests ("inbox" could be a
// tenant id).
const InboxDir = "_inbox"

// FileInbox is the inbox of a file store:
// <dir>/_inbox/<tenant>/<stream>/<request id>.json, one file per request,
// each written atomically. It takes no lock: the operator tool submits
// while a connector holds the store, and the connector, the only one to
// call Done, removes what it applied. Safe for concurrent use.
type FileInbox struct {
	dir string // <store dir>/_inbox
}

var _ Inbox = (*FileInbox)(nil)

// NewFileInbox returns the inbox of the file store kept in dir; it touches
// nothing on disk until the first Submit.
func NewFileInbox(dir string) *FileInbox {
	return &FileInbox{dir: filepath.Join(dir, InboxDir)}
}

// path is where request r lives.
func (b *FileInbox) path(r Request) string {
	return filepath.Join(b.dir, r.Tenant, r.Stream, r.ID+".json")
}

// Submit writes r to its own file atomically: the connector sees the whole
// request or none of it.
func (b *FileInbox) Submit(ctx context.Context, r Request) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("submitting checkpoint change: %w", err)
	}
	if err := r.check(); err != nil {
		return fmt.Errorf("submitting checkpoint change: %w", err)
	}
	data, err := encodeRequest(r)
	if err != nil {
		return fmt.Errorf("encoding checkpoint change %s: %w", r.ID, err)
	}
	path := b.path(r)
	if err := writeAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("submitting checkpoint change %q: %w", path, err)
	}
	return nil
}

// Pending returns the requests queued for k, oldest first. A request file
// that does not decode is an error naming it: skipping it would drop an
// operator's change unnoticed.
func (b *FileInbox) Pending(ctx context.Context, k Key) ([]Request, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading checkpoint changes: %w", err)
	}
	if err := checkKey(k); err != nil {
		return nil, fmt.Errorf("reading checkpoint changes: %w", err)
	}
	reqs, err := b.readStream(k)
	if err != nil {
		return nil, fmt.Errorf("reading checkpoint changes: %w", err)
	}
	return reqs, nil
}

// readStream reads the requests of one tenant and stream in id order.
func (b *FileInbox) readStream(k Key) ([]Request, error) {
	dir := filepath.Join(b.dir, k.Tenant, k.Stream)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Request
	for _, e := range entries { // ReadDir sorts by name, hence by id
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || isTemp(e.Name()) || !e.Type().IsRegular() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // applied since ReadDir
		}
		if err != nil {
			return nil, err
		}
		r, err := decodeRequest(data)
		if err != nil {
			return nil, fmt.Errorf("decoding %q: %w", path, err)
		}
		if r.ID != id || r.Key() != k {
			return nil, fmt.Errorf("file %q holds request %s of %s/%s", path, r.ID,
				r.Tenant, r.Stream)
		}
		out = append(out, r)
	}
	return out, nil
}

// Requests returns every queued request, by tenant, stream, then age.
func (b *FileInbox) Requests(ctx context.Context) ([]Request, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading checkpoint changes: %w", err)
	}
	keys, err := b.keys()
	if err != nil {
		return nil, fmt.Errorf("reading checkpoint changes: %w", err)
	}
	var out []Request
	for _, k := range keys {
		reqs, err := b.readStream(k)
		if err != nil {
			return nil, fmt.Errorf("reading checkpoint changes: %w", err)
		}
		out = append(out, reqs...)
	}
	return out, nil
}

// keys lists the tenant and stream directories of the inbox, sorted.
func (b *FileInbox) keys() ([]Key, error) {
	tenants, err := os.ReadDir(b.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var keys []Key
	for _, t := range tenants {
		if !t.IsDir() || checkTenant(t.Name()) != nil {
			continue
		}
		streams, err := os.ReadDir(filepath.Join(b.dir, t.Name()))
		if err != nil {
			return nil, err
		}
		for _, s := range streams {
			if s.IsDir() && checkStream(s.Name()) == nil {
				keys = append(keys, Key{Tenant: t.Name(), Stream: s.Name()})
			}
		}
	}
	slices.SortFunc(keys, compareKeys)
	return keys, nil
}

// Done removes r's file; a request already removed is no error.
func (b *FileInbox) Done(ctx context.Context, r Request) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("removing applied checkpoint change: %w", err)
	}
	if err := r.check(); err != nil {
		return fmt.Errorf("removing applied checkpoint change: %w", err)
	}
	path := b.path(r)
	if err := removeDurably(path); err != nil {
		return fmt.Errorf("removing applied checkpoint change %q: %w", path, err)
	}
	return nil
}
