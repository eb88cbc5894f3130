// Package manytenants holds the test that one process serves hundreds of
// tenants fairly: 200 small orgs and one large one on one simulator, their
// small first records landing while the large one still syncs.
//
// Known limit: it measures order, not speed; the large org's sync is
// slowed with simulated latency so that its run spans seconds.
package manytenants
