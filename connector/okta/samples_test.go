package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestSamplesDecode serves every sample file as-is and checks that the
// client's decoded values hold what the file holds, field by field: every
// field the client models is compared with the file's value at the same
// place (timestamps as instants).
func TestSamplesDecode(t *testing.T) {
	since := time.Date(2024, 6, 11, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		file string
		call func(context.Context, *Client) (any, error)
	}{
		{"users-page.json", listAll(func(c *Client) *Pager[User] {
			return c.Users(UserQuery{})
		})},
		{"users-search-incremental.json", listAll(func(c *Client) *Pager[User] {
			return c.Users(UserQuery{UpdatedSince: since})
		})},
		{"user-get.json", func(ctx context.Context, c *Client) (any, error) {
			return c.User(ctx, "00ug2V76a1PKvsLrg0g7")
		}},
		{"groups-page.json", listAll(func(c *Client) *Pager[Group] {
			return c.Groups(GroupQuery{})
		})},
		{"groups-expand-stats.json", listAll(func(c *Client) *Pager[Group] {
			return c.Groups(GroupQuery{UpdatedSince: since})
		})},
		{"group-members-page.json", listAll(func(c *Client) *Pager[User] {
			return c.GroupMembers("00gakShZ5PFyhPQF00g7", "")
		})},
		{"apps-page.json", listAll(func(c *Client) *Pager[App] { return c.Apps("") })},
		{"app-users-page.json", listAll(func(c *Client) *Pager[AppUser] {
			return c.AppUsers("0oaa3rFwHOEkiuf6s0g7", "")
		})},
		{"app-groups-page.json", listAll(func(c *Client) *Pager[AppGroup] {
			return c.AppGroups("0oaa3rFwHOEkiuf6s0g7", "")
		})},
		{"org.json", func(ctx context.Context, c *Client) (any, error) { return c.Org(ctx) }},
		{"domains.json", func(ctx context.Context, c *Client) (any, error) {
			d, err := c.Domains(ctx)
			return map[string]any{"domains": d}, err
		}},
		{"well-known-okta-organization.json", func(ctx context.Context, c *Client) (any, error) {
			return c.WellKnown(ctx)
		}},
		{"logs-page.json", func(ctx context.Context, c *Client) (any, error) {
			ev, _, err := c.Logs(LogQuery{Since: since}).Next(ctx)
			return ev, err
		}},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.file] = true
		t.Run(tt.file, func(t *testing.T) {
			body := sample(t, tt.file)
			env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, body)
			}), nil)
			got, err := tt.call(context.Background(), env.client)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			n := compareWithFile(t, got, body)
			if n < 3 {
				t.Errorf("compared %d fields, want a real comparison", n)
			}
		})
	}
	for _, tt := range errorSamples {
		covered[tt.file] = true
	}
	covered["oauth-token-response.json"] = true      // TestOAuthSampleResponses
	covered["oauth-dpop-nonce-required.json"] = true // TestOAuthSampleResponses
	entries, err := os.ReadDir("testdata/samples")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !covered[e.Name()] {
			t.Errorf("sample %s is not served by any test", e.Name())
		}
	}
}

// errorSamples pairs each error sample with the status Okta sends it with.
var errorSamples = []struct {
	file   string
	status int
	is     error
}{
	{"error-400-invalid-search.json", 400, ErrBadRequest},
	{"error-400-logs-bad-date.json", 400, ErrBadRequest},
	{"error-400-logs-since-too-old.json", 400, ErrBadRequest},
	{"error-401-invalid-token.json", 401, ErrUnauthorized},
	{"error-403-access-denied.json", 403, ErrForbidden},
	{"error-404-not-found.json", 404, ErrNotFound},
	{"error-429-rate-limit.json", 429, ErrRateLimited},
	{"error-500-internal.json", 500, ErrUnavailable},
}

// TestErrorSamplesDecode serves each error body and checks the typed error
// carries the file's fields.
func TestErrorSamplesDecode(t *testing.T) {
	for _, tt := range errorSamples {
		t.Run(tt.file, func(t *testing.T) {
			body := sample(t, tt.file)
			env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tt.status, body)
			}), func(c *Config) { c.MaxAttempts = 1 })
			_, err := env.client.User(context.Background(), "00uXq81mZtR4vN2kL0g7")
			var oe *Error
			if !errors.As(err, &oe) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v): got false, want true", tt.is)
			}
			got := map[string]any{
				"errorCode": oe.Code, "errorSummary": oe.Summary, "errorId": oe.ID,
			}
			if len(oe.Causes) > 0 {
				var causes []any
				for _, c := range oe.Causes {
					causes = append(causes, map[string]any{"errorSummary": c})
				}
				got["errorCauses"] = causes
			}
			compareWithFile(t, got, body)
			if oe.Status != tt.status || oe.Path != "/api/v1/users/00uXq81mZtR4vN2kL0g7" {
				t.Errorf("got status %d path %q, want %d and the request path",
					oe.Status, oe.Path, tt.status)
			}
		})
	}
}

// listAll adapts a pager constructor to a call returning every item.
func listAll[T any](mk func(*Client) *Pager[T]) func(context.Context, *Client) (any, error) {
	return func(ctx context.Context, c *Client) (any, error) {
		return drain(ctx, mk(c))
	}
}

// compareWithFile marshals got and compares every field it has with the
// file's value at the same place. It returns how many leaves it compared.
func compareWithFile(t *testing.T, got any, file []byte) int {
	t.Helper()
	raw, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("marshalling decoded value: %v", err)
	}
	var g, w any
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(file, &w); err != nil {
		t.Fatalf("sample is not JSON: %v", err)
	}
	var diffs []string
	n := subsetDiff("$", g, w, &diffs)
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
	return n
}

// subsetDiff walks got and reports where want differs. Missing, null and
// empty values count as equal, since Okta omits what our types keep empty.
func subsetDiff(path string, got, want any, diffs *[]string) int {
	if isEmpty(got) && isEmpty(want) {
		return 1
	}
	switch g := got.(type) {
	case map[string]any:
		w, ok := want.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: got object, want %v", path, want))
			return 1
		}
		n := 0
		for k, v := range g {
			n += subsetDiff(path+"."+k, v, w[k], diffs)
		}
		return n
	case []any:
		w, ok := want.([]any)
		if !ok || len(w) != len(g) {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %d items, want %v", path, len(g), want))
			return 1
		}
		n := 0
		for i := range g {
			n += subsetDiff(fmt.Sprintf("%s[%d]", path, i), g[i], w[i], diffs)
		}
		return n
	case string:
		if ws, ok := want.(string); ok && sameInstant(g, ws) {
			return 1
		}
	}
	if !reflect.DeepEqual(got, want) {
		*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %v", path, got, want))
	}
	return 1
}

// isEmpty reports whether v is null, "", an empty array or an empty object.
func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// sameInstant reports whether both strings are RFC 3339 times of the same
// instant, such as "…:11.000Z" and "…:11Z".
func sameInstant(a, b string) bool {
	if !strings.Contains(a, "T") {
		return false
	}
	ta, err1 := time.Parse(time.RFC3339Nano, a)
	tb, err2 := time.Parse(time.RFC3339Nano, b)
	return err1 == nil && err2 == nil && ta.Equal(tb)
}
