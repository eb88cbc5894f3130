package connector_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/internal/pipelinetest"
	"github.com/okta-connector/okta-connector/schemas"
)

// scaleOrg is one of the scale-out test's orgs: large enough that a first
// sync, its transactions held open scaleTxnDelay each, is still running
// when the group has settled.
var scaleOrg = pipelinetest.SimConfig{Seed: 41, Users: 2000, Groups: 10, Apps: 5,
	Events: 15000, LookBack: 48 * time.Hour, RateLimitsOff: true, Orgs: 6}

const (
	scaleInstances = 3
	scaleTxnDelay  = 150 * time.Millisecond
	// scaleSettle bounds the wait for the group's first assignment and for
	// the survivors' takeover; scaleFinish the wait for every tenant's
	// first sync to be committed.
	scaleSettle = time.Minute
	scaleFinish = 3 * time.Minute
	// activityPoll is the System Log poll interval of the run, so events
	// persisted more than activityGrace before the stop were all read.
	activityPoll  = time.Second
	activityGrace = 5 * time.Second
)

// TestPipelineScaleOut is issue 6 Must-show 2: three `run` instances with
// the Kafka store share six tenants through the group; one is killed
// with SIGKILL while its tenants sync; the other two take its shards
// over, and a read_committed reader finds every user key and every event
// uuid of every tenant exactly once, and every key of the other streams.
func TestPipelineScaleOut(t *testing.T) {
	w := newWorld(t, scaleOrg)
	tenants := map[string]*oktasim.Org{}
	for i := range scaleOrg.Orgs {
		tenants[fmt.Sprintf("org-%d", i)] = w.replica(t, i)
	}
	env := w.scaleEnv(t)
	procs := make([]*pipelinetest.Proc, scaleInstances)
	for i := range procs {
		procs[i] = pipelinetest.Start(t, env, "run")
	}
	owned := waitOwned(t, procs, scaleSettle)
	victim := busiest(owned, slices.Collect(maps.Keys(tenants)))
	if !procs[victim].Kill() {
		t.Fatalf("instance %d ended before the kill\nstderr (tail):\n%s", victim,
			pipelinetest.Tail(procs[victim].Stderr(), 20))
	}
	killed := time.Now()
	checkMidSync(t, w, tenants, onShards(owned[victim], tenants))

	survivors := slices.Delete(slices.Clone(procs), victim, victim+1)
	waitOwned(t, survivors, scaleSettle)
	t.Logf("survivors own every shard %v after the kill (session timeout %v)",
		time.Since(killed).Round(time.Millisecond), connector.DefaultSessionTimeout)
	waitFinished(t, w, tenants, scaleFinish)
	for _, p := range survivors {
		stopRun(t, p)
		checkNotFenced(t, p)
	}
	stopped := time.Now()
	got := w.read(t)
	for id, org := range tenants {
		checkTenantOnce(t, got, id, org, stopped)
	}
}

// scaleEnv is the environment of the scale-out instances: the Kafka store,
// a tenants file of the six orgs, Info logs (shard moves), a short System
// Log poll and every commit held back by scaleTxnDelay.
func (w world) scaleEnv(t *testing.T) pipelinetest.Env {
	t.Helper()
	var text strings.Builder
	for i, u := range w.sim.URLs {
		fmt.Fprintf(&text, "- id: org-%d\n  domain: %s\n  token_env: OKTA_TOKEN\n", i, u)
	}
	file := filepath.Join(t.TempDir(), "tenants.yaml")
	if err := os.WriteFile(file, []byte(text.String()), 0o600); err != nil {
		t.Fatalf("writing the tenants file: %v", err)
	}
	env := w.kafkaEnv(scaleTxnDelay)
	for _, k := range []string{"OKTA_DOMAIN", "TENANT_ID", "OKTA_API_TOKEN"} {
		delete(env, k)
	}
	env["TENANTS_FILE"], env["OKTA_TOKEN"] = file, w.cfg.Token
	env["LOG_LEVEL"] = "info"
	env["ACTIVITY_POLL_INTERVAL"] = activityPoll.String()
	return env
}

