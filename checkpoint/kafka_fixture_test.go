package checkpoint

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

// fixtureV1 is a checkpoint topic written with version 1 of every value:
// checkpoints, an inline set, a chunked set, a tombstone and an audit
// entry. It is frozen: a later format must keep reading it.
const fixtureV1 = "testdata/kafka-topic-v1.jsonl"

// readFixture returns the fixture's records in topic order; a JSON null
// value is a tombstone.
func readFixture(t *testing.T, topic string) []*kgo.Record {
	t.Helper()
	f, err := os.Open(fixtureV1)
	if err != nil {
		t.Fatalf("opening fixture: %v", err)
	}
	defer f.Close()
	var recs []*kgo.Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var line struct {
			Key   string          `json:"key"`
			Value json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("decoding fixture line %d: %v", len(recs)+1, err)
		}
		r := &kgo.Record{Topic: topic, Key: []byte(line.Key)}
		if string(line.Value) != "null" {
			r.Value = line.Value
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading fixture: %v", err)
	}
	return recs
}

func TestKafkaStoreReadsV1Topic(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := testTopic(t)
	openKafka(t, brokers, topic).Close() // creates the topic
	ctx := testCtx(t)
	cl := kafkatest.NewClient(t, brokers)
	if err := cl.ProduceSync(ctx, readFixture(t, topic)...).FirstErr(); err != nil {
		t.Fatalf("producing fixture: %v", err)
	}
	s := openKafka(t, brokers, topic)

	ts := func(v string) time.Time {
		at, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			t.Fatalf("parsing %q: %v", v, err)
		}
		return at
	}
	want := []Checkpoint{
		{Version: 1, Tenant: "acme.okta.com", Stream: "activity",
			Cursor:        "https://acme.okta.com/api/v1/logs?after=1700000000000_1&limit=1000",
			LastPublished: ts("2026-11-30T10:15:00.123Z"),
			LastUUID:      "7f1e2d3c-0000-4000-8000-000000000001",
			LastSuccess:   ts("2026-11-30T10:16:00Z"), UpdatedAt: ts("2026-11-30T10:16:00.5Z"),
			Extra: map[string]string{"recent_uuids": "7f1e2d3c-0000-4000-8000-000000000001"}},
		{Version: 1, Tenant: "acme.okta.com", Stream: "employees",
			Watermark: ts("2026-11-30T09:00:00Z"), AtWatermark: []string{"00u1@1764493200000#ab12"},
			Snapshot: &Snapshot{ID: "snap-1", Cursor: "00u9",
				StartedAt: ts("2026-11-30T08:00:00Z"), Records: 400},
			LastFullSync: ts("2026-11-29T08:00:00Z"), LastSuccess: ts("2026-11-30T09:01:00Z"),
			UpdatedAt: ts("2026-11-30T09:01:00Z")},
	}
	got, err := s.List(ctx)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checkpoints of the v1 topic (-want +got):\n%s", diff)
	}
	checkSet(t, s, SetKey{"acme.okta.com", "group_members", "00g1"},
		[]string{"00u1", "00u2", "00u3"})
	big := make([]string, 50)
	for i := range big {
		big[i] = "00u" + padded(i)
	}
	checkSet(t, s, SetKey{"acme.okta.com", "employees", ""}, big)

	entries, err := s.Entries(ctx)
	if err != nil {
		t.Fatalf("Entries: %v", err)
	}
	if len(entries) != 1 || entries[0].Reason != "ticket 42" || entries[0].Old == nil ||
		!entries[0].Old.Watermark.Equal(ts("2026-11-01T00:00:00Z")) {
		t.Errorf("audit entries of the v1 topic: got %+v, want the one reset of groups", entries)
	}
}

func padded(i int) string {
	b := []byte("00000")
	for p := len(b) - 1; i > 0; p-- {
		b[p] = byte('0' + i%10)
		i /= 10
	}
	return string(b)
}
