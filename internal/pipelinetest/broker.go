package pipelinetest

import (
	"testing"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

// idleCleaner is the fake broker's compaction pause for pipeline runs: an
// hour, so it never runs during a test. Compacting every 250 ms (the
// kafkatest default) stalls the fake once its topics hold a few hundred
// thousand records (creating a topic then took 5 s), and it would hide the
// duplicates a kill loop counts.
const idleCleaner = "log.cleaner.backoff.ms=3600000"

// Broker returns the broker and registry of KAFKA_BROKERS when it is set
// (kafkatest.External), or else of a kfake-server process of its own
// whose compaction never runs during the test.
func Broker(t testing.TB) (brokers []string, registryURL string) {
	t.Helper()
	if kafkatest.FromEnv() {
		return kafkatest.External(t)
	}
	addrs := kafkatest.StartServer(t, "-c", idleCleaner)
	return addrs.Brokers, addrs.Registry
}
