package checkpoint

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// errClosed is returned by every method of a closed FileStore.
var errClosed = errors.New("checkpoint store is closed")

// ErrInUse is what NewFileStore's error wraps when another process (or
// FileStore) holds the directory: a connector runs on it, so an operator
// tool queues its change in the inbox instead of writing.
var ErrInUse = errors.New("checkpoint directory in use")

// inUseError names the directory and the process that holds it.
type inUseError struct{ dir, holder string }

func (e *inUseError) Error() string {
	return fmt.Sprintf("checkpoint directory %q is in use by process %s", e.dir, e.holder)
}

// Is makes errors.Is(err, ErrInUse) hold.
func (e *inUseError) Is(target error) bool { return target == ErrInUse }

// FileStore is a Store in a local directory: <dir>/<tenant>/<stream>.json
// per checkpoint and <dir>/<tenant>/sets/<stream>/<owner>.ids per id set
// (owner "" is stored as "_all"). Every write replaces its file atomically,
// so a kill -9 at any instant leaves the old or the new content. A
// FileStore holds an exclusive lock on dir until Close; it is safe for
// concurrent use. Its inbox (FileInbox) and audit trail (FileAudit) live
// in the same directory and need no lock, so an operator tool reaches
// them while a connector holds the store.
type FileStore struct {
	dir    string
	lock   *os.File
	closed atomic.Bool

	// paths serialises writers of one file, so concurrent saves of one
	// key land in the order they were called.
	paths sync.Map // path -> *sync.Mutex

	*FileInbox
	*FileAudit
}

var (
	_ Store   = (*FileStore)(nil)
	_ Inbox   = (*FileStore)(nil)
	_ Auditor = (*FileStore)(nil)
)

// NewFileStore opens (creating it when missing) a checkpoint directory and
// locks it for this process. It fails, naming the holder's pid, when
// another process or FileStore holds the directory. Temporary files left
// by a crash are removed.
func NewFileStore(dir string) (*FileStore, error) {
	if dir == "" {
		return nil, errors.New("opening checkpoint store: empty directory name")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("opening checkpoint store: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("opening checkpoint store: %w", err)
	}
	if err := sweepTemp(dir); err != nil {
		_ = unlockDir(lock)
		return nil, fmt.Errorf("opening checkpoint store: %w", err)
	}
	return &FileStore{dir: dir, lock: lock, FileInbox: NewFileInbox(dir),
		FileAudit: NewFileAudit(dir)}, nil
}

// sweepTemp removes the temporary files of writes a crash interrupted. The
// directory lock is held, so no live writer owns them, except in the inbox:
// an operator tool writes there without the lock, so it is left alone (a
// temporary file there is never read as a request).
func sweepTemp(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("scanning %q: %w", path, err)
		}
		if d.IsDir() && d.Name() == InboxDir && filepath.Dir(path) == filepath.Clean(dir) {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() && isTemp(d.Name()) {
			if err := os.Remove(path); err != nil {
				return fmt.Errorf("removing leftover temporary file: %w", err)
			}
		}
		return nil
	})
}

// Dir returns the directory the store keeps its files in.
func (s *FileStore) Dir() string { return s.dir }

// Close releases the directory lock. Later calls on s fail.
func (s *FileStore) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if err := unlockDir(s.lock); err != nil {
		return fmt.Errorf("closing checkpoint store %q: %w", s.dir, err)
	}
	return nil
}

// checkpointPath is where the checkpoint of k lives.
func (s *FileStore) checkpointPath(k Key) string {
	return filepath.Join(s.dir, k.Tenant, k.Stream+".json")
}

