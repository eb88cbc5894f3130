// Package connector is the engine: it turns each tenant's Okta objects into
// Avro records on Kafka and moves that tenant's checkpoints only after Kafka
// acknowledged the records they cover.
//
// Data flows one way. A stream (employees, groups, apps, organizations,
// activity) reads Okta through the client and returns batches: records plus
// the checkpoints and id sets they reach. A Publisher encodes the records,
// produces them, waits for every acknowledgement and only then saves the
// checkpoints and sets. A Runner drives the streams of many tenants on their
// schedules with bounded concurrency.
//
// Known limits:
//   - The streams of one tenant run one at a time, so a long full listing
//     delays that tenant's System Log polling until it ends.
//   - A full user listing resumed after a crash cannot find users deleted
//     since the previous full listing (their ids from the pages before the
//     crash are not kept); the System Log delete event and the next
//     uninterrupted reconciliation cover them.
//   - Delivery is at least once: a crash repeats at most the batch in flight.
//   - The recent-version and recent-uuid lists that suppress repeats are
//     bounded; past the bound a repeat is published again, never lost.
package connector
