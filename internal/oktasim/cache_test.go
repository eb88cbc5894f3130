package oktasim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// cachePublicURL puts escaping into every link the cache keeps.
const cachePublicURL = "https://zoë.example.test/<&>"

// serveBody answers path through the org's handler and returns the body.
func serveBody(t *testing.T, o *Org, path string) []byte {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://sim.test"+path, nil)
	req.Header.Set("Authorization", "SSWS "+testToken)
	w := httptest.NewRecorder()
	o.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: got status %d, want 200: %s", path, w.Code, w.Body.Bytes())
	}
	return w.Body.Bytes()
}

// pageIDs returns the ids of a list page, in order.
func pageIDs(t *testing.T, body []byte) []string {
	t.Helper()
	var items []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &items); err != nil {
		t.Fatalf("decoding page %.200s: %v", body, err)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

// cachePage is one endpoint and the encoding/json reference of a body it
// returned, built from the org as it is now.
type cachePage struct {
	name string
	path func(o *Org) string
	want func(t *testing.T, o *Org, body []byte) any
}

var cachePages = []cachePage{
	{"users", func(*Org) string { return "/api/v1/users?limit=200" }, refUserPage},
	{"search users", func(*Org) string { return "/api/v1/users?search=status%20pr&limit=200" },
		refUserPage},
	{"group members", func(o *Org) string {
		return "/api/v1/groups/" + everyoneID(o.groups) + "/users?limit=1000"
	}, refUserPage},
	{"groups", func(*Org) string { return "/api/v1/groups?limit=200" },
		refGroupPage("")},
	{"groups with stats", func(*Org) string { return "/api/v1/groups?expand=stats,app" },
		refGroupPage("stats,app")},
	{"apps", func(*Org) string { return "/api/v1/apps?includeNonDeleted=true&limit=200" },
		func(t *testing.T, o *Org, body []byte) any {
			var out []appJSON
			for _, id := range pageIDs(t, body) {
				out = append(out, refApp(o, o.appBy[id], cachePublicURL))
			}
			return out
		}},
	{"app users", func(o *Org) string {
		return "/api/v1/apps/" + o.apps[0].id + "/users?limit=500"
	}, refAppUserPage},
	{"app groups", func(o *Org) string { return "/api/v1/apps/" + o.apps[0].id + "/groups" },
		func(t *testing.T, o *Org, _ []byte) any {
			out := []map[string]any{}
			for _, ga := range o.apps[0].groups {
				out = append(out, refAppGroup(ga, o.apps[0], cachePublicURL))
			}
			return out
		}},
	{"org", func(*Org) string { return "/api/v1/org" },
		func(_ *testing.T, o *Org, _ []byte) any { return refOrg(o.info, cachePublicURL) }},
	{"domains", func(*Org) string { return "/api/v1/domains" },
		func(_ *testing.T, o *Org, _ []byte) any { return refDomains(o.info, cachePublicURL) }},
}

func refAppUserPage(t *testing.T, o *Org, body []byte) any {
	a := o.apps[0]
	byID := map[string]appUser{}
	for _, au := range o.appUsersAfter(a, "", len(o.users)) {
		byID[au.userID] = au
	}
	var out []appUserJSON
	for _, id := range pageIDs(t, body) {
		out = append(out, refAppUser(byID[id], o.userByID[id], a, cachePublicURL))
	}
	return out
}

func refUserPage(t *testing.T, o *Org, body []byte) any {
	var out []userJSON
	for _, id := range pageIDs(t, body) {
		out = append(out, renderUser(o.userByID[id], cachePublicURL, false))
	}
	return out
}

func refGroupPage(expand string) func(*testing.T, *Org, []byte) any {
	return func(t *testing.T, o *Org, body []byte) any {
		var out []groupJSON
		for _, id := range pageIDs(t, body) {
			out = append(out, refGroup(o, o.groupBy[id], cachePublicURL, expand))
		}
		return out
	}
}

// checkPages fetches every cachePage and compares it with its reference.
func checkPages(t *testing.T, o *Org, round string) {
	t.Helper()
	for _, p := range cachePages {
		body := serveBody(t, o, p.path(o))
		marshalEqual(t, round+" "+p.name, body, p.want(t, o, body))
	}
}

// TestCachedPagesMatchReference serves every kind of page cold, again
// from the cache, and again after mutations that touch what the cache
// holds: each time the bytes must be encoding/json's for the org as it
// is then.
func TestCachedPagesMatchReference(t *testing.T) {
	o := awkwardOrg(t, OrgConfig{Seed: 10, Users: 600, Groups: 12, Apps: 6,
		Limits: RateLimits{Off: true}, PublicURL: cachePublicURL})
	checkPages(t, o, "cold")
	first := o.users[0]
	for _, slot := range []struct {
		name string
		c    *cached
	}{{"user list", first.list.Load()},
		{"app user", o.userByID[o.appUsersAfter(o.apps[0], "", 1)[0].userID].app.Load()},
		{"group", o.groups[0].rendered.Load()}, {"app", o.apps[0].rendered.Load()}} {
		if slot.c == nil {
			t.Errorf("%s: got nothing cached after the cold round, want an entry", slot.name)
		}
	}
	checkPages(t, o, "cached")
	id := first.id
	if err := o.UpdateUser(id, map[string]any{"firstName": awkward, "email": "e<&>@x.test",
		"login": "l\u2028@x.test", "score": 1e-9, "tags": []any{"<t>"}}); err != nil {
		t.Fatal(err)
	}
	if err := o.AssignAppUser(o.apps[0].id, id); err != nil {
		t.Logf("assigning %s: %v (already assigned)", id, err)
	}
	for _, g := range o.groups {
		if g.typ == "OKTA_GROUP" {
			_ = o.AddGroupMember(g.id, id)
		}
	}
	if err := o.DeactivateUser(o.users[1].id); err != nil {
		t.Fatal(err)
	}
	checkPages(t, o, "mutated")
	if got := o.userByID[id].list.Load(); got == nil || !json.Valid(got.b) {
		t.Errorf("user %s: got no valid cached rendering after the mutated round", id)
	}
}

// TestRenderCacheBudget serves the same pages with the cache off and with
// a budget far below the org: the bytes stay right and the budget holds.
func TestRenderCacheBudget(t *testing.T) {
	tests := []struct {
		name   string
		budget int64
	}{
		{"off", -1},
		{"small", 16 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := awkwardOrg(t, OrgConfig{Seed: 11, Users: 300, Apps: 4,
				Limits: RateLimits{Off: true}, PublicURL: cachePublicURL,
				RenderCache: tt.budget})
			checkPages(t, o, "cold")
			checkPages(t, o, "again")
			var held int64
			entries := 0
			for _, u := range o.users {
				for _, c := range []*cached{u.list.Load(), u.app.Load(), u.ref.Load()} {
					if c != nil {
						held += c.size()
						entries++
					}
				}
			}
			for _, g := range o.groups {
				if c := g.rendered.Load(); c != nil {
					held += c.size()
					entries++
				}
			}
			for _, a := range o.apps {
				if c := a.rendered.Load(); c != nil {
					held += c.size()
					entries++
				}
			}
			if used := o.cache.used.Load(); used != held {
				t.Errorf("got %d bytes accounted, want %d held", used, held)
			}
			if held > max(tt.budget, 0) {
				t.Errorf("got %d bytes held, want at most the budget %d", held, tt.budget)
			}
			if tt.budget > 0 && entries == 0 {
				t.Error("got no entry cached, want some within the budget")
			}
		})
	}
}

