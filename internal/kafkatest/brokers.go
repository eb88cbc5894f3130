package kafkatest

import (
	"os"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/okta-connector/okta-connector/internal/kafkatest/fakeserver"
)

// BrokersEnv names the variable that points tests at an external broker.
const BrokersEnv = "KAFKA_BROKERS"

// RegistryEnv names the variable that points tests at an external registry.
const RegistryEnv = "SCHEMA_REGISTRY_URL"

// Brokers returns the seed brokers of KAFKA_BROKERS when it is set, or else
// of a fresh in-process fake cluster stopped at cleanup.
func Brokers(t testing.TB) []string {
	t.Helper()
	if seeds := envBrokers(); len(seeds) > 0 {
		return seeds
	}
	return Fake(t).ListenAddrs()
}

// Fake starts an in-process fake cluster of one broker on loopback, with
// the compaction timer of fakeserver.DefaultBrokerConfigs, and stops it at
// cleanup. It is for tests that need the fake itself (control hooks,
// Compact); others call Brokers.
func Fake(t testing.TB, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	all := append([]kfake.Opt{
		kfake.NumBrokers(1),
		kfake.BrokerConfigs(fakeserver.DefaultBrokerConfigs),
	}, opts...)
	c, err := kfake.NewCluster(all...)
	if err != nil {
		t.Fatalf("starting a fake kafka cluster: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// FromEnv reports whether KAFKA_BROKERS points tests at an external broker.
func FromEnv() bool { return len(envBrokers()) > 0 }

func envBrokers() []string {
	var seeds []string
	for _, s := range strings.Split(os.Getenv(BrokersEnv), ",") {
		if s = strings.TrimSpace(s); s != "" {
			seeds = append(seeds, s)
		}
	}
	return seeds
}
