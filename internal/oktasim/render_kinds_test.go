package oktasim

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// awkward holds what JSON escaping must get right: quotes, backslashes,
// HTML-sensitive bytes, control bytes, U+2028, other scripts, an emoji
// and invalid UTF-8.
const awkward = "Zoë <&> \"q\" \\ tab\t\x01 \u2028\u2029 田中 🙂 bad \xff"

// awkwardOrg is a generated org whose groups, apps and settings carry
// awkward values and custom profile attributes of every JSON type, set
// behind the mutation API's back (so the cache is invalidated by hand).
func awkwardOrg(t *testing.T, cfg OrgConfig) *Org {
	t.Helper()
	o := newTestOrg(t, cfg)
	mutateForRender(t, o)
	for i, g := range o.groups {
		if i%3 != 0 {
			continue
		}
		g.profile.set("description", awkward)
		g.profile.set("costCenter", 1e-7)
		g.profile.set("seats", 1e21)
		g.profile.set("tags", []string{"<a>", awkward})
		g.profile.set("owner", nil)
		g.profile.set("synced", true)
	}
	for i, a := range o.apps {
		if i%2 == 0 {
			a.label = awkward
			a.name = "app<&>" + a.name
		}
	}
	o.info.companyName = awkward
	o.info.address1 = "1 <Main> & \u2028 St"
	o.cache.invalidate()
	return o
}

// marshalEqual fails unless got is want's encoding/json text.
func marshalEqual(t *testing.T, what string, got []byte, want any) {
	t.Helper()
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatalf("%s: marshalling the reference: %v", what, err)
	}
	if !bytes.Equal(got, w) {
		t.Fatalf("%s: rendering differs (-want +got):\n%s", what,
			cmp.Diff(string(w), string(got)))
	}
}

func TestAppendGroupMatchesReference(t *testing.T) {
	o := awkwardOrg(t, OrgConfig{Seed: 6, Users: 400, Groups: 30, Apps: 6})
	const base = "https://sim6.example.test"
	kinds := map[string]int{}
	for _, g := range o.groups {
		kinds[g.typ]++
	}
	if kinds["BUILT_IN"] == 0 || kinds["OKTA_GROUP"] == 0 || kinds["APP_GROUP"] == 0 {
		t.Fatalf("got group kinds %v, want every kind", kinds)
	}
	for _, expand := range []string{"", "stats", "app", "stats,app", "app,stats", "other"} {
		t.Run("expand="+expand, func(t *testing.T) {
			for _, g := range o.groups {
				got, err := o.appendGroup(nil, g, base, expand)
				if err != nil {
					t.Fatalf("group %s: %v", g.id, err)
				}
				marshalEqual(t, "group "+g.id, got, refGroup(o, g, base, expand))
			}
		})
	}
}

func TestAppendAppMatchesReference(t *testing.T) {
	o := awkwardOrg(t, OrgConfig{Seed: 7, Users: 200, Apps: 40})
	const base = "https://sim7.example.test"
	status := map[string]int{}
	for _, a := range o.apps {
		status[a.status]++
		marshalEqual(t, "app "+a.id, o.appendApp(nil, a, base), refApp(o, a, base))
		for _, ga := range a.groups {
			got := appendAppGroup(nil, ga, base+"/api/v1/apps/"+a.id, base)
			marshalEqual(t, "app group "+ga.groupID, got, refAppGroup(ga, a, base))
		}
	}
	if status["ACTIVE"] == 0 || status["INACTIVE"] == 0 {
		t.Fatalf("got app statuses %v, want ACTIVE and INACTIVE", status)
	}
}

func TestAppendOrgAndDomainsMatchReference(t *testing.T) {
	o := awkwardOrg(t, OrgConfig{Seed: 8, Users: 10})
	for _, base := range []string{"https://sim8.example.test", "https://zoë.example.test/<&>"} {
		t.Run(base, func(t *testing.T) {
			marshalEqual(t, "org", appendOrg(nil, o.info, base), refOrg(o.info, base))
			marshalEqual(t, "domains", appendDomains(nil, o.info, base),
				refDomains(o.info, base))
		})
	}
}

func TestAppendJoinedMatchesJoinedString(t *testing.T) {
	tests := []struct {
		name  string
		parts []string
	}{
		{"ascii", []string{"https://a.test", "/api/v1/users/", "00u1"}},
		{"escapes", []string{"<&>", `"\`, "\u2028"}},
		{"unicode", []string{"zoë", "田中", "🙂"}},
		{"sequence split at a seam", []string{"a\xe2\x80", "\xa8b"}},
		{"invalid byte", []string{"x\xff", "y"}},
		{"empty parts", []string{"", "", "z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, _ := json.Marshal(strings.Join(tt.parts, ""))
			if got := appendJoined(nil, tt.parts...); !bytes.Equal(got, want) {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}

// TestEventRefFollowsUpdate renders a generated event, changes its
// actor's profile and renders it again: the cached reference must give
// way to the new names.
func TestEventRefFollowsUpdate(t *testing.T) {
	o := newTestOrg(t, OrgConfig{Seed: 9, Users: 50, Events: 200})
	e := o.log.generate(0)
	marshalEqual(t, "event before", appendEvent(nil, e), e.render())
	if !e.actor.isCachedJSON() {
		t.Fatal("got an actor without cached JSON, want the cache in use")
	}
	if err := o.UpdateUser(e.actor.id, map[string]any{"displayName": awkward,
		"login": "new<&>@example.com"}); err != nil {
		t.Fatal(err)
	}
	e2 := o.log.generate(0)
	got := appendEvent(nil, e2)
	marshalEqual(t, "event after", got, e2.render())
	if want, _ := json.Marshal(awkward); !bytes.Contains(got, want) {
		t.Errorf("got event %s, want the new display name %s", got, want)
	}
}

func (r ref) isCachedJSON() bool { return r.json != nil }
