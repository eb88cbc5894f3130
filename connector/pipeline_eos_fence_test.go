package connector_test

import (
	"bufio"
	"encoding/json"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/pipelinetest"
	"github.com/okta-connector/okta-connector/schemas"
)

// fenceTxnDelay holds each of the first instance's transactions open
// long enough to stop it inside one; the second instance, with no delay,
// syncs the whole org well before the broker's 30 s transaction timeout
// would abort that transaction by itself.
const fenceTxnDelay = 5 * time.Second

// fencedLine is what the transactional publisher logs when the broker
// refuses its commit because another instance took the shard.
const fencedLine = "another instance took the shard; transaction not committed"

// fenceOrg syncs in a second or two without the delay.
var fenceOrg = pipelinetest.SimConfig{Seed: 29, Users: 2000, Groups: 10, Apps: 4,
	Events: 5000, LookBack: 48 * time.Hour, RateLimitsOff: true}

// TestPipelineFencedInstanceCannotCommit is issue 5 Must-show 3: a `sync`
// with the Kafka store, stopped with SIGSTOP inside an open transaction
// whose records the broker already holds; a second instance with the
// same configuration claims the shards (fencing the first) and syncs the
// org; the first, resumed with SIGCONT, is refused its commit (fenced)
// and fails; a read_committed consumer finds every user key and event
// uuid exactly once, so none of the first instance's open transaction.
func TestPipelineFencedInstanceCannotCommit(t *testing.T) {
	w := newWorld(t, fenceOrg)
	org := w.replica(t, 0)
	txnID := w.txnID()
	first := pipelinetest.Start(t, w.kafkaEnv(fenceTxnDelay), "sync")
	open := waitForOpenTxn(t, w, first, txnID)
	if err := first.Signal(syscall.SIGSTOP); err != nil {
		t.Fatalf("sending SIGSTOP: %v", err)
	}
	t.Cleanup(func() { _ = first.Signal(syscall.SIGCONT) })
	t.Logf("first instance stopped inside transaction %s (producer %d, epoch %d)", txnID,
		open.ProducerID, open.Epoch)
	t.Logf("it wrote to %q", open.Topics)

	asOf := time.Now()
	w.syncEnv(t, w.kafkaEnv(0))
	if now := pipelinetest.DescribeTxn(t, w.brokers, txnID); now.ProducerID == open.ProducerID &&
		now.Epoch <= open.Epoch {
		t.Errorf("second instance left producer %d at epoch %d; want it fenced past %d",
			now.ProducerID, now.Epoch, open.Epoch)
	}

	if err := first.Signal(syscall.SIGCONT); err != nil {
		t.Fatalf("sending SIGCONT: %v", err)
	}
	if !first.WaitFor(time.Minute) {
		t.Fatalf("first instance still running a minute after SIGCONT\nstderr (tail):\n%s",
			pipelinetest.Tail(first.Stderr(), 20))
	}
	checkFenced(t, first)
	checkExactlyOnce(t, w, org, asOf)
}

// waitForOpenTxn waits until p has a transaction open on txnID that
// wrote users or events, whose records are all acknowledged (the hook's
// wait before the commit has begun), at most a minute, and returns its
// state.
func waitForOpenTxn(t *testing.T, w world, p *pipelinetest.Proc,
	txnID string) pipelinetest.Txn {
	t.Helper()
	want := []string{w.prefix + schemas.Employees, w.prefix + schemas.Activity}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) && !p.Exited() {
		s := pipelinetest.DescribeTxn(t, w.brokers, txnID)
		if s.Open && slices.ContainsFunc(s.Topics, func(tp string) bool {
			return slices.Contains(want, tp)
		}) {
			// The hook's wait starts once every record was acknowledged,
			// moments after the transaction opened; it lasts seconds.
			time.Sleep(fenceTxnDelay / 5)
			return s
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no transaction of users or events open on %s within a minute "+
		"(exited: %t)\nstderr (tail):\n%s", txnID, p.Exited(),
		pipelinetest.Tail(p.Stderr(), 20))
	return pipelinetest.Txn{}
}

// checkFenced: the first instance failed, and said why: its commit was
// refused because another instance took the shard.
func checkFenced(t *testing.T, p *pipelinetest.Proc) {
	t.Helper()
	if p.ExitCode() == 0 {
		t.Errorf("fenced instance: got exit status 0, want a failure")
	}
	fenced := 0
	sc := bufio.NewScanner(strings.NewReader(p.Stderr()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l logLine
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == fencedLine {
			fenced++
		}
	}
	if fenced == 0 {
		t.Errorf("fenced instance never logged %q\nstderr (tail):\n%s", fencedLine,
			pipelinetest.Tail(p.Stderr(), 20))
	}
}
