package connector

import "context"

// Bounds of a coalesced batch: enough records to amortise a publish (an ack
// round trip, a transaction, a checkpoint save with fsync), few enough sets
// that the ids held until then stay small.
const (
	coalesceRecords = 2000
	coalesceSets    = 64
)

// coalescer gathers the records and set writes of many small re-lists (a
// group's members, an app's users) into one batch. Publishing each re-list
// alone made a full listing of 500 groups wait for 500 acknowledgements
// and 500 set saves in a row; most of its time was spent waiting.
//
// Nothing is lost by waiting: a re-list whose batch was not published yet
// left its stored set untouched, so a restart lists it again.
type coalescer struct {
	t       *tenantRun
	c       *setCache
	records []Record
	relists int
}

func (t *tenantRun) newCoalescer(c *setCache) *coalescer {
	return &coalescer{t: t, c: c}
}

// add queues one re-list's records and publishes once a bound is reached.
func (b *coalescer) add(ctx context.Context, recs []Record) error {
	b.records = append(b.records, recs...)
	b.relists++
	if len(b.records) < coalesceRecords && b.relists < coalesceSets {
		return nil
	}
	return b.flush(ctx)
}

// flush publishes what is queued with the sets changed so far.
func (b *coalescer) flush(ctx context.Context) error {
	if b.relists == 0 {
		return nil
	}
	batch := Batch{Records: b.records, Sets: b.c.writes()}
	b.records, b.relists = nil, 0
	return b.t.publish(ctx, batch)
}

// publishWith returns the flush for a long re-list's early records: it
// publishes what is queued, then recs, with the sets changed so far, the
// re-list's partial set among them (relist). Publishing the queue first
// keeps every set written with the records it covers, since the queued
// re-lists' sets are in the same cache.
func (b *coalescer) publishWith(ctx context.Context) func([]Record) error {
	return func(recs []Record) error {
		batch := Batch{Records: append(b.records, recs...), Sets: b.c.writes()}
		b.records, b.relists = nil, 0
		return b.t.publish(ctx, batch)
	}
}
