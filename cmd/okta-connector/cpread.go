package main

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/ops"
)

// How much of a long list `checkpoints show` prints without --full: the
// first and last few entries, and how many there are.
const (
	briefHead = 3
	briefTail = 2
)

// briefReader shortens the long lists of the checkpoints it reads, for
// `checkpoints show`: the activity stream keeps the uuids of its latest
// events (tens of kilobytes on one line), and a watermark may hold many
// versions, which would hide the fields an operator came to read. It is
// for printing only: a checkpoint it returns must never be saved.
type briefReader struct{ ops.Reader }

// Load reads k's checkpoint with its long lists shortened.
func (b briefReader) Load(ctx context.Context, k checkpoint.Key) (checkpoint.Checkpoint,
	error) {
	cp, err := b.Reader.Load(ctx, k)
	return brief(cp), err
}

// List reads every checkpoint with its long lists shortened.
func (b briefReader) List(ctx context.Context) ([]checkpoint.Checkpoint, error) {
	cps, err := b.Reader.List(ctx)
	for i := range cps {
		cps[i] = brief(cps[i])
	}
	return cps, err
}

// brief returns cp with every list longer than briefHead+briefTail
// entries cut to its first and last ones and a count: the versions at the
// watermark, and the space-separated lists of Extra.
func brief(cp checkpoint.Checkpoint) checkpoint.Checkpoint {
	if n := len(cp.AtWatermark); n > briefHead+briefTail {
		at := append([]string(nil), cp.AtWatermark[:briefHead]...)
		at = append(at, elided(n))
		cp.AtWatermark = append(at, cp.AtWatermark[n-briefTail:]...)
	}
	if cp.Extra == nil {
		return cp
	}
	cp.Extra = maps.Clone(cp.Extra)
	for k, v := range cp.Extra {
		f := strings.Fields(v)
		if n := len(f); n > briefHead+briefTail {
			cp.Extra[k] = strings.Join(f[:briefHead], " ") + " " + elided(n) + " " +
				strings.Join(f[n-briefTail:], " ")
		}
	}
	return cp
}

// elided stands for the entries left out of a list of n.
func elided(n int) string {
	return fmt.Sprintf("… (%d in all; --full shows every one) …", n)
}

// noCheckpoints is the Reader of a checkpoint directory that does not
// exist yet: before the first sync there is nothing stored, which is not
// an error.
type noCheckpoints struct{}

// Load reports that k has no checkpoint.
func (noCheckpoints) Load(_ context.Context, k checkpoint.Key) (checkpoint.Checkpoint, error) {
	return checkpoint.Checkpoint{}, fmt.Errorf("loading checkpoint %s/%s: %w", k.Tenant,
		k.Stream, checkpoint.ErrNotFound)
}

// List returns no checkpoint.
func (noCheckpoints) List(context.Context) ([]checkpoint.Checkpoint, error) {
	return nil, nil
}
