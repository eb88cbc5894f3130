package connector

import (
	"context"
	"strings"
	"testing"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// TestOrganizationsIdleCycle runs the organizations stream twice on an org
// that did not change: the first run publishes the org, the second reads
// only the org and its domains (the well-known document is kept from the
// first) and publishes nothing.
func TestOrganizationsIdleCycle(t *testing.T) {
	s := newSimEngine(t, oktasim.OrgConfig{Seed: 3, Users: 20, Groups: 3, Apps: 2, Events: 10})
	ctx := context.Background()
	if r := s.engine.RunStream(ctx, s.tenant, StreamOrganizations); r.Err != nil {
		t.Fatalf("first run: %v", r.Err)
	}
	if got := summarize(s.rec.take(), StreamOrganizations); len(got) != 1 {
		t.Fatalf("first run published %d org records, want 1", len(got))
	}
	s.org.ResetRequests()
	if r := s.engine.RunStream(ctx, s.tenant, StreamOrganizations); r.Err != nil {
		t.Fatalf("second run: %v", r.Err)
	}
	if got := summarize(s.rec.take(), StreamOrganizations); len(got) != 0 {
		t.Errorf("idle run published %d org records, want 0", len(got))
	}
	var paths []string
	for _, r := range s.org.Requests() {
		paths = append(paths, r.Path)
		if strings.Contains(r.Path, "well-known") {
			t.Errorf("idle run read %s, want the stored well-known document", r.Path)
		}
	}
	if len(paths) != 2 {
		t.Errorf("idle run made calls %v, want the org and its domains", paths)
	}
}
