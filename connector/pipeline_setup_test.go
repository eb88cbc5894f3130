package connector_test

import (
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/internal/pipelinetest"
)

// syncTimeout bounds one `okta-connector sync` of the pipeline tests.
const syncTimeout = 2 * time.Minute

// world is one pipeline test's surroundings: an okta-sim process, the
// external broker and registry, a topic prefix and checkpoint directory of
// its own.
type world struct {
	sim      *pipelinetest.Sim
	cfg      pipelinetest.SimConfig
	brokers  []string
	registry string
	prefix   string
	ckpt     string
	tenant   string
}

// newWorld starts okta-sim with cfg (a fresh random token) and picks up the
// external broker and registry (pipelinetest.Broker).
func newWorld(t *testing.T, cfg pipelinetest.SimConfig) world {
	t.Helper()
	cfg.Token = randomToken(t)
	w := world{cfg: cfg, prefix: kafkatest.UniqueTopicPrefix(t),
		ckpt: filepath.Join(t.TempDir(), "checkpoints"), tenant: "pipe"}
	w.brokers, w.registry = pipelinetest.Broker(t)
	w.sim = pipelinetest.StartSim(t, cfg)
	return w
}

// env is the environment of a single-tenant connector run against org 0.
func (w world) env() pipelinetest.Env {
	return pipelinetest.Env{
		"KAFKA_BROKERS":       strings.Join(w.brokers, ","),
		"SCHEMA_REGISTRY_URL": w.registry,
		"TOPIC_PREFIX":        w.prefix,
		"TOPIC_PARTITIONS":    "3",
		"CHECKPOINT_DIR":      w.ckpt,
		"CHECKPOINT_TOPIC":    w.prefix + "checkpoints",
		"OKTA_DOMAIN":         w.sim.URLs[0],
		"TENANT_ID":           w.tenant,
		"OKTA_API_TOKEN":      w.cfg.Token,
		"RATE_LIMIT_SHARE":    "1",
		"LOG_FORMAT":          "json",
		"LOG_LEVEL":           "warn",
	}
}

// sync runs `okta-connector sync` to its end and fails t unless it exits 0.
func (w world) sync(t *testing.T) *pipelinetest.Proc {
	t.Helper()
	start := time.Now()
	p := pipelinetest.Run(t, syncTimeout, w.env(), "sync")
	if err := p.Err(); err != nil {
		t.Fatalf("okta-connector sync: %v\nstdout:\n%s\nstderr (tail):\n%s", err, p.Stdout(),
			pipelinetest.Tail(p.Stderr(), 30))
	}
	t.Logf("okta-connector sync took %v", time.Since(start).Round(time.Millisecond))
	return p
}

// read reads back and decodes every record under the world's prefix.
func (w world) read(t *testing.T) pipelinetest.Topics {
	t.Helper()
	return pipelinetest.ReadTopics(t, w.brokers, w.registry, w.prefix)
}

// replica generates org i in this process from the same configuration as
// okta-sim did: the same seed gives the same ids, so it is the truth the
// records are checked against. Its counts must match the process's.
func (w world) replica(t *testing.T, i int) *oktasim.Org {
	t.Helper()
	org, err := oktasim.NewOrg(w.cfg.OrgConfig(i))
	if err != nil {
		t.Fatalf("generating the replica of org %d: %v", i, err)
	}
	got := w.sim.Summary(t, i)
	want := pipelinetest.Summary{Users: len(org.Users()), Groups: len(org.Groups()),
		Apps: len(org.Apps()), Events: org.EventCount()}
	if got != want {
		t.Fatalf("okta-sim org %d: got counts %+v, want the replica's %+v", i, got, want)
	}
	return org
}

func randomToken(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("reading random bytes: %v", err)
	}
	return "pipe-" + hex.EncodeToString(b)
}

// set builds a set from keys.
func set(keys ...string) map[string]bool {
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	return out
}

// key joins a tenant and ids as DESIGN.md §3 keys records.
func key(tenant string, ids ...string) string {
	return tenant + "/" + strings.Join(ids, "/")
}
