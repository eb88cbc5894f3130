//go:build !unix

package checkpoint

import (
	"errors"
	"os"
)

// lockDir refuses to open a store where flock is not available: without a
// lock two processes could interleave their writes unnoticed.
func lockDir(dir string) (*os.File, error) {
	return nil, errors.New("file checkpoint store needs flock, which this system lacks")
}

// unlockDir releases the lock by closing its file.
func unlockDir(f *os.File) error {
	return f.Close()
}
