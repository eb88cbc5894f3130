package checkpoint

import (
	"context"
	"fmt"
	"os"
)

// FileReader reads the checkpoints of a file store without taking its
// lock, so that an operator tool can list them while a connector holds the
// store. Every write replaces its file atomically, so a read sees the old
// value or the new one. It never writes. Safe for concurrent use.
type FileReader struct {
	s *FileStore // unlocked; only its reading methods are called
}

// NewFileReader returns a reader of the file store kept in dir, which must
// exist.
func NewFileReader(dir string) (*FileReader, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("opening checkpoint directory: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("opening checkpoint directory: %q is not a directory", dir)
	}
	return &FileReader{s: &FileStore{dir: dir}}, nil
}

// Load reads the checkpoint of k, as FileStore.Load does.
func (r *FileReader) Load(ctx context.Context, k Key) (Checkpoint, error) {
	return r.s.Load(ctx, k)
}

// List returns every stored checkpoint, as FileStore.List does.
func (r *FileReader) List(ctx context.Context) ([]Checkpoint, error) {
	return r.s.List(ctx)
}
