// Package ops is the logic of `okta-connector checkpoints`: list, show,
// reset and set the connector's place per tenant and stream, on either
// checkpoint store, with validation before any write, a dry run, and an
// audit entry (who, when, why, old, new) for every change. Command wiring
// (flags, opening the store) lives in cmd/okta-connector.
//
// How a change reaches a running connector: the stream reads its
// checkpoint at the start of each cycle, so the change takes effect at the
// next cycle, and every other tenant and stream goes on as before. A reset
// or set of the activity stream clears its cursor and stores the time to
// read from under Checkpoint.Extra[ExtraSince] (RFC 3339); the stream
// reads the System Log from that time and drops the key once it holds a
// cursor again.
//
// Known limits:
//   - A cycle of the same stream already running when the change is
//     written may finish by saving its own checkpoint over it; run the
//     command again after one poll interval if `list` shows the old value.
//   - The file store admits one process per directory, so against a file
//     store the command runs while the connector is stopped.
//   - Sets of known ids (members, assignments, all users) are kept by a
//     reset: they are what lets the next full sync tombstone what vanished.
package ops
