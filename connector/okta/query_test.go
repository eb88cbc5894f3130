package okta

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestListingQueries checks the exact query each listing sends: page
// sizes, the search that includes DEPROVISIONED users, the inclusive ge
// bound with its literal format, and Okta's %20 encoding.
func TestListingQueries(t *testing.T) {
	since := time.Date(2024, 6, 11, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600)).
		Add(2 * time.Hour) // 00:00 UTC, given in another zone
	tests := []struct {
		name string
		call func(*Client) error
		want string
	}{
		{"users full", first(func(c *Client) *Pager[User] { return c.Users(UserQuery{}) }),
			"/api/v1/users?search=status%20pr&limit=200"},
		{"users incremental", first(func(c *Client) *Pager[User] {
			return c.Users(UserQuery{UpdatedSince: since})
		}), "/api/v1/users?search=lastUpdated%20ge%20%222024-06-11T00%3A00%3A00.000Z%22" +
			"%20and%20status%20pr&sortBy=lastUpdated&sortOrder=asc&limit=200"},
		{"groups full", first(func(c *Client) *Pager[Group] { return c.Groups(GroupQuery{}) }),
			"/api/v1/groups?limit=200"},
		{"groups incremental", first(func(c *Client) *Pager[Group] {
			return c.Groups(GroupQuery{UpdatedSince: since.Add(1500 * time.Millisecond)})
		}), "/api/v1/groups?filter=lastUpdated%20gt%20%222024-06-11T00%3A00%3A01.500Z%22" +
			"%20or%20lastMembershipUpdated%20gt%20%222024-06-11T00%3A00%3A01.500Z%22&limit=200"},
		{"group members", first(func(c *Client) *Pager[User] {
			return c.GroupMembers("00gakShZ5PFyhPQF00g7", "")
		}), "/api/v1/groups/00gakShZ5PFyhPQF00g7/users?limit=1000"},
		{"apps", first(func(c *Client) *Pager[App] { return c.Apps("") }),
			"/api/v1/apps?includeNonDeleted=true&limit=200"},
		{"app users", first(func(c *Client) *Pager[AppUser] {
			return c.AppUsers("0oaa3rFwHOEkiuf6s0g7", "")
		}), "/api/v1/apps/0oaa3rFwHOEkiuf6s0g7/users?limit=500"},
		{"logs", func(c *Client) error {
			p := c.Logs(LogQuery{Since: since.Add(14 * time.Hour)})
			_, _, err := p.Next(context.Background())
			return err
		}, "/api/v1/logs?since=2024-06-11T14%3A00%3A00.000Z&limit=1000&sortOrder=ASCENDING"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = r.URL.RequestURI()
				writeJSON(w, http.StatusOK, []byte("[]"))
			}), nil)
			if err := tt.call(env.client); err != nil {
				t.Fatalf("got error %v", err)
			}
			if got != tt.want {
				t.Errorf("got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// first adapts a pager constructor to a call that fetches one page.
func first[T any](mk func(*Client) *Pager[T]) func(*Client) error {
	return func(c *Client) error {
		_, err := mk(c).Next(context.Background())
		return err
	}
}

// TestLiteral checks that a value can never close a filter literal.
func TestLiteral(t *testing.T) {
	tests := []struct{ in, want string }{
		{`2024-06-11T00:00:00.000Z`, `"2024-06-11T00:00:00.000Z"`},
		{`a" or id pr or x eq "`, `"a\" or id pr or x eq \""`},
		{`back\slash\"`, `"back\\slash\\\""`},
		{`Zoë Ångström`, `"Zoë Ångström"`},
	}
	for _, tt := range tests {
		if got := literal(tt.in); got != tt.want {
			t.Errorf("literal(%q): got %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestBadIDsRefused keeps ids from adding path segments or a query.
func TestBadIDsRefused(t *testing.T) {
	env := newEnv(t, http.NotFoundHandler(), nil)
	for _, id := range []string{"", "../org", "00u1?x=1", "00u1/users", "a b"} {
		if _, err := env.client.User(context.Background(), id); err == nil {
			t.Errorf("User(%q): got no error, want one", id)
		}
		if _, err := env.client.AppUsers(id, "").Next(context.Background()); err == nil {
			t.Errorf("AppUsers(%q): got no error, want one", id)
		}
	}
	if got := env.hits.Load(); got != 0 {
		t.Errorf("got %d requests, want 0", got)
	}
}
