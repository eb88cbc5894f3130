package connector

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/connector/admin"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/metrics"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// TestReloadKeepsRunningTenantWhoseTokenGoes: a running tenant whose token
// file disappears (say, mid-rotation) keeps its client and runs on, shown
// as config_error; once it leaves the tenants file, the board and the
// metrics forget it.
func TestReloadKeepsRunningTenantWhoseTokenGoes(t *testing.T) {
	base := simOrg(t, 1, oktasim.OrgConfig{}, oktasim.Faults{})
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "a-token")
	must(t, os.WriteFile(tokenFile, []byte(simToken), 0o600))
	path := filepath.Join(dir, "tenants.yaml")
	writeTenants(t, path, base.String(), []string{"b"}, nil)
	a := "- id: a\n  domain: " + base.String() + "\n  token_file: " + tokenFile + "\n"
	appendFile(t, path, a)
	cfg, err := config.LoadEnv([]string{"TENANTS_FILE=" + path, "SIM_TOKEN=" + simToken})
	if err != nil {
		t.Fatal(err)
	}
	board := admin.NewStatusBoard(nil)
	ac := AppConfig{Config: cfg, Board: board, Logger: discard(),
		Metrics: metrics.New(metrics.Options{NoRuntime: true})}
	e := NewEngine(EngineConfig{Logger: discard()})
	rl := NewReloader(e, ac)
	if _, err := rl.Reload(); err != nil {
		t.Fatal(err)
	}
	clientA := e.Tenants()[1].Client

	must(t, os.Remove(tokenFile))
	ch, err := rl.Reload()
	if err != nil {
		t.Fatalf("Reload with a's token gone: got %v, want no error", err)
	}
	if !ch.Empty() || e.Tenants()[1].Client != clientA {
		t.Errorf("got changes %+v, a's client kept %v; want none and kept",
			ch, e.Tenants()[1].Client == clientA)
	}
	states := func() map[string]admin.State {
		out := map[string]admin.State{}
		for _, ts := range board.Snapshot().Tenants {
			out[ts.Tenant] = ts.State
		}
		return out
	}
	want := map[string]admin.State{"a": admin.StateConfigError}
	if diff := cmp.Diff(want, states()); diff != "" {
		t.Errorf("board (-want +got):\n%s", diff)
	}

	writeTenants(t, path, base.String(), []string{"b"}, nil)
	ch, err = rl.Reload()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(TenantChanges{Removed: []string{"a"}}, ch); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]admin.State{}, states()); diff != "" {
		t.Errorf("board after a left (-want +got):\n%s", diff)
	}
	if rl.retrying() {
		t.Error("retrying after a left: got true, want false")
	}
}

// appendFile adds text to the end of the file at path.
func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	must(t, f.Close())
}
