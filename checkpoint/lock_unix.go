//go:build unix

package checkpoint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockName is the lock file in a store's directory. It starts with "." so
// it is never a tenant.
const lockName = ".lock"

// lockDir takes an exclusive flock on dir's lock file and writes this
// process's id into it, so a second process can name the holder. The lock
// is tied to the open file: the kernel drops it when the process dies, so a
// crash never leaves a stale lock.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("opening lock file: %w", err)
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		holder := readHolder(f)
		_ = f.Close()
		return nil, &inUseError{dir: dir, holder: holder}
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("locking %q: %w", path, err)
	}
	if err := writeHolder(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("recording holder in %q: %w", path, err)
	}
	return f, nil
}

// readHolder returns the pid stored in the lock file, or "unknown" when the
// holder has not written it yet.
func readHolder(f *os.File) string {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid := strings.TrimSpace(string(buf[:n]))
	if _, err := strconv.Atoi(pid); err != nil {
		return "unknown"
	}
	return pid
}

// writeHolder replaces the lock file's content with this process's id.
func writeHolder(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// unlockDir releases the lock by closing its file.
func unlockDir(f *os.File) error {
	return f.Close()
}
