package connector

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// How long a batch waits for Kafka before it gives up. The idempotent
// producer never fails a record that was sent and not answered (a sequence
// number may be taken), so a broker that dies or freezes mid-batch would
// otherwise hold Publish, and the process's shutdown, forever.
const (
	// ackStallTimeout is how long a batch waits without any of its records
	// being acknowledged before it fails: long enough for a leader
	// election, short enough that a dead cluster fails the cycle.
	ackStallTimeout = 60 * time.Second
	// shutdownGrace is how long a batch still waits for acknowledgements
	// once the process is shutting down, so that what Kafka took is
	// checkpointed.
	shutdownGrace = 10 * time.Second
	// safeAbortWait is how long an abort waits for in-flight requests to
	// be answered before it abandons them.
	safeAbortWait = 5 * time.Second
)

// ackWaiter counts a batch's outstanding promises and notes progress.
type ackWaiter struct {
	left     atomic.Int64
	lastAck  atomic.Int64 // unix nanos of the latest acknowledgement
	done     chan struct{}
	stall    time.Duration
	grace    time.Duration
	abortCap time.Duration
}

func newAckWaiter(n int) *ackWaiter {
	w := &ackWaiter{done: make(chan struct{}), stall: ackStallTimeout,
		grace: shutdownGrace, abortCap: safeAbortWait}
	w.left.Store(int64(n))
	w.lastAck.Store(time.Now().UnixNano())
	if n == 0 {
		close(w.done)
	}
	return w
}

// ack records one promise's end.
func (w *ackWaiter) ack() {
	w.lastAck.Store(time.Now().UnixNano())
	if w.left.Add(-1) == 0 {
		close(w.done)
	}
}

// wait returns once every promise ended. When no record is acknowledged
// for the stall timeout, or shutdown (ctx) has lasted the grace period, it
// aborts the client's buffered records, which ends the remaining promises
// with an error, and reports why.
func (w *ackWaiter) wait(ctx context.Context, cl *kgo.Client) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var shutdownAt time.Time
	for {
		select {
		case <-w.done:
			return nil
		case <-ctx.Done():
			if shutdownAt.IsZero() {
				shutdownAt = time.Now()
			}
		case <-tick.C:
		}
		idle := time.Since(time.Unix(0, w.lastAck.Load()))
		var why error
		switch {
		case idle >= w.stall:
			why = fmt.Errorf("no acknowledgement from Kafka for %s: "+
				"check that the brokers are up and reachable (KAFKA_BROKERS)", w.stall)
		case !shutdownAt.IsZero() && time.Since(shutdownAt) >= w.grace:
			why = fmt.Errorf("shutting down with records unacknowledged after %s: %w",
				w.grace, context.Cause(ctx))
		}
		if why != nil {
			w.abort(cl)
			return why
		}
	}
}

// abort fails the client's buffered records: safely when in-flight
// requests are answered in time, else by abandoning them (the idempotent
// producer then bumps its epoch, so no sequence number is reused).
func (w *ackWaiter) abort(cl *kgo.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), w.abortCap)
	defer cancel()
	if cl.AbortBufferedRecords(ctx) != nil {
		cl.UnsafeAbortBufferedRecords()
	}
	// NOTE: every promise has now run or is about to; wait for them so
	// the batch's error is complete and no callback outlives Publish.
	<-w.done
}
