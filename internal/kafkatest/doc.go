// Package kafkatest gives tests a Kafka broker and a schema registry, and
// reads back what a test wrote.
//
// Every helper takes a testing.TB, fails the test on error and stops what it
// started with t.Cleanup. Brokers and External use the broker named by
// KAFKA_BROKERS when it is set (the real Apache Kafka broker that
// scripts/kafka/kafka.sh starts in CI), so one test runs against both the
// fake and the real broker; on a shared real broker, tests keep apart by
// naming their topics with UniqueTopicPrefix.
//
// Known limits: the fake broker (kfake) differs from Apache Kafka where
// KAFKA-NOTES §2 says so: a wrong SASL password closes the connection
// rather than answering an error, compacted topics accept null keys, and
// unknown topic configs are ignored. Consume reads only up to the last
// stable offset captured when it is called, so records of a transaction
// still open then are not returned.
package kafkatest
