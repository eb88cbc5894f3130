package ops

import (
	"fmt"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/schemas"
)

// ExtraRepublish is the Checkpoint.Extra key that a reset of groups or
// apps leaves, holding the reset's request id. The full listing it starts
// then publishes every membership or assignment it lists, not only those
// the stored id sets lack: the point of a reset is to rebuild a consumer's
// view, and a diff against the sets (what a resumed listing or the daily
// reconciliation wants) would republish almost nothing. The stream keeps
// the key while that snapshot is unfinished, so a listing resumed after a
// crash goes on republishing, and drops it with the completed markers.
const ExtraRepublish = "republish"

// ridesWith names the stream whose checkpoint also covers a stream
// without one of its own: memberships and assignments are listed with
// their groups and apps, and their place is the stored id sets.
var ridesWith = map[string]string{
	schemas.GroupMembers:   schemas.Groups,
	schemas.AppAssignments: schemas.Apps,
}

// pairNoun says, for a stream that carries another one's records, what
// one of those records is.
var pairNoun = map[string]string{
	schemas.Groups: "membership",
	schemas.Apps:   "assignment",
}

// republishes reports whether a reset of stream republishes the pairs
// listed with it.
func republishes(stream string) bool { return pairNoun[stream] != "" }

// ridingPosition says where a stream without a checkpoint of its own goes
// on from; list and show both print it.
func ridingPosition(stream string) string {
	return fmt.Sprintf("kept with %s (id sets); reset %s to republish", ridesWith[stream],
		ridesWith[stream])
}

// refuseRiding refuses to reset or set a stream without a checkpoint of
// its own, naming the stream whose reset republishes it. It returns nil
// for every other stream.
func refuseRiding(stream string) error {
	owner, rides := ridesWith[stream]
	if !rides {
		return nil
	}
	return invalid{fmt.Errorf("stream %q has no checkpoint of its own, it is listed with "+
		"%s: reset --stream %s instead, which republishes every %s", stream, owner, owner,
		pairNoun[owner])}
}

// republishing reports whether cp's stream is in, or about to start, a
// full listing that republishes every pair it lists.
func republishing(cp checkpoint.Checkpoint) bool {
	return cp.Extra[ExtraRepublish] != ""
}
