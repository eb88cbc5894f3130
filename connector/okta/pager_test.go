package okta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// usersServer serves n users at the requested limit, writing the next link
// with style; nextURL may replace the next link's target.
type usersServer struct {
	n       int
	style   string
	nextURL func(base string, after int) string
}

func (s usersServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	end := min(after+limit, s.n)
	body := "["
	for i := after; i < end; i++ {
		if i > after {
			body += ","
		}
		body += fmt.Sprintf(`{"id":"00u%05d","status":"ACTIVE","profile":{"login":"u%d"}}`, i, i)
	}
	body += "]"
	base := "http://" + r.Host
	self := base + r.URL.RequestURI()
	if end < s.n {
		next := fmt.Sprintf("%s/api/v1/users?after=%d&limit=%d", base, end, limit)
		if s.nextURL != nil {
			next = s.nextURL(base, end)
		}
		switch s.style {
		case "separate":
			w.Header().Add("Link", "<"+self+`>; rel="self"`)
			w.Header().Add("Link", "<"+next+`>; rel="next"`)
		case "folded":
			w.Header().Set("Link", "<"+self+`>; rel="self", <`+next+`>; rel="next"`)
		case "bare":
			w.Header().Set("Link", "<"+self+">;rel=self,<"+next+">;rel=next")
		case "relative":
			w.Header().Set("Link", fmt.Sprintf(`</api/v1/users?after=%d&limit=%d>; rel="next"`,
				end, limit))
		case "rel-list":
			w.Header().Set("Link", "<"+next+`>; title="x, y"; REL="Next Self"`)
		}
	} else {
		w.Header().Set("Link", "<"+self+`>; rel="self"`)
	}
	writeJSON(w, http.StatusOK, []byte(body))
}

// TestUsersArriveOnce lists 450 users at limit=200 through every Link form
// Okta or a proxy may send: each user arrives exactly once, in 3 requests.
func TestUsersArriveOnce(t *testing.T) {
	for _, style := range []string{"separate", "folded", "bare", "relative", "rel-list"} {
		t.Run(style, func(t *testing.T) {
			env := newEnv(t, usersServer{n: 450, style: style}, nil)
			users, err := drain(context.Background(), env.client.Users(UserQuery{}))
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			seen := map[string]int{}
			for _, u := range users {
				seen[u.ID]++
			}
			if len(users) != 450 || len(seen) != 450 {
				t.Errorf("got %d users (%d distinct), want 450 once each", len(users), len(seen))
			}
			if got := env.hits.Load(); got != 3 {
				t.Errorf("got %d requests, want 3", got)
			}
		})
	}
}

// TestForeignNextRefused points the next link at another server, or the
// tenant's host with another scheme or port: the pager fails and the other
// server never sees a request.
func TestForeignNextRefused(t *testing.T) {
	var evilHits atomic.Int64
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		evilHits.Add(1)
		writeJSON(w, http.StatusOK, []byte("[]"))
	}))
	t.Cleanup(evil.Close)
	tests := []struct {
		name string
		next func(base string, after int) string
	}{
		{"other host", func(_ string, a int) string {
			return fmt.Sprintf("%s/api/v1/users?after=%d", evil.URL, a)
		}},
		{"other scheme", func(base string, a int) string {
			return fmt.Sprintf("https%s/api/v1/users?after=%d", base[len("http"):], a)
		}},
		{"user info", func(base string, a int) string {
			return fmt.Sprintf("http://x:y@%s/api/v1/users?after=%d", base[len("http://"):], a)
		}},
		{"protocol-relative", func(_ string, a int) string {
			return fmt.Sprintf("//%s/api/v1/users?after=%d", evil.Listener.Addr(), a)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, usersServer{n: 450, style: "separate", nextURL: tt.next}, nil)
			p := env.client.Users(UserQuery{})
			if _, err := p.Next(context.Background()); err == nil {
				t.Fatal("got no error, want ErrForeignLink")
			} else if !errors.Is(err, ErrForeignLink) {
				t.Fatalf("got %v, want ErrForeignLink", err)
			}
			if _, err := p.Next(context.Background()); !errors.Is(err, ErrForeignLink) {
				t.Errorf("second Next: got %v, want the same sticky error", err)
			}
			if got := evilHits.Load(); got != 0 {
				t.Errorf("other server got %d requests, want 0", got)
			}
			if got := env.hits.Load(); got != 1 {
				t.Errorf("tenant got %d requests, want 1", got)
			}
		})
	}
}

// TestForeignResumeRefused refuses a stored cursor on another host without
// any request.
func TestForeignResumeRefused(t *testing.T) {
	env := newEnv(t, usersServer{n: 10}, nil)
	p := env.client.Users(UserQuery{Resume: "https://evil.example/api/v1/users?after=x"})
	if _, err := p.Next(context.Background()); !errors.Is(err, ErrForeignLink) {
		t.Fatalf("got %v, want ErrForeignLink", err)
	}
	if got := env.hits.Load(); got != 0 {
		t.Errorf("got %d requests, want 0", got)
	}
}

// TestCycleDetected serves a cursor that comes back to a page already
// read: the listing ends in ErrCursorRepeated with no extra request.
func TestCycleDetected(t *testing.T) {
	cycle := map[string]string{"": "A", "A": "B", "B": "A"}
	env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next := cycle[r.URL.Query().Get("after")]
		w.Header().Set("Link", fmt.Sprintf(
			`<http://%s/api/v1/users?after=%s&limit=200>; rel="next"`, r.Host, next))
		writeJSON(w, http.StatusOK, []byte(`[{"id":"00u1"}]`))
	}), nil)
	_, err := drain(context.Background(), env.client.Users(UserQuery{}))
	if !errors.Is(err, ErrCursorRepeated) {
		t.Fatalf("got %v, want ErrCursorRepeated", err)
	}
	if got := env.hits.Load(); got > 3+1 {
		t.Errorf("got %d requests, want at most one more than the 3 distinct pages", got)
	}
}

// TestResumeListing stops after one page and resumes from the cursor in a
// new client: together the two runs see every user once.
func TestResumeListing(t *testing.T) {
	env := newEnv(t, usersServer{n: 450, style: "separate"}, nil)
	p := env.client.Users(UserQuery{})
	first, err := p.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rest, err := drain(context.Background(), env.client.Users(UserQuery{Resume: p.Cursor()}))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range append(first, rest...) {
		ids = append(ids, u.ID)
	}
	var want []string
	for i := range 450 {
		want = append(want, fmt.Sprintf("00u%05d", i))
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
}
