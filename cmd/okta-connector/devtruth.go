package main

import (
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/schemas"
)

// snapshotStreams are the streams a full sync brackets with two markers.
const snapshotStreams = 5

// orgTruth counts what a first full sync of org must publish per stream:
// every user of every status, every group and membership, every app and
// assignment, the org, every event persisted inside the look-back, and the
// markers.
func orgTruth(org *oktasim.Org, since time.Time) map[string]int64 {
	want := map[string]int64{
		schemas.Organizations: 1,
		schemas.SyncMarkers:   2 * snapshotStreams,
		schemas.Employees:     int64(len(org.Users())),
	}
	for _, g := range org.Groups() {
		want[schemas.Groups]++
		want[schemas.GroupMembers] += int64(len(g.Members))
	}
	for _, a := range org.Apps() {
		want[schemas.Apps]++
		want[schemas.AppAssignments] += int64(len(org.AppUserIDs(a.ID)))
	}
	for e := range org.Events() {
		if !e.Persisted.Before(since) {
			want[schemas.Activity]++
		}
	}
	return want
}