// shardLine is a log line of a shard move.
type shardLine struct {
	Msg   string `json:"msg"`
	Owned []int  `json:"owned"`
}

// lastOwned returns the shards p said it owns in its last shard move, and
// whether it said so yet.
func lastOwned(p *pipelinetest.Proc) ([]int, bool) {
	var owned []int
	seen := false
	sc := bufio.NewScanner(strings.NewReader(p.Stderr()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l shardLine
		if json.Unmarshal(sc.Bytes(), &l) != nil || l.Owned == nil {
			continue
		}
		owned, seen = l.Owned, true
	}
	return owned, seen
}

// waitOwned waits until every one of procs owns some shards and together
// they own each shard exactly once, and returns each one's shards.
func waitOwned(t *testing.T, procs []*pipelinetest.Proc, d time.Duration) [][]int {
	t.Helper()
	deadline := time.Now().Add(d)
	var why string
	for time.Now().Before(deadline) {
		out, reason := ownedOnce(procs)
		if reason == "" {
			return out
		}
		why = reason
		time.Sleep(200 * time.Millisecond)
	}
	for i, p := range procs {
		t.Logf("instance %d stderr (tail):\n%s", i, pipelinetest.Tail(p.Stderr(), 10))
	}
	t.Fatalf("instances not settled after %v: %s", d, why)
	return nil
}

func ownedOnce(procs []*pipelinetest.Proc) ([][]int, string) {
	out := make([][]int, len(procs))
	seen := map[int]int{}
	for i, p := range procs {
		if p.Exited() {
			return nil, fmt.Sprintf("instance %d exited", i)
		}
		owned, ok := lastOwned(p)
		if !ok || len(owned) == 0 {
			return nil, fmt.Sprintf("instance %d owns no shard yet", i)
		}
		for _, n := range owned {
			if j, dup := seen[n]; dup {
				return nil, fmt.Sprintf("shard %d owned by instances %d and %d", n, j, i)
			}
			seen[n] = i
		}
		out[i] = owned
	}
	if len(seen) != connector.DefaultShards {
		return nil, fmt.Sprintf("%d of %d shards owned", len(seen), connector.DefaultShards)
	}
	return out, ""
}

// busiest returns the instance whose shards hold the most tenants.
func busiest(owned [][]int, tenants []string) int {
	best, most := 0, -1
	for i, shards := range owned {
		n := 0
		for _, id := range tenants {
			if slices.Contains(shards, connector.ShardOf(id, connector.DefaultShards)) {
				n++
			}
		}
		if n > most {
			best, most = i, n
		}
	}
	return best
}

// onShards returns the tenants whose shard is one of shards.
func onShards(shards []int, tenants map[string]*oktasim.Org) []string {
	var out []string
	for id := range tenants {
		if slices.Contains(shards, connector.ShardOf(id, connector.DefaultShards)) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// committed counts the committed employee and activity records per
// tenant, without decoding them (keys start with the tenant id).
func committed(t *testing.T, w world) (employees, events map[string]int) {
	t.Helper()
	employees, events = map[string]int{}, map[string]int{}
	for _, r := range kafkatest.Consume(t, w.brokers, []string{
		w.prefix + schemas.Employees, w.prefix + schemas.Activity}) {
		tenant, _, _ := strings.Cut(string(r.Key), "/")
		if r.Topic == w.prefix+schemas.Employees {
			employees[tenant]++
		} else {
			events[tenant]++
		}
	}
	return employees, events
}

// eventsUpTo returns the uuids of org's events persisted by asOf.
func eventsUpTo(org *oktasim.Org, asOf time.Time) map[string]bool {
	out := map[string]bool{}
	for e := range org.Events() {
		if !e.Persisted.After(asOf) {
			out[e.UUID] = true
		}
	}
	return out
}

// checkMidSync fails t unless the killed instance's tenants were still
// syncing: at least one of them has fewer committed users or events than
// its org holds.
func checkMidSync(t *testing.T, w world, tenants map[string]*oktasim.Org, ids []string) {
	t.Helper()
	if len(ids) == 0 {
		t.Fatalf("the killed instance ran no tenant; the test proves nothing")
	}
	users, events := committed(t, w)
	unfinished := 0
	for _, id := range ids {
		org := tenants[id]
		want := len(eventsUpTo(org, time.Now().Add(-activityGrace)))
		t.Logf("killed instance's tenant %s: %d of %d users, %d of %d events committed",
			id, users[id], len(org.Users()), events[id], want)
		if users[id] < len(org.Users()) || events[id] < want {
			unfinished++
		}
	}
	if unfinished == 0 {
		t.Fatalf("the kill landed after the killed instance's tenants %v finished syncing", ids)
	}
}

// waitFinished waits until every tenant's users and events are committed.
func waitFinished(t *testing.T, w world, tenants map[string]*oktasim.Org, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		users, events := committed(t, w)
		var behind []string
		for id, org := range tenants {
			want := len(eventsUpTo(org, time.Now().Add(-activityGrace)))
			if users[id] < len(org.Users()) || events[id] < want {
				behind = append(behind, fmt.Sprintf("%s (%d users, %d events)", id,
					users[id], events[id]))
			}
		}
		if len(behind) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("tenants still syncing after %v: %v", d, behind)
		}
		time.Sleep(2 * time.Second)
	}
}

// checkNotFenced fails t if p logged that another instance fenced it out
// of a shard: p was alive throughout, so that would mean two owners.
func checkNotFenced(t *testing.T, p *pipelinetest.Proc) {
	t.Helper()
	if strings.Contains(p.Stderr(), "took a checkpoint shard") {
		t.Errorf("a surviving instance was fenced out of a shard: two owners at once\n%s",
			pipelinetest.Tail(p.Stderr(), 20))
	}
}

// checkTenantOnce: among got's committed records, every user key and
// every event uuid of the tenant's org appears exactly once (events
// persisted within activityGrace of the stop may be missing, none
// persisted after it may appear); every key of the other streams is
// there and none is tombstoned.
func checkTenantOnce(t *testing.T, got pipelinetest.Topics, tenant string,
	org *oktasim.Org, stopped time.Time) {
	t.Helper()
	keys, _ := truthKeys(org, tenant, stopped)
	perKey := map[string]int{}
	for _, r := range got[schemas.Employees] {
		if strings.HasPrefix(r.Key, tenant+"/") {
			perKey[r.Key]++
		}
	}
	checkOnce(t, tenant+" employees: key", keys[schemas.Employees], perKey)

	uuids := map[string]int{}
	for _, r := range got[schemas.Activity] {
		if e, ok := r.Value.(*schemas.ActivityEvent); ok && r.Key == tenant {
			uuids[e.UUID]++
		}
	}
	surely, maybe := eventsUpTo(org, stopped.Add(-activityGrace)), eventsUpTo(org, stopped)
	missing, repeated, unknown := 0, 0, 0
	for u := range surely {
		if uuids[u] == 0 {
			missing++
		}
	}
	for u, n := range uuids {
		if n > 1 {
			repeated++
		}
		if !maybe[u] {
			unknown++
		}
	}
	if missing+repeated+unknown > 0 {
		t.Errorf("%s activity: of %d events, got %d missing, %d repeated, %d unknown",
			tenant, len(surely), missing, repeated, unknown)
	}
	for _, s := range schemas.Streams() {
		if s == schemas.Employees || s == schemas.Activity {
			continue
		}
		upserts, tombs := got.Keys(s)
		for k := range keys[s] {
			if !upserts[k] {
				t.Errorf("%s %s: key %q missing", tenant, s, k)
				break
			}
		}
		for k := range tombs {
			if strings.HasPrefix(k, tenant) {
				t.Errorf("%s %s: got tombstone %q, want none", tenant, s, k)
				break
			}
		}
	}
}
