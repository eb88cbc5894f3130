package oktasim

import (
	"slices"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

func newTestOrg(t *testing.T, cfg OrgConfig) *Org {
	t.Helper()
	if cfg.Clock == nil {
		cfg.Clock = NewManualClock(epoch)
	}
	if cfg.Token == "" {
		cfg.Token = testToken
	}
	o, err := NewOrg(cfg)
	if err != nil {
		t.Fatalf("NewOrg: %v", err)
	}
	return o
}

func firstEvents(o *Org, n int) []Event {
	var out []Event
	for e := range o.Events() {
		if len(out) == n {
			break
		}
		out = append(out, e)
	}
	return out
}

func TestGeneratorIsDeterministic(t *testing.T) {
	cfg := OrgConfig{Seed: 42, Users: 300, Groups: 12, Apps: 6, Events: 500}
	a, b := newTestOrg(t, cfg), newTestOrg(t, cfg)
	if d := cmp.Diff(a.Users(), b.Users()); d != "" {
		t.Errorf("users differ for one seed (-a +b):\n%s", d)
	}
	if d := cmp.Diff(a.Groups(), b.Groups()); d != "" {
		t.Errorf("groups differ for one seed (-a +b):\n%s", d)
	}
	if d := cmp.Diff(a.Apps(), b.Apps()); d != "" {
		t.Errorf("apps differ for one seed (-a +b):\n%s", d)
	}
	if d := cmp.Diff(firstEvents(a, 500), firstEvents(b, 500)); d != "" {
		t.Errorf("events differ for one seed (-a +b):\n%s", d)
	}
	cfg.Seed = 43
	c := newTestOrg(t, cfg)
	if cmp.Equal(a.Users(), c.Users()) {
		t.Errorf("seeds 42 and 43 gave the same users, want different orgs")
	}
}

func TestGeneratedOrgCoversOktaShapes(t *testing.T) {
	o := newTestOrg(t, OrgConfig{Seed: 7, Users: 2000, Groups: 30, Apps: 12, Events: 3000})
	users := o.Users()
	statuses := map[string]int{}
	noDept := 0
	var text []rune
	for _, u := range users {
		statuses[u.Status]++
		if _, ok := u.Profile["department"]; !ok {
			noDept++
		}
		for _, k := range []string{"firstName", "lastName", "city"} {
			s, _ := u.Profile[k].(string)
			text = append(text, []rune(s)...)
		}
	}
	for _, st := range AllStatuses {
		if statuses[st] == 0 {
			t.Errorf("got no %s user, want every status", st)
		}
	}
	if statuses[StatusActive] < len(users)/2 {
		t.Errorf("got %d ACTIVE of %d, want most users ACTIVE", statuses[StatusActive], len(users))
	}
	if noDept == 0 {
		t.Errorf("got every user with a department, want some without")
	}
	t.Run("scripts", func(t *testing.T) {
		for _, tab := range []*unicode.RangeTable{unicode.Latin, unicode.Cyrillic, unicode.Greek,
			unicode.Arabic, unicode.Hebrew, unicode.Devanagari, unicode.Han, unicode.Thai,
			unicode.Hangul, unicode.Hiragana} {
			if !slices.ContainsFunc(text, func(r rune) bool { return unicode.Is(tab, r) }) {
				t.Errorf("got no name in %v, want many scripts", tab)
			}
		}
		// Okta stores only 3-byte UTF-8 (API.md §4.4).
		if i := slices.IndexFunc(text, func(r rune) bool { return r > 0xFFFF }); i >= 0 {
			t.Errorf("got rune %U, want none outside the BMP", text[i])
		}
	})
	t.Run("groups", func(t *testing.T) {
		types := map[string]int{}
		for _, g := range o.Groups() {
			types[g.Type]++
			if g.Type == "BUILT_IN" && len(g.Members) != len(users) {
				t.Errorf("Everyone has %d members, want all %d users", len(g.Members), len(users))
			}
		}
		want := map[string]int{"BUILT_IN": 1, "OKTA_GROUP": 30, "APP_GROUP": 3}
		if d := cmp.Diff(want, types); d != "" {
			t.Errorf("group types (-want +got):\n%s", d)
		}
	})
	t.Run("apps", func(t *testing.T) {
		inactive, grouped := 0, 0
		for _, a := range o.Apps() {
			if a.Status == "INACTIVE" {
				inactive++
			}
			if len(a.Groups) > 0 {
				grouped++
			}
			if len(a.Users) == 0 {
				t.Errorf("app %s has no direct assignment", a.ID)
			}
		}
		if inactive == 0 || grouped == 0 {
			t.Errorf("got %d INACTIVE and %d group-assigned apps, want some of each",
				inactive, grouped)
		}
	})
	t.Run("events", func(t *testing.T) {
		lookBack := epoch.AddDate(0, 0, -7)
		backwards := 0
		var prev Event
		for e := range o.Events() {
			if e.Persisted.Before(lookBack) || e.Persisted.After(epoch) {
				t.Fatalf("event persisted %v, want within the 7 days before %v", e.Persisted, epoch)
			}
			if e.Published.After(e.Persisted) {
				t.Fatalf("event published %v after persisted %v", e.Published, e.Persisted)
			}
			if e.Published.Before(prev.Published) {
				backwards++
			}
			prev = e
		}
		if backwards == 0 {
			t.Errorf("published never goes backwards, want persistence order to differ")
		}
	})
}
