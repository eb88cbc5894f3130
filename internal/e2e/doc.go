// Package e2e proves the connector's output readable by strangers: it runs a
// full sync against a simulated Okta org and a Kafka broker, then hands the
// topics to tools/verify-consumer, a Python program on librdkafka and
// fastavro that decodes every record and compares it with the simulator's
// truth (issue 4, "An independent consumer").
//
// The helpers here (Python, Verify, the Truth file) take a testing.TB and
// fail the test on any error, so other packages' tests can use the verifier
// too. Python's virtual environment is built once per machine by
// tools/verify-consumer/setup.sh from the package index; a test that cannot
// build it fails with pip's reason, never skips.
//
// Known limits: the truth covers a full sync only (counts, keys and chosen
// values of the org as generated), not incremental changes; the verifier
// reads brokers without TLS or SASL.
package e2e