// lockPath serialises writers of one path; the caller must call the
// returned function to unlock.
func (s *FileStore) lockPath(path string) func() {
	m, _ := s.paths.LoadOrStore(path, new(sync.Mutex))
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// usable reports why s cannot serve a call now: it is closed or ctx ended.
func (s *FileStore) usable(ctx context.Context) error {
	if s.closed.Load() {
		return errClosed
	}
	return ctx.Err()
}

// Load reads the checkpoint of k. It returns an error wrapping ErrNotFound
// when none was saved, and an error naming the file when the file cannot be
// decoded: a damaged checkpoint is never taken for a missing one, which
// would silently restart a full sync.
func (s *FileStore) Load(ctx context.Context, k Key) (Checkpoint, error) {
	if err := s.usable(ctx); err != nil {
		return Checkpoint{}, fmt.Errorf("loading checkpoint: %w", err)
	}
	if err := checkKey(k); err != nil {
		return Checkpoint{}, fmt.Errorf("loading checkpoint: %w", err)
	}
	path := s.checkpointPath(k)
	cp, err := readCheckpoint(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Checkpoint{}, fmt.Errorf("loading checkpoint %s/%s: %w",
			k.Tenant, k.Stream, ErrNotFound)
	}
	if err != nil {
		return Checkpoint{}, fmt.Errorf("loading checkpoint: %w", err)
	}
	if cp.Tenant != k.Tenant || cp.Stream != k.Stream {
		return Checkpoint{}, fmt.Errorf("loading checkpoint: file %q holds %s/%s, want %s/%s",
			path, cp.Tenant, cp.Stream, k.Tenant, k.Stream)
	}
	return cp, nil
}

// readCheckpoint decodes one checkpoint file. A missing file returns an
// error wrapping fs.ErrNotExist.
func readCheckpoint(path string) (Checkpoint, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Checkpoint{}, err
	}
	var cp Checkpoint
	if err := json.Unmarshal(data, &cp); err != nil {
		return Checkpoint{}, fmt.Errorf("decoding %q: %w", path, err)
	}
	if cp.Version < 1 || cp.Version > Version {
		return Checkpoint{}, fmt.Errorf("decoding %q: version %d, want 1 to %d",
			path, cp.Version, Version)
	}
	return cp, nil
}

// Save replaces the checkpoint of cp.Tenant and cp.Stream atomically. A
// zero Version is set to Version and a zero UpdatedAt to now.
func (s *FileStore) Save(ctx context.Context, cp Checkpoint) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("saving checkpoint: %w", err)
	}
	k := Key{Tenant: cp.Tenant, Stream: cp.Stream}
	if err := checkKey(k); err != nil {
		return fmt.Errorf("saving checkpoint: %w", err)
	}
	if cp.Version == 0 {
		cp.Version = Version
	}
	if cp.Version != Version {
		return fmt.Errorf("saving checkpoint %s/%s: version %d, want %d",
			k.Tenant, k.Stream, cp.Version, Version)
	}
	if cp.UpdatedAt.IsZero() {
		cp.UpdatedAt = time.Now().UTC()
	}
	data, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding checkpoint %s/%s: %w", k.Tenant, k.Stream, err)
	}
	path := s.checkpointPath(k)
	defer s.lockPath(path)()
	if err := writeAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("saving checkpoint %q: %w", path, err)
	}
	return nil
}

// Delete removes the checkpoint of k, so its stream starts over with a full
// sync. Deleting a missing checkpoint is not an error.
func (s *FileStore) Delete(ctx context.Context, k Key) error {
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("deleting checkpoint: %w", err)
	}
	if err := checkKey(k); err != nil {
		return fmt.Errorf("deleting checkpoint: %w", err)
	}
	path := s.checkpointPath(k)
	defer s.lockPath(path)()
	if err := removeDurably(path); err != nil {
		return fmt.Errorf("deleting checkpoint %q: %w", path, err)
	}
	return nil
}

// List returns every stored checkpoint, ordered by tenant then stream. A
// file that cannot be decoded fails the whole listing, naming the file.
func (s *FileStore) List(ctx context.Context) ([]Checkpoint, error) {
	if err := s.usable(ctx); err != nil {
		return nil, fmt.Errorf("listing checkpoints: %w", err)
	}
	tenants, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("listing checkpoints: %w", err)
	}
	var out []Checkpoint
	for _, t := range tenants {
		if !t.IsDir() || checkTenant(t.Name()) != nil {
			continue
		}
		cps, err := s.listTenant(t.Name())
		if err != nil {
			return nil, fmt.Errorf("listing checkpoints: %w", err)
		}
		out = append(out, cps...)
	}
	return out, nil
}

// listTenant reads the checkpoints of one tenant directory.
func (s *FileStore) listTenant(tenant string) ([]Checkpoint, error) {
	entries, err := os.ReadDir(filepath.Join(s.dir, tenant))
	if err != nil {
		return nil, err
	}
	var out []Checkpoint
	for _, e := range entries {
		stream, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !e.Type().IsRegular() || checkStream(stream) != nil {
			continue
		}
		path := filepath.Join(s.dir, tenant, e.Name())
		cp, err := readCheckpoint(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted since ReadDir
		}
		if err != nil {
			return nil, err
		}
		if cp.Tenant != tenant || cp.Stream != stream {
			return nil, fmt.Errorf("file %q holds %s/%s", path, cp.Tenant, cp.Stream)
		}
		out = append(out, cp)
	}
	return out, nil
}
