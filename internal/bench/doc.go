// Package bench measures the connector against Okta's rate-limit floor,
// against the cost of its own work, and against a peer (issue 7).
//
// Run starts every party as a process of its own, so the connector's peak
// RSS and CPU time are its own: okta-sim with a generated org, kfake-server
// (or the broker named by KAFKA_BROKERS), okta-connector sync for the full
// and the idle incremental cycle, okta-connector run for the change
// latency, and, when asked, Airbyte's Okta source in a virtual environment
// inside a network namespace. It returns one Result, which Markdown and
// JSON render.
//
// Known limits:
//   - The rate-limited row uses its own, smaller org (RateLimitedOrg): a
//     10k-user org takes minutes by construction at half of Okta's default
//     buckets. Its floor is the formula (calls ÷ (share × rate) per
//     bucket); the simulator's fixed 60 s windows let a sync whose calls fit
//     in one window's share finish below it.
//   - The change latency is one sample; its phase against the 30 s System
//     Log poll is whatever the clock gives, so it varies between runs.
//   - The baseline replays the GET requests of the full sync against the
//     simulator to decode the same bodies, and re-encodes the records read
//     back from Kafka; both are timed by this process's CPU time, garbage
//     collection included, as the connector's is.
//   - The peer needs root (ip netns) and Python 3.11; without them its row
//     says why it was not run.
package bench