// TestCacheConcurrentReadsAndMutations reads cached pages from several
// goroutines while users change (run it with -race): every body must be
// valid JSON, and once the writer stops the pages are the reference's.
func TestCacheConcurrentReadsAndMutations(t *testing.T) {
	o := awkwardOrg(t, OrgConfig{Seed: 12, Users: 300, Apps: 3,
		Limits: RateLimits{Off: true}, PublicURL: cachePublicURL})
	done := make(chan struct{})
	errs := make(chan string, 8)
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 20 {
				p := cachePages[i%len(cachePages)]
				req := httptest.NewRequest(http.MethodGet, "http://sim.test"+p.path(o), nil)
				req.Header.Set("Authorization", "SSWS "+testToken)
				w := httptest.NewRecorder()
				o.Handler().ServeHTTP(w, req)
				if w.Code != http.StatusOK || !json.Valid(w.Body.Bytes()) {
					errs <- p.name
					return
				}
			}
		}()
	}
	for i := range 20 {
		title := awkward + string(rune('a'+i))
		if err := o.UpdateUser(o.users[i%10].id, map[string]any{"title": title}); err != nil {
			t.Fatal(err)
		}
	}
	for range 4 {
		<-done
	}
	close(errs)
	for name := range errs {
		t.Errorf("%s: got a failed or invalid response while users changed", name)
	}
	checkPages(t, o, "settled")
}
