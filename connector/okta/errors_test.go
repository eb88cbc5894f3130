package okta

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestErrorsAndRetries covers what is retried and the words each error
// carries: 401 and 400 are final after one request, 5xx are retried and
// succeed or end in an error past the budget, with nothing returned.
func TestErrorsAndRetries(t *testing.T) {
	tests := []struct {
		name     string
		statuses []int  // answered in turn; the last repeats
		file     string // error body
		path     string // whose request fails
		wantHits int64
		wantIs   error
		words    string
	}{
		{"401 not retried", []int{401}, "error-401-invalid-token.json", "/api/v1/users", 1,
			ErrUnauthorized, "invalid token: the API token was revoked, expired (tokens " +
				"unused for 30 days expire) or copied incorrectly; create a new one and reconnect"},
		{"400 E0000031 not retried", []int{400}, "error-400-invalid-search.json",
			"/api/v1/users", 1, ErrBadRequest, "Okta rejected the search or filter expression"},
		{"404 on the org", []int{404}, "error-404-not-found.json", orgPath, 1, ErrNotFound,
			"check the Okta domain"},
		{"two 5xx then 200", []int{503, 500, 200}, "error-500-internal.json", "/api/v1/users",
			3, nil, ""},
		{"5xx past budget", []int{500}, "error-500-internal.json", "/api/v1/users", 5,
			ErrUnavailable, "Okta kept failing past the retry budget"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int64
			env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				st := tt.statuses[min(i, len(tt.statuses)-1)]
				if st == 200 {
					if r.URL.Path == orgPath {
						writeJSON(w, 200, []byte(`{"id":"00o1"}`))
						return
					}
					writeJSON(w, 200, []byte(`[{"id":"00u1"}]`))
					return
				}
				writeJSON(w, st, sample(t, tt.file))
			}), nil)
			var err error
			var items []User
			if tt.path == orgPath {
				_, err = env.client.Org(context.Background())
			} else {
				p := env.client.Users(UserQuery{})
				items, err = p.Next(context.Background())
				if err != nil && p.Cursor() == "" {
					t.Errorf("a failed page ended the listing: cursor is empty")
				}
			}
			if got := n.Load(); got != tt.wantHits {
				t.Errorf("got %d requests, want %d", got, tt.wantHits)
			}
			if tt.wantIs == nil {
				if err != nil || len(items) != 1 {
					t.Fatalf("got %d items, error %v; want 1 item", len(items), err)
				}
				return
			}
			if !errors.Is(err, tt.wantIs) || items != nil {
				t.Fatalf("got items %v, error %v; want no items and %v", items, err, tt.wantIs)
			}
			var oe *Error
			if !errors.As(err, &oe) || !strings.Contains(oe.Advice(), tt.words) ||
				!strings.Contains(err.Error(), tt.words) {
				t.Errorf("got %q, want it to say %q", err, tt.words)
			}
		})
	}
}

// TestForbiddenGroupsWhileUsersWork answers 403 on groups only: the groups
// error names groups, and users keep listing through the same client.
func TestForbiddenGroupsWhileUsersWork(t *testing.T) {
	env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/v1/groups") {
			writeJSON(w, 403, sample(t, "error-403-access-denied.json"))
			return
		}
		writeJSON(w, 200, sample(t, "users-page.json"))
	}), nil)
	ctx := context.Background()
	_, err := env.client.Groups(GroupQuery{}).Next(ctx)
	want := "the token's owner lacks read access to groups"
	if !errors.Is(err, ErrForbidden) || !IsAuth(err) || !strings.Contains(err.Error(), want) {
		t.Errorf("groups: got %v, want a 403 saying %q", err, want)
	}
	users, err := env.client.Users(UserQuery{}).Next(ctx)
	if err != nil || len(users) != 4 {
		t.Errorf("users: got %d users, error %v; want 4 and none", len(users), err)
	}
}

// TestInsufficientScope answers a 403 with an empty body and only a
// WWW-Authenticate challenge (API.md §1.4): the error names the scope.
func TestInsufficientScope(t *testing.T) {
	env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate",
			`Bearer authorization_uri="https://x/oauth2/v1/authorize", `+
				`realm="https://x", scope="okta.logs.read", error="insufficient_scope", `+
				`error_description="The access token provided does not contain the `+
				`required scopes.", `+
				`resource="/api/v1/logs"`)
		w.WriteHeader(403)
	}), nil)
	_, _, err := env.client.Logs(LogQuery{}).Next(context.Background())
	var oe *Error
	if !errors.As(err, &oe) || oe.Scope != "okta.logs.read" ||
		oe.Challenge != "insufficient_scope" {
		t.Fatalf("got %v, want an *Error naming scope okta.logs.read", err)
	}
	if want := "lacks the scope okta.logs.read"; !strings.Contains(err.Error(), want) {
		t.Errorf("got %q, want it to say %q", err, want)
	}
}

