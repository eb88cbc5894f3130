package connector

import (
	"context"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// setScanner is a store that can stream a stored set, id by id, instead of
// returning it whole; checkpoint.FileStore is one.
type setScanner interface {
	ScanSet(ctx context.Context, k checkpoint.SetKey, fn func(id string) error) error
}

var _ setScanner = (*checkpoint.FileStore)(nil)

// scanSet calls fn for each id of the set stored under k, in order; a
// missing set has none. It streams where store can, and loads the set
// whole where it cannot.
func scanSet(ctx context.Context, store checkpoint.Store, k checkpoint.SetKey,
	fn func(id string) error) error {
	if s, ok := store.(setScanner); ok {
		return s.ScanSet(ctx, k, fn)
	}
	ids, err := store.LoadSet(ctx, k)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := fn(id); err != nil {
			return err
		}
	}
	return nil
}
