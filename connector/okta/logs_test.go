package okta

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// logServer is a System Log in polling mode: events in persistence order,
// a next link on every page carrying since and an after cursor, in an
// order and encoding of its own that the client must not rewrite.
type logServer struct {
	mu       sync.Mutex
	events   []string // uuids in persistence order
	requests []string // RequestURI of every request
}

func (s *logServer) add(uuids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, uuids...)
}

func (s *logServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.URL.RequestURI())
	q := r.URL.Query()
	var after int
	_, _ = fmt.Sscanf(q.Get("after"), "1718119244612_%d", &after)
	limit := 100
	_, _ = fmt.Sscanf(q.Get("limit"), "%d", &limit)
	end := min(after+limit, len(s.events))
	var items []string
	for i, id := range s.events[after:end] {
		// published goes backwards on purpose: persistence order rules.
		pub := time.Date(2024, 6, 11, 15, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Second)
		items = append(items, fmt.Sprintf(`{"uuid":%q,"published":%q,`+
			`"eventType":"user.session.start","version":"0","severity":"INFO",`+
			`"actor":{"id":"00u1","type":"User"},"target":null}`,
			id, pub.Format(time.RFC3339Nano)))
	}
	next := fmt.Sprintf("http://%s/api/v1/logs?since=2024-06-11T14%%3A00%%3A00.000Z&limit=%d"+
		"&sortOrder=ASCENDING&after=1718119244612_%d", r.Host, limit, end)
	w.Header().Add("Link", fmt.Sprintf("<http://%s%s>; rel=\"self\"", r.Host, r.URL.RequestURI()))
	w.Header().Add("Link", "<"+next+`>; rel="next"`)
	writeJSON(w, http.StatusOK, []byte("["+strings.Join(items, ",")+"]"))
}

// TestLogPolling reads a full page, then a short one that ends the cycle
// after exactly one request, then polls an empty page whose next equals
// self, then resumes from the stored cursor in a new client and gets the
// event persisted late, once.
func TestLogPolling(t *testing.T) {
	srv := &logServer{}
	for i := range 1003 {
		srv.add(fmt.Sprintf("ev-%04d", i))
	}
	env := newEnv(t, srv, nil)
	ctx := context.Background()
	p := env.client.Logs(LogQuery{Since: time.Date(2024, 6, 11, 14, 0, 0, 0, time.UTC)})

	events, caughtUp, err := p.Next(ctx)
	if err != nil || len(events) != 1000 || caughtUp {
		t.Fatalf("page 1: got %d events, caughtUp %v, err %v; want 1000, false, nil",
			len(events), caughtUp, err)
	}
	events, caughtUp, err = p.Next(ctx)
	if err != nil || len(events) != 3 || !caughtUp {
		t.Fatalf("page 2: got %d events, caughtUp %v, err %v; want 3, true, nil",
			len(events), caughtUp, err)
	}
	if got := len(srv.requests); got != 2 {
		t.Errorf("got %d requests, want 2 (no extra empty-page call)", got)
	}
	wantNext := "/api/v1/logs?since=2024-06-11T14%3A00%3A00.000Z&limit=1000" +
		"&sortOrder=ASCENDING&after=1718119244612_1000"
	if got := srv.requests[1]; got != wantNext {
		t.Errorf("second request: got %s, want the next link verbatim %s", got, wantNext)
	}

	// Caught up: the same next comes back and is followed again.
	cursor := p.Cursor()
	events, caughtUp, err = p.Next(ctx)
	if err != nil || len(events) != 0 || !caughtUp || p.Cursor() != cursor {
		t.Fatalf("empty poll: got %d events, caughtUp %v, err %v, cursor moved %v",
			len(events), caughtUp, err, p.Cursor() != cursor)
	}

	// An event persisted late, published before what was already read.
	srv.add("ev-late")
	resumed, err := New(Config{BaseURL: mustURL(t, env.srv.URL),
		Credentials: Credentials{Token: NewToken(testToken)}, Clock: env.clock})
	if err != nil {
		t.Fatal(err)
	}
	events, caughtUp, err = resumed.Logs(LogQuery{Resume: cursor}).Next(ctx)
	if err != nil || !caughtUp {
		t.Fatalf("resume: got caughtUp %v, err %v", caughtUp, err)
	}
	var ids []string
	for _, e := range events {
		ids = append(ids, e.UUID)
	}
	if diff := cmp.Diff([]string{"ev-late"}, ids); diff != "" {
		t.Errorf("resumed events (-want +got):\n%s", diff)
	}
	last, want := srv.requests[len(srv.requests)-1], mustURL(t, cursor).RequestURI()
	if last != want {
		t.Errorf("resume request: got %s, want the stored cursor %s", last, want)
	}
}
