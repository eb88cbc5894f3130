// Package connector is the engine: it turns each tenant's Okta objects into
// Avro records on Kafka and moves that tenant's checkpoints only after Kafka
// acknowledged the records they cover.
//
// Data flows one way. A stream (employees, groups, apps, organizations,
// activity) reads Okta through the client and returns batches: records plus
// the checkpoints and id sets they reach. A Publisher encodes the records,
// produces them, waits for every acknowledgement and only then saves the
// checkpoints and sets. An Engine drives the streams of many tenants on
// their schedules with bounded concurrency, a tenant's streams side by side
// under one lock per stream.
//
// Known limits:
//   - MaxConcurrentTenants bounds stream runs, not tenants: in the daemon
//     each stream of a tenant runs on its own schedule, so a tenant takes
//     up to five slots (one per stream) when its runs coincide.
//   - A due organizations run goes first and alone: the tenant's other due
//     runs start when it ends (a few requests, hourly by default).
//   - After Okta refuses a tenant, every stream waits its interval and the
//     org, when due, probes alone; a full listing that comes due before the
//     org may still publish its begin marker before meeting the refusal.
//   - A tenant's batches reach the publisher one at a time (so that a
//     fenced shard stops every stream before one publishes again); only the
//     Okta reads overlap.
//   - An event that needs a targeted refresh waits for the entity streams
//     its refresh writes to (a deleted user: employees, groups and apps),
//     so one arriving during a full listing waits for the listing's end,
//     and the System Log's later pages with it.
//   - A full user listing resumed after a crash cannot find users deleted
//     since the previous full listing (their ids from the pages before the
//     crash are not kept); the System Log delete event and the next
//     uninterrupted reconciliation cover them.
//   - With the file store delivery is at least once: a crash repeats at most
//     the batch in flight. With the Kafka store a crash repeats nothing for a
//     read_committed reader, except: a full listing under an operator's reset
//     republishes everything again after a crash, and an event-driven
//     re-list of a group or app larger than one batch repeats its early
//     records when cut by a crash.
//   - A group's first listing rewrites its stored set at every early batch
//     (2,000 members): quadratic in the group's size, fine at 100k members,
//     costly for a group of millions.
//   - The recent-version and recent-uuid lists that suppress repeats are
//     bounded; past the bound a repeat is published again, never lost.
package connector
