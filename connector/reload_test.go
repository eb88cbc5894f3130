package connector

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

func TestSetTenantsReportsChanges(t *testing.T) {
	base := simOrg(t, 1, oktasim.OrgConfig{}, oktasim.Faults{})
	a, b, c := simTenant(t, "a", base, simToken), simTenant(t, "b", base, simToken),
		simTenant(t, "c", base, simToken)
	a2 := a
	a2.Streams = []string{StreamActivity}
	b2 := simTenant(t, "b", base, simToken) // a new client: new credentials
	tests := []struct {
		name string
		next []Tenant
		want TenantChanges
	}{
		{"same set", []Tenant{a, b}, TenantChanges{}},
		{"added", []Tenant{a, b, c}, TenantChanges{Added: []string{"c"}}},
		{"removed", []Tenant{b}, TenantChanges{Removed: []string{"a"}}},
		{"streams changed", []Tenant{a2, b}, TenantChanges{Changed: []string{"a"}}},
		{"client changed", []Tenant{a, b2}, TenantChanges{Changed: []string{"b"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := NewEngine(EngineConfig{Tenants: []Tenant{a, b}, Logger: discard()})
			if diff := cmp.Diff(tc.want, e.SetTenants(tc.next)); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			var ids []string
			for _, tn := range e.Tenants() {
				ids = append(ids, tn.ID)
			}
			var want []string
			for _, tn := range tc.next {
				want = append(want, tn.ID)
			}
			if diff := cmp.Diff(want, ids); diff != "" {
				t.Errorf("tenants after (-want +got):\n%s", diff)
			}
		})
	}
}

// writeTenants writes a tenants file of the given ids, all on domain, each
// with the extra YAML lines given for it.
func writeTenants(t *testing.T, path, domain string, ids []string, extra map[string]string) {
	t.Helper()
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, "- id: %s\n  domain: %s\n  token_env: SIM_TOKEN\n%s", id, domain,
			extra[id])
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestReloadWhileRunning runs the daemon on a tenants file, then changes
// the file: the added tenant syncs at once, the removed one stops and keeps
// its checkpoints, the changed one restarts, and a broken file is refused
// with its line while the running set stays.
func TestReloadWhileRunning(t *testing.T) {
	base := simOrg(t, 1, oktasim.OrgConfig{}, oktasim.Faults{})
	path := filepath.Join(t.TempDir(), "tenants.yaml")
	writeTenants(t, path, base.String(), []string{"a", "b"}, nil)
	cfg, err := config.LoadEnv([]string{"TENANTS_FILE=" + path, "SIM_TOKEN=" + simToken,
		"KAFKA_BROKERS=127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	pub := newMemPublisher(t)
	fast := map[string]time.Duration{}
	for _, s := range runOrder {
		fast[s] = 20 * time.Millisecond
	}
	e := NewEngine(EngineConfig{Store: pub.store, Publisher: pub, Logger: discard(),
		Intervals: fast})
	rl := NewReloader(e, AppConfig{Config: cfg})
	if _, err := rl.Reload(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { e.Run(ctx) })
	hup := make(chan os.Signal, 1)
	wg.Go(func() { rl.Watch(ctx, hup, 10*time.Millisecond) })
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	for _, id := range []string{"a", "b"} {
		waitFor(t, "first records of "+id, func() bool { _, ok := pub.firstAt(id); return ok })
	}
	clientA := e.Tenants()[0].Client

	// b goes, c comes, a keeps only the System Log; Watch sees the file.
	writeTenants(t, path, base.String(), []string{"a", "c"},
		map[string]string{"a": "  streams: [activity]\n"})
	waitFor(t, "first records of c", func() bool { _, ok := pub.firstAt("c"); return ok })
	waitFor(t, "a restarted with one stream", func() bool {
		ts := e.Tenants()
		return len(ts) == 2 && len(ts[0].Streams) == 1
	})
	if got := e.Tenants()[0].Client; got != clientA {
		t.Error("got a new client for a, want it kept: its domain and token did not change")
	}
	time.Sleep(50 * time.Millisecond) // b's in-flight batch, if any, ends
	before := pub.batches("b")
	time.Sleep(200 * time.Millisecond) // ten of b's poll intervals
	if got := pub.batches("b"); got != before {
		t.Errorf("got %d batches of b after its removal, want none", got-before)
	}
	_, err = pub.store.Load(ctx, checkpoint.Key{Tenant: "b", Stream: StreamOrganizations})
	if err != nil {
		t.Errorf("loading b's checkpoint after removal: got %v, want it kept", err)
	}

	// A broken file changes nothing, even on SIGHUP.
	if err := os.WriteFile(path, []byte("- id: a\n  domain: \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = rl.Reload()
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("got %v, want the error to name line 2", err)
	}
	hup <- syscall.SIGHUP
	time.Sleep(50 * time.Millisecond)
	var ids []string
	for _, tn := range e.Tenants() {
		ids = append(ids, tn.ID)
	}
	if diff := cmp.Diff([]string{"a", "c"}, ids); diff != "" {
		t.Errorf("tenants after a broken file (-want +got):\n%s", diff)
	}
}
