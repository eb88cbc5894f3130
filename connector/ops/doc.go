// Package ops is the logic of `okta-connector checkpoints`: list, show,
// reset and set the connector's place per tenant and stream, and read the
// audit trail, on either checkpoint store, with validation before any
// write, a dry run, and audit entries (who, when, why, old, new) for every
// change.
// Command wiring (flags, opening the store) lives in cmd/okta-connector.
//
// How a change reaches a running connector: the connector is the only
// writer of a live checkpoint. The command queues a request in the store's
// inbox (checkpoint.Inbox), which needs no lock; the connector applies it
// with Install at the start of the stream's next cycle, working out the
// new checkpoint from the one it holds then, so a cycle already running
// cannot overwrite the change, and every other tenant and stream goes on
// as before. When no connector holds the file store (its lock is free),
// the command writes at once instead. A reset or set of the activity
// stream clears its cursor and stores the time to read from under
// checkpoint.ExtraSince; the stream reads the System Log from that time
// and drops the key once it holds a cursor again. A reset of groups or apps
// stores ExtraRepublish: the full listing it starts republishes every
// membership or assignment, not only what changed. Memberships and
// assignments have no checkpoint of their own (they ride with groups and
// apps), so resetting or setting them by name is refused.
//
// Known limits:
//   - With the Kafka store a change is always queued: nothing tells the
//     command whether a connector runs, so it waits for the next start
//     when none does. `list` shows what is still queued.
//   - Show and list read the checkpoints as the command finds them; a
//     queued change shows as queued until the stream's next cycle.
//   - Sets of known ids (members, assignments, all users) are kept by a
//     reset: they are what lets the next full sync tombstone what vanished.
//   - A reset republishes a stream's records, not its tombstones: a key
//     deleted before the last sync is not deleted again.
package ops
