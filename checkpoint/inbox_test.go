package checkpoint

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

// request returns a set request of tenant/stream made at t.
func request(tenant, stream string, at time.Time) Request {
	return Request{ID: NewRequestID(at), Time: at.UTC(), User: "ops", Host: "bastion",
		Reason: "replay", Action: ActionSet, Tenant: tenant, Stream: stream,
		Since: at.Add(-time.Hour).UTC()}
}

// TestInboxes runs one scenario on both inboxes: requests come back per
// stream oldest first and all together sorted, Done removes one, and a
// request another tenant's key does not see.
func TestInboxes(t *testing.T) {
	inboxes := []struct {
		name string
		open func(t *testing.T) Inbox
	}{
		{"file", func(t *testing.T) Inbox { return NewFileInbox(t.TempDir()) }},
		{"kafka", func(t *testing.T) Inbox {
			return openKafka(t, kafkatest.Brokers(t), testTopic(t))
		}},
	}
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, ib := range inboxes {
		t.Run(ib.name, func(t *testing.T) {
			in, ctx := ib.open(t), testCtx(t)
			later := request("acme", "activity", at.Add(time.Minute))
			first := request("acme", "activity", at)
			other := request("globex", "employees", at)
			other.Action, other.Since, other.Watermark = ActionReset, time.Time{}, at
			for _, r := range []Request{later, first, other} {
				if err := in.Submit(ctx, r); err != nil {
					t.Fatalf("Submit %s: %v", r.ID, err)
				}
			}
			for _, r := range []*Request{&first, &later, &other} {
				r.Version = requestVersion
			}
			got, err := in.Pending(ctx, Key{Tenant: "acme", Stream: "activity"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]Request{first, later}, got); diff != "" {
				t.Errorf("Pending (-want +got):\n%s", diff)
			}
			all, err := in.Requests(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]Request{first, later, other}, all); diff != "" {
				t.Errorf("Requests (-want +got):\n%s", diff)
			}
			if err := in.Done(ctx, first); err != nil {
				t.Fatal(err)
			}
			if err := in.Done(ctx, first); err != nil {
				t.Errorf("Done twice: got %v, want no error", err)
			}
			got, err = in.Pending(ctx, Key{Tenant: "acme", Stream: "activity"})
			if err != nil || len(got) != 1 || got[0].ID != later.ID {
				t.Errorf("Pending after Done: got %+v, %v; want only the later one", got, err)
			}
		})
	}
}

func TestRequestRefused(t *testing.T) {
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		edit func(r *Request)
	}{
		{"bad tenant", func(r *Request) { r.Tenant = "../etc" }},
		{"bad id", func(r *Request) { r.ID = "../../x" }},
		{"unknown action", func(r *Request) { r.Action = "delete" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r := request("acme", "activity", at)
			tt.edit(&r)
			if err := NewFileInbox(dir).Submit(context.Background(), r); err == nil {
				t.Errorf("Submit: got no error, want a refusal")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("Submit of a refused request wrote %d entries", len(entries))
			}
		})
	}
}

// TestFileStoreSharesItsDirectory: while a FileStore holds the directory,
// a second one is refused with ErrInUse, a FileReader still reads it, and
// requests written then survive the holder's next start (its sweep of
// temporary files leaves the inbox alone).
func TestFileStoreSharesItsDirectory(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	held, err := NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	cp := sampleCheckpoint("acme", "activity")
	if err := held.Save(ctx, cp); err != nil {
		t.Fatal(err)
	}
	if _, err := NewFileStore(dir); !errors.Is(err, ErrInUse) {
		t.Errorf("second NewFileStore: got %v, want ErrInUse", err)
	}
	r, err := NewFileReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Load(ctx, Key{Tenant: "acme", Stream: "activity"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cp, got); diff != "" {
		t.Errorf("FileReader.Load (-want +got):\n%s", diff)
	}
	req := request("acme", "activity", time.Now())
	if err := NewFileInbox(dir).Submit(ctx, req); err != nil {
		t.Fatal(err)
	}
	// A write an operator tool started but never finished.
	stray := filepath.Join(dir, InboxDir, "acme", "activity", tempPrefix+"x.json-1")
	if err := os.WriteFile(stray, []byte("{"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := held.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = again.Close() })
	reqs, err := again.Pending(ctx, Key{Tenant: "acme", Stream: "activity"})
	if err != nil || len(reqs) != 1 || reqs[0].ID != req.ID {
		t.Errorf("Pending after restart: got %+v, %v; want the request", reqs, err)
	}
	cps, err := again.List(ctx)
	if err != nil || len(cps) != 1 {
		t.Errorf("List: got %d checkpoints (%v), want 1 (the inbox is no tenant)", len(cps), err)
	}
}

func TestRequestAppliedTo(t *testing.T) {
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	r := request("acme", "activity", at)
	older := request("acme", "activity", at.Add(-time.Second))
	tests := []struct {
		name string
		mark string
		want bool
	}{
		{"no mark", "", false},
		{"this request", r.ID, true},
		{"a later one", NewRequestID(at.Add(time.Second)), true},
		{"an earlier one", older.ID, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cp := Checkpoint{Extra: map[string]string{ExtraRequest: tt.mark}}
			if got := r.AppliedTo(cp); got != tt.want {
				t.Errorf("AppliedTo: got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestKafkaInboxReachesAnotherProcess: a request one store submits shows
// in another store following the same topic (the connector's), and its
// Done shows back in the first.
func TestKafkaInboxReachesAnotherProcess(t *testing.T) {
	brokers, topic := kafkatest.Brokers(t), testTopic(t)
	tool, engine := openKafka(t, brokers, topic), openKafka(t, brokers, topic)
	ctx := testCtx(t)
	req := request("acme", "activity", time.Now())
	if err := tool.Submit(ctx, req); err != nil {
		t.Fatal(err)
	}
	if err := engine.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := engine.Pending(ctx, req.Key())
	if err != nil || len(got) != 1 || got[0].ID != req.ID {
		t.Fatalf("Pending in the other store: got %+v, %v; want the request", got, err)
	}
	if err := engine.Done(ctx, req); err != nil {
		t.Fatal(err)
	}
	if err := tool.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if left, err := tool.Requests(ctx); err != nil || len(left) != 0 {
		t.Errorf("Requests after Done: got %+v, %v; want none", left, err)
	}
}
