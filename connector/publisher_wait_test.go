package connector

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

// TestPublishFailsWhenKafkaStopsAnswering: the broker dies after the topics
// exist; the idempotent producer never fails a record on its own, so the
// publisher's stall timeout must end the batch with words, leave the
// checkpoint where it was, and return within seconds.
func TestPublishFailsWhenKafkaStopsAnswering(t *testing.T) {
	cluster := kafkatest.Fake(t)
	tp := newTestPublisher(t, cluster.ListenAddrs(), true, 0)
	tp.pub.ackStall = 2 * time.Second
	cluster.Close()

	cp := checkpoint.Checkpoint{Tenant: "t1", Stream: StreamEmployees, Cursor: "moved"}
	b := Batch{Tenant: "t1", Records: []Record{Tombstone(StreamEmployees, "t1/00u1")},
		Checkpoints: []checkpoint.Checkpoint{cp}}
	start := time.Now()
	err := tp.pub.Publish(context.Background(), b)
	took := time.Since(start)
	if err == nil {
		t.Fatal("got no error with the broker gone, want one")
	}
	if !strings.Contains(err.Error(), "no acknowledgement from Kafka") {
		t.Errorf("got %q, want words saying Kafka stopped answering", err)
	}
	if took > 15*time.Second {
		t.Errorf("Publish took %s, want about the 2 s stall timeout", took)
	}
	_, lerr := tp.store.Load(context.Background(),
		checkpoint.Key{Tenant: "t1", Stream: StreamEmployees})
	if !errors.Is(lerr, checkpoint.ErrNotFound) {
		t.Errorf("got checkpoint load error %v, want not found: the checkpoint moved", lerr)
	}
}
