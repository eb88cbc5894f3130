package connector

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// After a pass, a different user gets a lastUpdated equal to the stored
// watermark: the next pass publishes that user and not the unchanged users
// already at the watermark (Okta's ge bound, API.md §4.3).
func TestWatermarkTie(t *testing.T) {
	clock := oktasim.NewManualClock(time.Now().UTC())
	s := newSimEngine(t, oktasim.OrgConfig{Seed: 3, Users: 150, Groups: 5, Apps: 3,
		Events: 50, Clock: clock})
	s.syncOnce(t)
	s.rec.take()

	cp, err := s.tp.store.Load(context.Background(),
		checkpoint.Key{Tenant: "sim", Stream: StreamEmployees})
	if err != nil {
		t.Fatalf("loading the employees checkpoint: %v", err)
	}
	wm := cp.Watermark
	var atWatermark []string
	tied := ""
	for _, u := range s.org.Users() {
		switch {
		case u.LastUpdated.Equal(wm):
			atWatermark = append(atWatermark, u.ID)
		case tied == "" && u.Status == "ACTIVE":
			tied = u.ID
		}
	}
	if len(atWatermark) == 0 {
		t.Fatalf("no user has lastUpdated %v, the stored watermark", wm)
	}
	clock.Set(wm)
	must(t, s.org.UpdateUser(tied, map[string]any{"title": "Tied"}))
	if u, _ := s.org.User(tied); !u.LastUpdated.Equal(wm) {
		t.Fatalf("user %s lastUpdated: got %v, want the watermark %v", tied,
			u.LastUpdated, wm)
	}
	clock.Set(time.Now().UTC())

	s.syncOnce(t)
	want := []published{{StreamEmployees, EntityKey("sim", tied), "ACTIVE", false}}
	if diff := cmp.Diff(want, summarize(s.rec.take(), StreamEmployees)); diff != "" {
		t.Errorf("employees of the second pass, %d unchanged users at the watermark "+
			"(-want +got):\n%s", len(atWatermark), diff)
	}
}
