package connector

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/ops"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

func TestLiveCheckpointChangeOnBothStores(t *testing.T) {
	for _, store := range []string{"file", "kafka"} {
		t.Run(store, func(t *testing.T) {
			_, srv := oktasim.StartTest(t, oktasim.OrgConfig{Seed: 9, Users: 40, Groups: 4,
				Apps: 2, Events: 60, Token: appToken})
			prefix := kafkatest.UniqueTopicPrefix(t)
			dir := t.TempDir()
			cfg, err := config.LoadEnv([]string{
				"KAFKA_BROKERS=" + kafkatest.Fake(t).ListenAddrs()[0],
				"OKTA_DOMAIN=" + srv.URL(), "OKTA_API_TOKEN=" + appToken, "TENANT_ID=acme",
				"TOPIC_PREFIX=" + prefix, "TOPIC_PARTITIONS=1", "RATE_LIMIT_SHARE=1",
				"CHECKPOINT_STORE=" + store, "CHECKPOINT_DIR=" + dir,
				"CHECKPOINT_TOPIC=" + prefix + "checkpoints", "ACTIVITY_POLL_INTERVAL=1s",
			})
			if err != nil {
				t.Fatal(err)
			}
			a := appWorld{cfg: cfg}.open(t)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); a.Engine.Run(ctx) }()
			defer func() { cancel(); <-done }()
			k := checkpoint.Key{Tenant: "acme", Stream: "activity"}
			waitUntil(t, func() bool {
				cp, err := a.Store.Load(context.Background(), k)
				return err == nil && cp.Cursor != ""
			})
			var tg ops.Target
			if store == "file" {
				r, _ := checkpoint.NewFileReader(dir)
				tg = ops.Target{Reader: r, Inbox: checkpoint.NewFileInbox(dir),
					Audit: checkpoint.NewFileAudit(dir)}
			} else {
				ks, err := OpenKafkaStore(context.Background(), cfg, discard())
				if err != nil {
					t.Fatal(err)
				}
				defer ks.Close()
				tg = ops.Target{Reader: ks, Inbox: ks, Audit: ks}
			}
			var out bytes.Buffer
			err = ops.Set(context.Background(), &out, tg, ops.SetOptions{
				Scope: ops.Scope{Tenants: []string{"acme"}}, Change: ops.Change{Reason: "r"},
				Tenant: "acme", Stream: "activity", Since: time.Now().Add(-48 * time.Hour)})
			if err != nil || !strings.Contains(out.String(), "queued") {
				t.Fatalf("set: %v\n%s", err, out.String())
			}
			before := a.Publisher.Counts()[prefix+"activity"].Records
			waitUntil(t, func() bool {
				cp, err := a.Store.Load(context.Background(), k)
				return err == nil && cp.Extra[checkpoint.ExtraRequest] != "" && cp.Cursor != ""
			})
			after := a.Publisher.Counts()[prefix+"activity"].Records
			t.Logf("activity records before %d after %d", before, after)
			if after <= before {
				t.Errorf("no replay")
			}
			st := a.Board().Snapshot()
			t.Logf("board: %+v", st.Tenants)
			if len(st.Tenants) != 1 {
				t.Errorf("board empty")
			}
		})
	}
}

func waitUntil(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
