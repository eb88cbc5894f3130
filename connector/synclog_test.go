package connector

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// TestSyncOnceLogsEachTenantsStart: before any stream publishes, SyncOnce
// logs at Info which tenant it syncs and which of its streams, so that a
// sync without a terminal shows it started.
func TestSyncOnceLogsEachTenantsStart(t *testing.T) {
	org := newOrg(t, oktasim.OrgConfig{Seed: 8, Users: 10, Groups: 2, Apps: 1, Events: 10})
	a := serveOrg(t, "a", org, nil)
	a.Streams = []string{StreamEmployees, StreamActivity}
	b := serveOrg(t, "b", org, nil)
	b.Streams = []string{StreamOrganizations}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	pub := newMemPublisher(t)
	e := NewEngine(EngineConfig{Tenants: []Tenant{a, b}, Store: pub.store, Publisher: pub,
		Logger: log})

	failOn(t, e.SyncOnce(context.Background(), ""))

	got := map[string]string{}
	for line := range strings.Lines(buf.String()) {
		var l struct {
			Msg, Tenant, Streams string
			Domain               string `json:"okta_domain"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if l.Msg == "syncing tenant" {
			got[l.Tenant] = l.Domain + " " + l.Streams
		}
	}
	want := map[string]string{"a": a.Domain + " employees,activity",
		"b": b.Domain + " organizations"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("start lines by tenant (-want +got):\n%s", diff)
	}
}
