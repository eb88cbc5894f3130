package connector

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/admin"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/metrics"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

const appToken = "00T-app-test-token"

// appWorld is a simulated org and an in-process broker, and the
// configuration of a connector against them.
type appWorld struct {
	org *oktasim.Org
	cfg config.Config
}

func newAppWorld(t *testing.T, store string) appWorld {
	t.Helper()
	org, srv := oktasim.StartTest(t, oktasim.OrgConfig{Seed: 9, Users: 40, Groups: 4,
		Apps: 2, Events: 60, Token: appToken})
	prefix := kafkatest.UniqueTopicPrefix(t)
	cfg, err := config.LoadEnv([]string{
		"KAFKA_BROKERS=" + kafkatest.Fake(t).ListenAddrs()[0],
		"OKTA_DOMAIN=" + srv.URL(), "OKTA_API_TOKEN=" + appToken, "TENANT_ID=acme",
		"TOPIC_PREFIX=" + prefix, "TOPIC_PARTITIONS=1", "RATE_LIMIT_SHARE=1",
		"CHECKPOINT_STORE=" + store, "CHECKPOINT_DIR=" + t.TempDir(),
		"CHECKPOINT_TOPIC=" + prefix + "checkpoints", "CHECKPOINT_SHARDS=2",
	})
	if err != nil {
		t.Fatalf("loading config: %v", err)
	}
	return appWorld{org: org, cfg: cfg}
}

// open opens an App on the world, closed at cleanup.
func (w appWorld) open(t *testing.T) *App {
	t.Helper()
	tenants, err := w.cfg.Tenants()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, err := Open(ctx, AppConfig{Config: w.cfg, Tenants: tenants, Logger: discard(),
		Metrics: metrics.New(metrics.Options{NoRuntime: true})})
	if err != nil {
		t.Fatalf("opening app: %v", err)
	}
	t.Cleanup(func() { _ = a.Close(context.Background()) })
	return a
}

// syncAll runs one pass, reporting every run to the app as the engine
// will, and returns the results.
func syncAll(a *App) []StreamResult {
	res := a.Engine.SyncOnce(context.Background(), "")
	for _, r := range res {
		a.StreamStarted(r.Tenant, r.Stream)
		a.StreamDone(context.Background(), r)
	}
	return res
}

func failed(t *testing.T, res []StreamResult) {
	t.Helper()
	for _, r := range res {
		if r.Err != nil {
			t.Errorf("stream %s/%s: %v", r.Tenant, r.Stream, r.Err)
		}
	}
}

// TestAppKafkaStoreSyncsInTransactionsAndStopsWhenFenced: with
// CHECKPOINT_STORE=kafka the app syncs through the transactional
// publisher with checkpoints in the topic; once a second instance claims
// the shards, the first one's tenant stops with ErrShardLost while the
// second one syncs.
func TestAppKafkaStoreSyncsInTransactionsAndStopsWhenFenced(t *testing.T) {
	w := newAppWorld(t, "kafka")
	a := w.open(t)
	if _, ok := a.Store.(*checkpoint.KafkaStore); !ok {
		t.Fatalf("store: got %T, want *checkpoint.KafkaStore", a.Store)
	}
	failed(t, syncAll(a))
	cp, err := a.Store.Load(context.Background(), checkpoint.Key{Tenant: "acme",
		Stream: StreamActivity})
	if err != nil || cp.Cursor == "" {
		t.Errorf("activity checkpoint in the topic: got %+v, %v; want a cursor", cp, err)
	}
	published := int64(0)
	for _, c := range a.Publisher.Counts() {
		published += c.Records
	}
	if got := metricSum(t, a, "okta_connector_records_published_total"); got !=
		float64(published) || published == 0 {
		t.Errorf("records_published_total: got %v, want the %d records committed", got,
			published)
	}

	// Something to publish next time: a changed user and its event.
	must(t, w.org.UpdateUser(activeUsers(w.org)[0], map[string]any{"title": "Fenced"}))
	b := w.open(t) // claims every shard: a is fenced
	res := a.Engine.SyncOnce(context.Background(), "")
	lost := 0
	for _, r := range res {
		switch {
		case errors.Is(r.Err, ErrShardLost):
			lost++
		case r.Err != nil:
			t.Errorf("fenced instance, stream %s: got %v, want ErrShardLost", r.Stream, r.Err)
		}
	}
	if lost == 0 {
		t.Errorf("fenced instance: no stream stopped with ErrShardLost: %+v", res)
	}
	tr := a.Engine.newRun(a.Engine.Tenants()[0], discard())
	if err := tr.beforeCycle(context.Background(), StreamEmployees); !errors.Is(err,
		ErrShardLost) {
		t.Errorf("next cycle on the fenced instance: got %v, want ErrShardLost", err)
	}
	failed(t, syncAll(b))
}

// TestAppAdminEndpoint: the file-store app serves /readyz, /status with
// each stream's state and lag, and /metrics in Prometheus text format,
// with the Okta requests of the sync counted.
func TestAppAdminEndpoint(t *testing.T) {
	w := newAppWorld(t, "file")
	a := w.open(t)
	failed(t, syncAll(a))
	srv := httptest.NewServer(a.adminServer().Handler())
	t.Cleanup(srv.Close)

	if code, body := fetch(t, srv.URL+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz: got %d %q, want 200", code, body)
	}
	_, body := fetch(t, srv.URL+"/status")
	var st admin.Status
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("decoding /status %q: %v", body, err)
	}
	if len(st.Tenants) != 1 || st.Tenants[0].State != admin.StateOK ||
		len(st.Tenants[0].Streams) != len(runOrder) {
		t.Fatalf("/status: got %+v, want tenant acme ok with %d streams", st, len(runOrder))
	}
	for _, s := range st.Tenants[0].Streams {
		if s.LastSuccess == nil || s.LagSeconds == nil {
			t.Errorf("/status stream %s: got %+v, want a last success and a lag", s.Stream, s)
		}
	}
	_, body = fetch(t, srv.URL+"/metrics")
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	users := 0.0
	for _, m := range fams["okta_connector_okta_requests_total"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["endpoint"] == "/api/v1/users" && labels["tenant"] == "acme" {
			users += m.GetCounter().GetValue()
		}
	}
	if users == 0 {
		t.Errorf("okta_requests_total{endpoint=/api/v1/users}: got 0, want the listing")
	}
	if got := len(fams["okta_connector_syncs_total"].GetMetric()); got != len(runOrder) {
		t.Errorf("syncs_total series: got %d, want one per stream (%d)", got, len(runOrder))
	}

	w.org.RevokeToken(appToken)
	failedRes := a.Engine.SyncOnce(context.Background(), "")
	for _, r := range failedRes {
		a.StreamDone(context.Background(), r)
	}
	st = a.Board().Snapshot()
	if st.Tenants[0].State != admin.StateAuthFailed ||
		!strings.Contains(statusErrors(st), "create a new one and reconnect") {
		t.Errorf("/status after revocation: got %+v, want auth_failed with the advice", st)
	}
}

// metricSum adds up every sample of a counter family of a's metrics.
func metricSum(t *testing.T, a *App, name string) float64 {
	t.Helper()
	fams, err := a.Metrics().Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, f := range fams {
		if f.GetName() == name {
			for _, m := range f.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

func statusErrors(st admin.Status) string {
	var b strings.Builder
	for _, t := range st.Tenants {
		for _, s := range t.Streams {
			b.WriteString(s.LastError + "\n")
		}
	}
	return b.String()
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}
