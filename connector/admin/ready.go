package admin

import (
	"context"
	"errors"
	"sync/atomic"
)

// Readiness is one condition /readyz waits for. Ready returns nil when it
// holds, else why not; it must return soon after ctx ends.
type Readiness interface {
	Ready(ctx context.Context) error
}

// ReadyFunc adapts a function, such as a Kafka client's Ping, to
// Readiness.
type ReadyFunc func(ctx context.Context) error

// Ready calls f.
func (f ReadyFunc) Ready(ctx context.Context) error { return f(ctx) }

// errNotYet is a Flag not yet raised.
var errNotYet = errors.New("not yet")

// Flag is a Readiness for a one-way event, such as "checkpoints loaded":
// not ready until Raise. It is safe for concurrent use.
type Flag struct{ up atomic.Bool }

// Raise makes the flag ready for good.
func (f *Flag) Raise() { f.up.Store(true) }

// Ready returns nil once Raise was called.
func (f *Flag) Ready(context.Context) error {
	if f.up.Load() {
		return nil
	}
	return errNotYet
}

var (
	_ Readiness = ReadyFunc(nil)
	_ Readiness = (*Flag)(nil)
)
