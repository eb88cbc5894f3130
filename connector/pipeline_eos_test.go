package connector_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/internal/pipelinetest"
	"github.com/okta-connector/okta-connector/schemas"
)

// Sizes of the Kafka store's kill loop: at least eosKills SIGKILLs that
// land while sync runs, at most eosRuns attempts, kill delays drawn up to
// eosKillDelay, and every transaction held open eosTxnDelay before its
// commit (connector.TestTxnDelayEnv), so that a good share of the kills
// land inside one.
const (
	eosKills     = 20
	eosRuns      = 60
	eosKillDelay = 1200 * time.Millisecond
	eosTxnDelay  = 75 * time.Millisecond
)

// eosOrg is large enough that the kills all land inside its first full
// sync, and small enough to read back in seconds.
var eosOrg = pipelinetest.SimConfig{Seed: 17, Users: 6000, Groups: 20, Apps: 8,
	Events: 30000, LookBack: 48 * time.Hour, RateLimitsOff: true}

// TestPipelineKafkaStoreKillLoop is issue 5 Must-show 1: `sync` with the
// Kafka checkpoint store, killed with SIGKILL at random moments (some
// inside open transactions), restarted after each kill, then run to a
// clean end: a read_committed consumer finds every user key and every
// event uuid exactly once, and every key of the other streams.
func TestPipelineKafkaStoreKillLoop(t *testing.T) {
	w := newWorld(t, eosOrg)
	org := w.replica(t, 0)
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill delays seeded with %d", seed)
	r := rand.New(rand.NewPCG(seed, 5))
	env := w.kafkaEnv(eosTxnDelay)
	txnID := w.txnID()
	kills, inTxn, runs := 0, 0, 0
	for ; kills < eosKills && runs < eosRuns; runs++ {
		delay := time.Duration(r.Int64N(int64(eosKillDelay)))
		before := pipelinetest.DescribeTxn(t, w.brokers, txnID)
		p := pipelinetest.Start(t, env, "sync")
		if p.WaitFor(delay) {
			if err := p.Err(); err != nil {
				t.Fatalf("sync run %d ended by itself with %v\nstderr (tail):\n%s", runs, err,
					pipelinetest.Tail(p.Stderr(), 20))
			}
			continue
		}
		if !p.Kill() {
			continue
		}
		kills++
		// A run killed before it claimed the shard leaves the state as it
		// was; only a transaction of this run's producer session counts.
		after := pipelinetest.DescribeTxn(t, w.brokers, txnID)
		open := after.Open && !sameSession(after, before)
		if open {
			inTxn++
		}
		t.Logf("kill %d after %v: transaction open %t %v", kills,
			delay.Round(time.Millisecond), open, w.streamsOf(after.Topics))
	}
	if kills < eosKills {
		t.Fatalf("got %d kills in %d runs, want at least %d", kills, runs, eosKills)
	}
	t.Logf("%d kills in %d runs, %d of them inside an open transaction", kills, runs, inTxn)
	if inTxn == 0 {
		t.Errorf("no kill landed inside an open transaction; the test proves too little")
	}
	asOf := time.Now()
	w.syncEnv(t, w.kafkaEnv(0))
	checkExactlyOnce(t, w, org, asOf)
}

// sameSession reports whether a and b are the same transaction of the
// same producer session.
func sameSession(a, b pipelinetest.Txn) bool {
	return a.ProducerID == b.ProducerID && a.Epoch == b.Epoch && a.Started.Equal(b.Started)
}

// streamsOf names the streams of topics under the world's prefix, the
// checkpoint topic included.
func (w world) streamsOf(topics []string) []string {
	var out []string
	for _, tp := range topics {
		out = append(out, strings.TrimPrefix(tp, w.prefix))
	}
	return out
}

// kafkaEnv is the world's environment with the Kafka checkpoint store
// and, when txnDelay is not zero, every commit held back by it.
func (w world) kafkaEnv(txnDelay time.Duration) pipelinetest.Env {
	env := w.env()
	env["CHECKPOINT_STORE"] = "kafka"
	delete(env, "CHECKPOINT_DIR")
	if txnDelay > 0 {
		env[connector.TestTxnDelayEnv] = txnDelay.String()
	}
	return env
}

// txnID is the transactional id of the world's tenant's shard, with the
// default shard count and the id prefix the connector derives from the
// world's checkpoint topic.
func (w world) txnID() string {
	shard := connector.ShardOf(w.tenant, connector.DefaultShards)
	return connector.TxnIDPrefix(w.prefix+"checkpoints") + strconv.Itoa(shard)
}

// syncEnv runs `okta-connector sync` with env to its end and fails t
// unless it exits 0.
func (w world) syncEnv(t *testing.T, env pipelinetest.Env) *pipelinetest.Proc {
	t.Helper()
	start := time.Now()
	p := pipelinetest.Run(t, syncTimeout, env, "sync")
	if err := p.Err(); err != nil {
		t.Fatalf("okta-connector sync: %v\nstdout:\n%s\nstderr (tail):\n%s", err, p.Stdout(),
			pipelinetest.Tail(p.Stderr(), 30))
	}
	t.Logf("okta-connector sync took %v", time.Since(start).Round(time.Millisecond))
	return p
}

// checkExactlyOnce: among the committed records, every event uuid of the
// truth and every key of every stream appears exactly once and nothing
// else does, none tombstoned, as DESIGN §5 promises for the Kafka store;
// what aborted transactions wrote (seen read_uncommitted) is logged.
func checkExactlyOnce(t *testing.T, w world, org *oktasim.Org, asOf time.Time) {
	t.Helper()
	keys, uuids := truthKeys(org, w.tenant, asOf)
	got := w.read(t)
	checkOnce(t, "activity: event", uuids, got.EventUUIDs())
	for _, s := range schemas.Streams() {
		if s == schemas.Activity {
			continue
		}
		perKey, tombs := map[string]int{}, 0
		for _, r := range got[s] {
			if r.Value == nil {
				tombs++
				continue
			}
			perKey[r.Key]++
		}
		checkOnce(t, s+": key", keys[s], perKey)
		if tombs > 0 {
			t.Errorf("%s: got %d tombstones, want none", s, tombs)
		}
		t.Logf("%s: %d committed records for %d keys (%d repeats)", s, len(got[s]),
			len(perKey), len(got[s])-tombs-len(perKey))
	}
	committed := pipelinetest.RecordCounts(t, w.brokers, w.prefix, true)
	all := pipelinetest.RecordCounts(t, w.brokers, w.prefix, false)
	for _, s := range schemas.Published() {
		t.Logf("%s: %d committed records, %d more written by aborted transactions", s,
			committed[s], all[s]-committed[s])
	}
}

// checkOnce: every item of want was counted exactly once, and nothing
// outside want was counted.
func checkOnce(t *testing.T, what string, want map[string]bool, got map[string]int) {
	t.Helper()
	missing, repeated, extra := 0, 0, 0
	for k := range want {
		switch n := got[k]; {
		case n == 0:
			missing++
		case n > 1:
			repeated++
			if repeated <= 3 {
				t.Errorf("%s %q: got %d records, want 1", what, k, n)
			}
		}
	}
	for k := range got {
		if !want[k] {
			extra++
		}
	}
	if missing+repeated+extra > 0 {
		t.Errorf("%ss: of %d, got %d missing and %d repeated; %d unknown ones", what,
			len(want), missing, repeated, extra)
	}
}
