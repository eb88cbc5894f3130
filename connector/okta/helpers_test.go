package okta

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testToken is the SSWS token of every test client; tests that look for
// leaks search for it.
const testToken = "00Tk-SECRET-ssws-9f8e7d6c5b4a"

// fakeClock is a Clock whose Sleep advances time at once, so that
// rate-limit windows of a minute pass instantly. Safe for concurrent use.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2024, 6, 11, 16, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.Advance(d)
	return nil
}

func (f *fakeClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// testEnv is a test server and a client of it with a fake clock and a
// captured debug log.
type testEnv struct {
	srv    *httptest.Server
	client *Client
	clock  *fakeClock
	logs   *syncBuffer
	hits   atomic.Int64
}

// syncBuffer is a bytes.Buffer safe for concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newEnv starts h on loopback and a client of it; edit adjusts the config.
func newEnv(t *testing.T, h http.Handler, edit func(*Config)) *testEnv {
	t.Helper()
	env := &testEnv{clock: newFakeClock(), logs: &syncBuffer{}}
	env.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env.hits.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(env.srv.Close)
	cfg := Config{
		BaseURL:     mustURL(t, env.srv.URL),
		Credentials: Credentials{Token: NewToken(testToken)},
		Clock:       env.clock,
		Logger: slog.New(slog.NewTextHandler(env.logs,
			&slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if edit != nil {
		edit(&cfg)
	}
	if fc, ok := cfg.Clock.(*fakeClock); ok {
		env.clock = fc
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.gov.jitter = func(time.Duration) time.Duration { return 0 }
	env.client = c
	return env
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("parsing %q: %v", s, err)
	}
	return u
}

// sample reads a file of testdata/samples, copies of the shared Okta
// samples (../shared/okta/samples).
func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "samples", name))
	if err != nil {
		t.Fatalf("reading sample: %v", err)
	}
	return b
}

// writeJSON answers with Okta's usual headers and body.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Okta-Request-Id", "req-test")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// drain walks a pager to its end.
func drain[T any](ctx context.Context, p *Pager[T]) ([]T, error) {
	var all []T
	for {
		items, err := p.Next(ctx)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return all, nil
			}
			return all, err
		}
		all = append(all, items...)
	}
}
