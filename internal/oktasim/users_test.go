package oktasim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUserListingsAndStatuses(t *testing.T) {
	o, srv := StartTest(t, OrgConfig{Seed: 3, Users: 450, Token: testToken,
		Clock: NewManualClock(epoch)})
	var all, visible []string
	for _, u := range o.Users() {
		all = append(all, u.ID)
		if u.Status != StatusDeprovisioned {
			visible = append(visible, u.ID)
		}
	}
	if len(all) == len(visible) {
		t.Fatalf("generated no DEPROVISIONED user")
	}
	var ors []string
	for _, st := range AllStatuses {
		ors = append(ors, `status eq "`+st+`"`)
	}
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"plain list hides DEPROVISIONED", "limit=200", visible},
		{"search status pr includes them", "limit=200&search=" + url.QueryEscape("status pr"), all},
		{"filter OR-ing every status includes them",
			"limit=200&filter=" + url.QueryEscape(strings.Join(ors, " or ")), all},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, calls := listAll(t, srv.URL()+"/api/v1/users?"+tt.query)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("ids (-want +got):\n%s", d)
			}
			if max := len(tt.want)/200 + 2; calls > max {
				t.Errorf("got %d calls, want at most %d", calls, max)
			}
		})
	}
}

func TestUserPaginationLinks(t *testing.T) {
	for _, style := range []LinkStyle{LinkSeparate, LinkFolded, LinkMixed} {
		t.Run([]string{"mixed", "separate", "folded"}[style], func(t *testing.T) {
			o, srv := StartTest(t, OrgConfig{Seed: 5, Users: 450, Token: testToken,
				Quirks: Quirks{LinkStyle: style}, Clock: NewManualClock(epoch)})
			url := srv.URL() + "/api/v1/users?limit=200&search=status%20pr"
			resp, body := get(t, url)
			ls := links(resp.Header)
			if !strings.HasPrefix(ls["self"], srv.URL()+"/api/v1/users?") ||
				!strings.HasPrefix(ls["next"], srv.URL()+"/api/v1/users?") {
				t.Errorf("got links %v, want absolute self and next", ls)
			}
			wantLines := map[LinkStyle]int{LinkSeparate: 2, LinkFolded: 1}[style]
			if n := len(resp.Header.Values("Link")); wantLines > 0 && n != wantLines {
				t.Errorf("got %d Link header lines, want %d", n, wantLines)
			}
			if n := len(decodeList(t, body)); n != 200 {
				t.Errorf("first page has %d users, want 200", n)
			}
			ids, _ := listAll(t, url)
			if len(ids) != 450 || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != 450 {
				t.Errorf("got %d ids, want 450 distinct", len(ids))
			}
			_ = o
		})
	}
}

func TestUserQueryParameters(t *testing.T) {
	o, srv := StartTest(t, OrgConfig{Seed: 9, Users: 60, Token: testToken,
		Clock: NewManualClock(epoch)})
	clampOrg, clampSrv := StartTest(t, OrgConfig{Seed: 9, Users: 10, Token: testToken,
		Quirks: Quirks{RejectOverLimit: true}, Clock: NewManualClock(epoch)})
	_ = clampOrg
	tests := []struct {
		name     string
		base     string
		query    string
		status   int
		code     string
		maxItems int
	}{
		{"limit above 200 is clamped", srv.URL(), "limit=500", 200, "", 200},
		{"limit above 200 rejected when switched", clampSrv.URL(), "limit=500", 400, "E0000001", 0},
		{"bad limit", srv.URL(), "limit=abc", 400, "E0000001", 0},
		{"filter with an operator Okta refuses", srv.URL(),
			"filter=" + url.QueryEscape(`profile.city eq "Austin"`), 400, "E0000031", 0},
		{"broken search", srv.URL(), "search=" + url.QueryEscape(`status eq`), 400, "E0000031", 0},
		{"q defaults to 10", srv.URL(), "q=a", 200, "", 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, tt.base+"/api/v1/users?"+tt.query)
			if resp.StatusCode != tt.status {
				t.Fatalf("got status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.code != "" {
				var e map[string]any
				if err := json.Unmarshal(body, &e); err != nil {
					t.Fatalf("decoding error body: %v", err)
				}
				if e["errorCode"] != tt.code || e["errorLink"] != tt.code ||
					!strings.HasPrefix(e["errorId"].(string), "oae") {
					t.Errorf("got error %v, want code %s in Okta's shape", e, tt.code)
				}
				return
			}
			if n := len(decodeList(t, body)); n > tt.maxItems {
				t.Errorf("got %d users, want at most %d", n, tt.maxItems)
			}
		})
	}
	t.Run("lastUpdated ge returns users sharing the second", func(t *testing.T) {
		us := o.Users()
		a, b := us[0], us[1]
		if err := o.UpdateUser(a.ID, map[string]any{"title": "A"}); err != nil {
			t.Fatal(err)
		}
		if err := o.UpdateUser(b.ID, map[string]any{"title": "B"}); err != nil {
			t.Fatal(err)
		}
		ua, _ := o.User(a.ID)
		ub, _ := o.User(b.ID)
		if !ua.LastUpdated.Equal(ub.LastUpdated) {
			t.Fatalf("got lastUpdated %v and %v, want one second", ua.LastUpdated, ub.LastUpdated)
		}
		q := `lastUpdated ge "` + formatMillis(ua.LastUpdated) + `" and status pr`
		ids, _ := listAll(t, srv.URL()+"/api/v1/users?search="+url.QueryEscape(q))
		slices.Sort(ids)
		want := []string{a.ID, b.ID}
		slices.Sort(want)
		if d := cmp.Diff(want, ids); d != "" {
			t.Errorf("ids (-want +got):\n%s", d)
		}
	})
	t.Run("sortBy orders search results", func(t *testing.T) {
		resp, body := get(t, srv.URL()+"/api/v1/users?limit=7&sortBy=lastUpdated&"+
			"search="+url.QueryEscape("status pr"))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("got status %d", resp.StatusCode)
		}
		var last string
		for _, u := range decodeList(t, body) {
			lu := u["lastUpdated"].(string)
			if lu < last {
				t.Errorf("got lastUpdated %s after %s, want ascending", lu, last)
			}
			last = lu
		}
		ids, _ := listAll(t, srv.URL()+"/api/v1/users?limit=7&sortBy=lastUpdated&search="+
			url.QueryEscape("status pr"))
		if len(ids) != 60 {
			t.Errorf("sorted listing got %d users, want 60", len(ids))
		}
	})
}
