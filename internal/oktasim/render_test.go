package oktasim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "<tag> & amp",
		"tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f", "José Ñúñez", "田中 太郎",
		"Ελένη", "emoji 🙂", "line\u2028para\u2029", "bad \xff\xfe utf8", "\xc3",
		"ends in \xe2\x80",
	} {
		t.Run(s, func(t *testing.T) {
			want, _ := json.Marshal(s)
			if got := appendString(nil, s); !bytes.Equal(got, want) {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 0.5, 123.456, 57.7089, -97.7431, 1e20, 1e21,
		1.5e21, 1e-6, 1e-7, -2.5e-9, 1e100, math.MaxFloat64, math.SmallestNonzeroFloat64,
		12345678901234567} {
		want, _ := json.Marshal(f)
		got, ok := appendFloat(nil, f)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("appendFloat(%v): got %s (ok %v), want %s", f, got, ok, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, ok := appendFloat(nil, f); ok {
			t.Errorf("appendFloat(%v): got ok, want a refusal", f)
		}
	}
}

// TestAppendEventMatchesReference renders every event of a generated log,
// and events written by mutations, both ways and wants the same bytes;
// it also checks the log holds every quirk the renderer must keep, so a
// generator change cannot leave one untested.
func TestAppendEventMatchesReference(t *testing.T) {
	clock := NewManualClock(epoch)
	o := newTestOrg(t, OrgConfig{Seed: 3, Users: 300, Events: 20_000, Clock: clock})
	mutateForRender(t, o)
	var es []*event
	for i := range o.log.n {
		es = append(es, o.log.generate(i))
	}
	es = append(es, o.log.extra...)
	seen := map[string]int{}
	for _, e := range es {
		want, err := json.Marshal(e.render())
		if err != nil {
			t.Fatal(err)
		}
		if got := appendEvent(nil, e); !bytes.Equal(got, want) {
			t.Fatalf("event %s: rendering differs (-want +got):\n%s", e.uuid,
				cmp.Diff(string(want), string(got)))
		}
		countQuirks(seen, e)
	}
	for _, q := range []string{"target null", "detailEntry null", "detailEntry object",
		"debugData string", "debugData object", "no millis", "millis", "zone null",
		"zone text", "no client", "failure", "deny", "api token", "appended"} {
		if seen[q] == 0 {
			t.Errorf("quirk %q: got no event with it, want some", q)
		}
	}
}

func countQuirks(seen map[string]int, e *event) {
	add := func(ok bool, yes, no string) {
		if ok {
			seen[yes]++
		} else if no != "" {
			seen[no]++
		}
	}
	add(e.targets == nil, "target null", "")
	for _, r := range e.targets {
		add(r.detail == nil, "detailEntry null", "detailEntry object")
	}
	add(e.debugText, "debugData string", "debugData object")
	add(e.noMillis, "no millis", "millis")
	add(e.zoneNull, "zone null", "zone text")
	add(e.client < 0, "no client", "")
	add(e.failure == "DENY", "deny", "")
	add(e.failure != "" && e.failure != "DENY", "failure", "")
	add(e.tokenID != "", "api token", "")
	add(e.key.appended(), "appended", "")
}

// mutateForRender adds a user with awkward profile values and a few
// events, so rendering meets what only mutations write.
func mutateForRender(t *testing.T, o *Org) {
	t.Helper()
	id, err := o.CreateUser(UserInput{Profile: map[string]any{
		"login": "odd<&>@example.com", "email": "odd@example.com",
		"firstName": "Zoë \u2028", "lastName": "bad \xff", "displayName": "\"quoted\"\n",
		"costCenter": 1e-7, "employeeNumber": 1e21, "score": 12.5, "count": 3,
		"vip": true, "nickName": nil, "tags": []any{"a", "<b>"},
	}})
	if err != nil {
		t.Fatalf("creating awkward user: %v", err)
	}
	if err := o.DeactivateUser(id); err != nil {
		t.Fatalf("deactivating %s: %v", id, err)
	}
	// A group assigned and unassigned writes the group.application_assignment
	// types and the app membership events of its members.
	if len(o.apps) > 0 {
		a := o.apps[0]
		for _, g := range o.groups {
			if o.AssignAppGroup(a.id, g.id) == nil {
				must(t, o.UnassignAppGroup(a.id, g.id))
				break
			}
		}
	}
	_, err = o.AddEvent(EventInput{EventType: "user.session.start", ActorID: id,
		Failure: "INVALID_CREDENTIALS", Published: epoch.Add(-time.Minute)})
	if err != nil {
		t.Fatalf("adding event: %v", err)
	}
}

func TestAppendUserMatchesReference(t *testing.T) {
	o := newTestOrg(t, OrgConfig{Seed: 4, Users: 2000})
	mutateForRender(t, o)
	const base = "https://sim4.example.test"
	for _, u := range o.users {
		for _, full := range []bool{false, true} {
			want, err := json.Marshal(renderUser(u, base, full))
			if err != nil {
				t.Fatal(err)
			}
			got, err := appendUser(nil, u, base, full)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("user %s (full %v): error %v, diff:\n%s", u.id, full, err,
					cmp.Diff(string(want), string(got)))
			}
		}
	}
}

// TestAppendAppUserMatchesReference renders every assignment twice, the
// second time from the cached profile part, and wants encoding/json's
// bytes both times.
func TestAppendAppUserMatchesReference(t *testing.T) {
	o := newTestOrg(t, OrgConfig{Seed: 5, Users: 1000, Apps: 8})
	mutateForRender(t, o)
	odd := o.users[0].id
	for _, u := range o.users {
		if u.profile.str("login") == "odd<&>@example.com" {
			odd = u.id
		}
	}
	if err := o.AssignAppUser(o.apps[0].id, odd); err != nil {
		t.Fatal(err)
	}
	const base = "https://sim5.example.test"
	n := 0
	for _, a := range o.apps {
		appHref := appendHref(nil, base+"/api/v1/apps/"+a.id)
		for _, au := range o.appUsersAfter(a, "", 1000) {
			u := o.userByID[au.userID]
			want, err := json.Marshal(refAppUser(au, u, a, base))
			if err != nil {
				t.Fatal(err)
			}
			for _, pass := range []string{"cold", "cached"} {
				got := o.cache.appendAppUser(nil, au, u, appHref, base)
				if !bytes.Equal(got, want) {
					t.Fatalf("app %s user %s (%s): diff:\n%s", a.id, u.id, pass,
						cmp.Diff(string(want), string(got)))
				}
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("got no app assignments to compare, want some")
	}
}

func TestUUIDFromMatchesFormat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ref := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		a, b := ref.Uint64(), ref.Uint64()
		want := fmt.Sprintf("%08x-%04x-11ef-%04x-%012x",
			uint32(a>>32), uint16(a>>16), uint16(b>>48), b&0xffffffffffff)
		if got := uuidFrom(r); got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}
}

func TestAppendMillisMatchesFormat(t *testing.T) {
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	for _, tm := range []time.Time{
		time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(2024, 2, 29, 7, 8, 9, 10_000_000, zone),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 6, 1, 0, 0, 0, 0, time.UTC),
		time.UnixMilli(1627500044869),
	} {
		want := tm.UTC().Format("2006-01-02T15:04:05.000Z")
		if got := string(appendMillis(nil, tm)); got != want {
			t.Errorf("appendMillis(%v): got %s, want %s", tm, got, want)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 10_000 {
		tm := time.UnixMilli(r.Int64N(4_102_444_800_000)).Add(time.Duration(r.IntN(1e6)))
		want := tm.UTC().Format("2006-01-02T15:04:05.000Z")
		if got := string(appendMillis(nil, tm)); got != want {
			t.Fatalf("appendMillis(%v): got %s, want %s", tm, got, want)
		}
	}
}
