package connector_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/internal/pipelinetest"
	"github.com/okta-connector/okta-connector/schemas"
)

// Kill loop sizes: an org whose unthrottled sync takes a few seconds, at
// least minKills SIGKILLs that land while sync runs, at most maxRuns
// attempts, and kill delays drawn up to maxKillDelay (a fraction of one
// sync, so the kills land all along its progress rather than only near
// its start).
const (
	minKills     = 10
	maxRuns      = 40
	maxKillDelay = 600 * time.Millisecond
)

var killOrg = pipelinetest.SimConfig{Seed: 7, Users: 12000, Groups: 20, Apps: 8,
	Events: 80000, LookBack: 48 * time.Hour, RateLimitsOff: true}

// TestPipelineKillLoop is issue 3 Must-show 3: `sync` killed with SIGKILL at
// random moments, restarted after each kill, then run to a clean end, loses
// nothing: every key of every stream and every event of the org is on
// Kafka. The file store allows repeats (at most the batches in flight);
// they are counted and logged.
func TestPipelineKillLoop(t *testing.T) {
	w := newWorld(t, killOrg)
	org := w.replica(t, 0)
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill delays seeded with %d", seed)
	r := rand.New(rand.NewPCG(seed, 3))
	var ran time.Duration
	kills, runs := 0, 0
	for ; kills < minKills && runs < maxRuns; runs++ {
		delay := time.Duration(r.Int64N(int64(maxKillDelay)))
		p := pipelinetest.Start(t, w.env(), "sync")
		started := time.Now()
		if p.WaitFor(delay) {
			ran += time.Since(started)
			if err := p.Err(); err != nil {
				t.Fatalf("sync run %d ended by itself with %v\nstderr (tail):\n%s", runs, err,
					pipelinetest.Tail(p.Stderr(), 20))
			}
			continue
		}
		if p.Kill() {
			kills++
			t.Logf("kill %d: after %v of this run, %v of sync time in all", kills,
				delay.Round(time.Millisecond), (ran + delay).Round(time.Millisecond))
		}
		ran += time.Since(started)
	}
	if kills < minKills {
		t.Fatalf("got %d kills in %d runs, want at least %d", kills, runs, minKills)
	}
	asOf := time.Now()
	w.sync(t)
	checkNothingLost(t, w, org, asOf)
}

// checkNothingLost: every key and event uuid of the truth is on Kafka and
// no tombstone (nothing was deleted); repeats are counted and logged.
func checkNothingLost(t *testing.T, w world, org *oktasim.Org, asOf time.Time) {
	t.Helper()
	keys, uuids := truthKeys(org, w.tenant, asOf)
	got := w.read(t)
	for _, s := range schemas.Streams() {
		upserts, tombs := got.Keys(s)
		missing := 0
		for k := range keys[s] {
			if !upserts[k] {
				missing++
			}
		}
		if missing > 0 {
			t.Errorf("%s: %d of %d keys missing", s, missing, len(keys[s]))
		}
		if len(tombs) > 0 {
			t.Errorf("%s: got %d tombstones, want none", s, len(tombs))
		}
		if s != schemas.Activity {
			t.Logf("%s: %d records for %d keys (%d repeats)", s, len(got[s]), len(upserts),
				len(got[s])-len(upserts))
		}
	}
	published := got.EventUUIDs()
	missing := 0
	for u := range uuids {
		if published[u] == 0 {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("activity: %d of %d events missing", missing, len(uuids))
	}
	t.Logf("activity: %d records for %d events (%d repeats)", len(got[schemas.Activity]),
		len(published), len(got[schemas.Activity])-len(published))
}