// TestTransportFailures cuts the connection mid-response once (retried),
// and serves malformed or truncated JSON (an error naming the path, never a
// partial page, not retried).
func TestTransportFailures(t *testing.T) {
	tests := []struct {
		name     string
		serve    func(w http.ResponseWriter, n int64)
		wantHits int64
		wantErr  error
	}{
		{"connection cut once", func(w http.ResponseWriter, n int64) {
			if n == 1 {
				w.Header().Set("Content-Length", "1000")
				w.WriteHeader(200)
				_, _ = w.Write([]byte(`[{"id":"00u1"},`))
				panic(http.ErrAbortHandler)
			}
			writeJSON(w, 200, []byte(`[{"id":"00u1"},{"id":"00u2"}]`))
		}, 2, nil},
		{"malformed", func(w http.ResponseWriter, _ int64) {
			writeJSON(w, 200, []byte(`[{"id":"00u1"},{"id":]`))
		}, 1, ErrMalformedPage},
		{"truncated", func(w http.ResponseWriter, _ int64) {
			writeJSON(w, 200, []byte(`[{"id":"00u1"},{"id":"00u2"}`))
		}, 1, ErrMalformedPage},
		{"object, not a page", func(w http.ResponseWriter, _ int64) {
			writeJSON(w, 200, []byte(`{"id":"00u1"}`))
		}, 1, ErrMalformedPage},
		{"trailing data", func(w http.ResponseWriter, _ int64) {
			writeJSON(w, 200, []byte(`[{"id":"00u1"}] [{"id":"00u2"}]`))
		}, 1, ErrMalformedPage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int64
			env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.serve(w, n.Add(1))
			}), nil)
			items, err := env.client.Users(UserQuery{}).Next(context.Background())
			if got := n.Load(); got != tt.wantHits {
				t.Errorf("got %d requests, want %d", got, tt.wantHits)
			}
			if tt.wantErr == nil {
				if err != nil || len(items) != 2 {
					t.Errorf("got %d items, error %v; want 2 and none", len(items), err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || items != nil {
				t.Errorf("got %d items, error %v; want none and %v", len(items), err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "/api/v1/users") {
				t.Errorf("got %q, want the path named", err)
			}
		})
	}
}

// TestBodyCap stops reading past the cap.
func TestBodyCap(t *testing.T) {
	body := strings.NewReader(`[` + strings.Repeat(`{"id":"x"},`, 100) + `{}]`)
	read := func(r io.Reader) error {
		_, err := decodePage[User](r)
		return err
	}
	if err := readBody(body, 64, "/api/v1/users", read); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("got %v, want ErrBodyTooLarge", err)
	}
}

// TestRedirectRefused never follows a redirect, even to the same host.
func TestRedirectRefused(t *testing.T) {
	var n atomic.Int64
	env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Redirect(w, r, "http://127.0.0.2:1/steal", http.StatusFound)
	}), nil)
	if _, err := env.client.Org(context.Background()); !errors.Is(err, errRedirect) {
		t.Errorf("got %v, want a refused redirect", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("got %d requests, want 1 (not retried)", got)
	}
}

// TestConfigValidation rejects configs that would leak or cannot work.
func TestConfigValidation(t *testing.T) {
	tok := Credentials{Token: NewToken("t")}
	at := func(base string) Config { return Config{BaseURL: mustURL(t, base), Credentials: tok} }
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"https", at("https://acme.okta.com"), true},
		{"http loopback v4", at("http://127.0.0.9:80"), true},
		{"http loopback v6", at("http://[::1]:8089"), true},
		{"http localhost", at("http://localhost:1"), true},
		{"http remote", at("http://acme.okta.com"), false},
		{"userinfo", at("https://u:p@acme.okta.com"), false},
		{"path", at("https://acme.okta.com/api"), false},
		{"ftp", at("ftp://acme.okta.com"), false},
		{"no credentials", Config{BaseURL: mustURL(t, "https://acme.okta.com")}, false},
		{"share", Config{BaseURL: mustURL(t, "https://a.okta.com"), Credentials: tok,
			RateShare: 1.5}, false},
		{"oauth without key", Config{BaseURL: mustURL(t, "https://a.okta.com"),
			Credentials: Credentials{ClientID: "0oa1"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if (err == nil) != tt.ok {
				t.Errorf("got %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
