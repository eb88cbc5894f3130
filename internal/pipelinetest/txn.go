package pipelinetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/schemas"
)

// adminTimeout bounds one admin request of this file's helpers.
const adminTimeout = 30 * time.Second

// Txn is what the broker says of one transactional id.
type Txn struct {
	// Open is set while a transaction is begun and not yet ended
	// (Ongoing), or between its end request and its markers (Prepare…).
	Open bool
	// ProducerID and Epoch identify the producer session; a new owner's
	// claim, and on brokers with KIP-890 every end, changes them.
	ProducerID int64
	Epoch      int16
	// Started is the broker's start time of the open transaction.
	Started time.Time
	// Topics are the topics the open transaction wrote to.
	Topics []string
}

// DescribeTxn returns the broker's state of transactional id. Asked right
// after the only process using id was killed with SIGKILL, it tells
// whether the kill landed inside a transaction: the broker keeps it open
// until its timeout or the id's next owner aborts it. Compare with the
// state before the process started, since a process killed before it
// claimed the id leaves its predecessor's transaction as it was.
func DescribeTxn(t testing.TB, brokers []string, id string) Txn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatalf("creating a kafka client of %q: %v", brokers, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	for {
		d, err := describeTxn(ctx, adm, id)
		switch {
		case errors.Is(err, kerr.TransactionalIDNotFound):
			return Txn{} // never used yet
		case err == nil:
			return d
		case !kerr.IsRetriable(err) || ctx.Err() != nil:
			t.Fatalf("describing transaction %q: %v", id, err)
		}
		// A fresh broker answers COORDINATOR_NOT_AVAILABLE until its
		// transaction state topic exists.
		time.Sleep(100 * time.Millisecond)
	}
}

func describeTxn(ctx context.Context, adm *kadm.Client, id string) (Txn, error) {
	described, err := adm.DescribeTransactions(ctx, id)
	if err != nil {
		return Txn{}, err
	}
	d, ok := described[id]
	if !ok {
		return Txn{}, errors.New("not in the answer")
	}
	if d.Err != nil {
		return Txn{}, d.Err
	}
	out := Txn{ProducerID: d.ProducerID, Epoch: d.ProducerEpoch}
	switch d.State {
	case "Ongoing", "PrepareCommit", "PrepareAbort", "PrepareEpochFence":
		out.Open = true
		out.Started = time.UnixMilli(d.StartTimestamp)
		out.Topics = d.Topics.Topics()
	}
	return out, nil
}

// RecordCounts returns how many records each stream's topic under prefix
// holds for a reader of the given isolation, transaction markers left
// out. Read uncommitted, the count includes what aborted transactions
// wrote; the difference with the committed count is that. Both stop at
// the last stable offset, so call it when no transaction is open.
func RecordCounts(t testing.TB, brokers []string, prefix string,
	committed bool) map[string]int {
	t.Helper()
	iso := kgo.ReadUncommitted()
	if committed {
		iso = kgo.ReadCommitted()
	}
	topicStream := map[string]string{}
	var topics []string
	for _, s := range schemas.Published() {
		topicStream[prefix+s] = s
		topics = append(topics, prefix+s)
	}
	out := map[string]int{}
	for _, r := range kafkatest.Consume(t, brokers, topics, kgo.FetchIsolationLevel(iso)) {
		out[topicStream[r.Topic]]++
	}
	return out
}
