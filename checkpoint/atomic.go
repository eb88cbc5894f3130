package checkpoint

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// tempPrefix starts the name of every temporary file. Names starting with
// "." are never tenants, streams or owners, so a temporary file left by a
// crash is never read as data.
const tempPrefix = ".tmp-"

// writeAtomic replaces path with data so that a reader, even after a crash
// at any instant, sees either the old file or the new one. It writes a
// temporary file in the same directory (rename is only atomic within one
// file system), syncs it, renames it over path and syncs the directory so
// the rename itself survives a power loss.
func writeAtomic(path string, data []byte) error {
	return writeAtomicFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomicFunc is writeAtomic for content that write streams, so that
// a large file is never held whole in memory.
func writeAtomicFunc(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("creating directory: %w", err)
	}
	f, err := os.CreateTemp(dir, tempPrefix+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("creating temporary file: %w", err)
	}
	tmp := f.Name()
	if err := writeSyncFunc(f, write); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("renaming temporary file: %w", err)
	}
	return syncDir(dir)
}

// writeSync writes data to f, flushes it to stable storage and closes f.
func writeSync(f *os.File, data []byte) error {
	return writeSyncFunc(f, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeSyncFunc is writeSync for content that write streams, buffered.
func writeSyncFunc(f *os.File, write func(io.Writer) error) error {
	bw := bufio.NewWriterSize(f, 16<<10)
	err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing temporary file %q: %w", f.Name(), err)
	}
	return nil
}

// syncDir flushes a directory's entries, making a rename or a removal in it
// durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening directory for sync: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("syncing directory %q: %w", dir, err)
	}
	return nil
}

// removeDurably deletes path; a missing file is not an error.
func removeDurably(path string) error {
	err := os.Remove(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("removing: %w", err)
	}
	return syncDir(filepath.Dir(path))
}

// isTemp reports whether a directory entry is a temporary file.
func isTemp(name string) bool {
	return strings.HasPrefix(name, tempPrefix)
}
