package scim

import (
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The expressions in these tests are the ones the connector sends
// (connector/okta, DESIGN.md §5); the simulator must accept each in its
// dialect and select exactly the objects Okta would.

const watermark = "2024-06-11T00:00:00.000Z"

var statuses = []string{
	"STAGED", "PROVISIONED", "ACTIVE", "RECOVERY", "PASSWORD_EXPIRED",
	"LOCKED_OUT", "SUSPENDED", "DEPROVISIONED",
}

// population holds one user per status, updated an hour apart so that
// the fourth one sits exactly on the watermark.
func population(t *testing.T) []Map {
	t.Helper()
	start := mustTime(t, watermark).Add(-3 * time.Hour)
	users := make([]Map, len(statuses))
	for i, s := range statuses {
		users[i] = Map{
			"id":          s,
			"status":      s,
			"lastUpdated": start.Add(time.Duration(i) * time.Hour),
		}
	}
	return users
}

// selectIDs parses expr in d and returns the sorted ids it matches.
func selectIDs(t *testing.T, expr string, d Dialect, objs []Map) []string {
	t.Helper()
	e, err := Parse(expr, d)
	if err != nil {
		t.Fatalf("Parse(%q, %v): %v", expr, d, err)
	}
	ids := []string{}
	for _, o := range objs {
		if e.Match(o) {
			ids = append(ids, o["id"].(string))
		}
	}
	sort.Strings(ids)
	return ids
}

func sorted(s ...string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return s
}

func TestClientUserExpressions(t *testing.T) {
	allStatuses := ""
	for i, s := range statuses {
		if i > 0 {
			allStatuses += " or "
		}
		allStatuses += `status eq "` + s + `"`
	}
	tests := []struct {
		name string
		d    Dialect
		expr string
		want []string
	}{
		{"full sync search", UserSearch, `status pr`, sorted(statuses...)},
		{"incremental search includes the watermark", UserSearch,
			`lastUpdated ge "` + watermark + `" and status pr`,
			sorted(statuses[3:]...)},
		{"eight-status filter includes deprovisioned", UserFilter,
			allStatuses, sorted(statuses...)},
		{"two-status filter", UserFilter,
			`status eq "ACTIVE" or status eq "INACTIVE"`, []string{"ACTIVE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := selectIDs(t, tt.expr, tt.d, population(t))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: ids (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestClientGroupExpression(t *testing.T) {
	wm := mustTime(t, watermark)
	groups := []Map{
		{"id": "old", "lastUpdated": wm.Add(-time.Hour),
			"lastMembershipUpdated": wm.Add(-time.Hour)},
		{"id": "profile", "lastUpdated": wm.Add(time.Second),
			"lastMembershipUpdated": wm.Add(-time.Hour)},
		{"id": "members", "lastUpdated": wm.Add(-time.Hour),
			"lastMembershipUpdated": wm.Add(time.Millisecond)},
		{"id": "on-mark", "lastUpdated": wm, "lastMembershipUpdated": wm},
		{"id": "never-changed", "lastUpdated": wm.Add(-time.Hour),
			"lastMembershipUpdated": nil},
	}
	expr := `lastUpdated gt "` + watermark + `" or lastMembershipUpdated gt "` +
		watermark + `"`
	for _, d := range []Dialect{GroupFilter, GroupSearch} {
		t.Run(d.String(), func(t *testing.T) {
			got := selectIDs(t, expr, d, groups)
			if diff := cmp.Diff([]string{"members", "profile"}, got); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClientAppExpression(t *testing.T) {
	apps := []Map{
		{"id": "a", "status": "ACTIVE"},
		{"id": "i", "status": "INACTIVE"},
		{"id": "lower", "status": "active"},
		{"id": "none"},
	}
	got := selectIDs(t, `status eq "ACTIVE" or status eq "INACTIVE"`, AppFilter, apps)
	if diff := cmp.Diff([]string{"a", "i"}, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}
