package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

const (
	e2eTenant = "e2e"
	e2eToken  = "e2e-sim-token-not-a-secret"
)

// smallOrg is big enough to hold every kind of user, group and event the
// generator makes, and small enough for a test run of seconds.
var smallOrg = oktasim.OrgConfig{
	Seed: 4, Users: 300, Groups: 12, Apps: 6, Events: 1500, Token: e2eToken,
	// Well inside the connector's default 7-day look-back, so the events a
	// sync reads do not depend on how long the sync takes to start.
	LookBack: 48 * time.Hour,
}

// fullSync is one connector run: the org it read and where it wrote.
type fullSync struct {
	org      *oktasim.Org
	brokers  []string
	prefix   string
	registry string // empty: single-object encoding
	truth    string // truth file path
}

// syncOrg serves an org generated from cfg, runs `okta-connector sync`
// against it with or without a registry, and writes the org's truth.
func syncOrg(t testing.TB, cfg oktasim.OrgConfig, withRegistry bool) fullSync {
	t.Helper()
	org, srv := oktasim.StartTest(t, cfg)
	fs := fullSync{org: org, brokers: kafkatest.Brokers(t),
		prefix: kafkatest.UniqueTopicPrefix(t)}
	env := syncEnv{
		"KAFKA_BROKERS":    strings.Join(fs.brokers, ","),
		"TOPIC_PREFIX":     fs.prefix,
		"TOPIC_PARTITIONS": "3",
		"CHECKPOINT_DIR":   filepath.Join(t.TempDir(), "checkpoints"),
		"OKTA_DOMAIN":      srv.URL(),
		"TENANT_ID":        e2eTenant,
		"OKTA_API_TOKEN":   e2eToken,
		"LOG_FORMAT":       "json",
		"LOG_LEVEL":        "warn",
	}
	if withRegistry {
		fs.registry = kafkatest.Registry(t)
		env["SCHEMA_REGISTRY_URL"] = fs.registry
	}
	asOf := time.Now()
	runSync(t, env)
	fs.truth = OrgTruth(org, e2eTenant, asOf).Write(t)
	return fs
}

// TestFullSyncReadByIndependentConsumer is issue 4's Must-show 1 in small:
// what the connector writes decodes in Python, with the registry and from
// the .avsc files alone, and matches the simulator's truth.
func TestFullSyncReadByIndependentConsumer(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		registry bool
	}{
		{name: "confluent framing through the registry", registry: true},
		{name: "single-object framing from the avsc files", registry: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := syncOrg(t, smallOrg, tc.registry)
			args := VerifyArgs{Brokers: fs.brokers, Prefix: fs.prefix,
				RegistryURL: fs.registry, TruthFile: fs.truth}
			if !tc.registry {
				args.AvscDir = filepath.Join(root, "schemas")
			}
			res := Verify(t, args)
			t.Logf("verifier took %v:\n%s", res.Elapsed.Round(time.Millisecond), res.Output)
			if res.ExitCode != 0 {
				t.Fatalf("got verifier exit code %d, want 0", res.ExitCode)
			}
		})
	}
}

// TestUnknownSchemaIDFailsLoudly is issue 4's Must-show 2: records the
// connector wrote under ids a registry does not know (here: a fresh one)
// make the independent consumer fail, naming the record and the id.
func TestUnknownSchemaIDFailsLoudly(t *testing.T) {
	fs := syncOrg(t, smallOrg, true)
	res := Verify(t, VerifyArgs{Brokers: fs.brokers, Prefix: fs.prefix,
		RegistryURL: kafkatest.Registry(t)})
	t.Logf("verifier output:\n%s", res.Output)
	if res.ExitCode != 1 {
		t.Errorf("got verifier exit code %d, want 1", res.ExitCode)
	}
	for _, want := range []string{"FAILED " + fs.prefix, ": unknown schema id ",
		"verify-consumer: FAILED"} {
		if !strings.Contains(res.Output, want) {
			t.Errorf("got output without %q", want)
		}
	}
}
