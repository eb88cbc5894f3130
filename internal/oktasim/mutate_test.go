package oktasim

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func eventsAfter(o *Org, n int) []Event {
	var out []Event
	i := 0
	for e := range o.Events() {
		if i >= n {
			out = append(out, e)
		}
		i++
	}
	return out
}

func TestMutationsWriteTheirEvents(t *testing.T) {
	clock := NewManualClock(epoch)
	o := newTestOrg(t, OrgConfig{Seed: 21, Users: 30, Groups: 4, Apps: 3, Events: 50,
		Clock: clock})
	var okta Group
	for _, g := range o.Groups() {
		if g.Type == "OKTA_GROUP" {
			okta = g
			break
		}
	}
	app := o.Apps()[0]
	// The new user joins Everyone, so gains the apps it is assigned to
	// (appaccess.go).
	var everyoneAdds []string
	for _, a := range o.Apps() {
		if slices.Contains(a.Groups, everyoneID(o.groups)) {
			everyoneAdds = append(everyoneAdds, "application.user_membership.add")
		}
	}
	if len(everyoneAdds) == 0 {
		t.Fatal("no app is assigned to Everyone; the generator should assign one")
	}
	before := o.EventCount()
	clock.Advance(time.Minute)

	id, err := o.CreateUser(UserInput{Profile: map[string]any{
		"login": "new.person@sim.example.com", "email": "new.person@sim.example.com",
		"firstName": "Новый", "lastName": "Человек"}})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	steps := []struct {
		name  string
		do    func() error
		types []string
	}{
		{"update", func() error { return o.UpdateUser(id, map[string]any{"title": "CTO"}) },
			[]string{"user.account.update_profile"}},
		{"add member", func() error { return o.AddGroupMember(okta.ID, id) },
			[]string{"group.user_membership.add"}},
		{"remove member", func() error { return o.RemoveGroupMember(okta.ID, id) },
			[]string{"group.user_membership.remove"}},
		{"assign", func() error { return o.AssignAppUser(app.ID, id) },
			[]string{"application.user_membership.add"}},
		{"unassign", func() error { return o.UnassignAppUser(app.ID, id) },
			[]string{"application.user_membership.remove"}},
		{"delete active deactivates only", func() error {
			deleted, err := o.DeleteUser(id)
			if deleted {
				return errors.New("deleted an ACTIVE user, want deactivation first")
			}
			return err
		}, []string{"user.lifecycle.deactivate"}},
		{"delete deprovisioned", func() error {
			deleted, err := o.DeleteUser(id)
			if !deleted {
				return errors.New("not deleted")
			}
			return err
		}, []string{"user.lifecycle.delete.initiated", "user.lifecycle.delete.completed"}},
	}
	seen := before + 1 + len(everyoneAdds) // the create event and the apps it gives
	if got := eventsAfter(o, before)[0]; got.EventType != "user.lifecycle.create" ||
		!cmp.Equal(got.TargetIDs, []string{id}) {
		t.Errorf("create wrote %+v, want user.lifecycle.create on %s", got, id)
	}
	var created []string
	for _, e := range eventsAfter(o, before+1) {
		created = append(created, e.EventType)
	}
	if d := cmp.Diff(everyoneAdds, created); d != "" {
		t.Errorf("events after the create (-want +got):\n%s", d)
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.do(); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range eventsAfter(o, seen) {
				got = append(got, e.EventType)
				if e.TargetIDs[0] != id && e.TargetIDs[1] != id {
					t.Errorf("event %s targets %v, want the user", e.EventType, e.TargetIDs)
				}
			}
			seen += len(got)
			if d := cmp.Diff(s.types, got); d != "" {
				t.Errorf("events (-want +got):\n%s", d)
			}
		})
	}
	if _, ok := o.User(id); ok {
		t.Errorf("deleted user still listed")
	}
	for _, g := range o.Groups() {
		if g.ID == okta.ID && !g.LastMembershipUpdated.Equal(epoch.Add(time.Minute)) {
			t.Errorf("lastMembershipUpdated %v, want the mutation time", g.LastMembershipUpdated)
		}
	}
	if err := o.AddGroupMember("00gnope", "00unope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown ids: got %v, want ErrNotFound", err)
	}
}

func adminCall(t *testing.T, method, url string, body any) (int, map[string]any) {
	t.Helper()
	var r *bytes.Reader
	b, _ := json.Marshal(body)
	r = bytes.NewReader(b)
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("Authorization", "SSWS "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestAdminAPIAndFaults(t *testing.T) {
	o, srv := StartTest(t, OrgConfig{Seed: 2, Users: 10, Token: testToken})
	status, out := adminCall(t, "POST", srv.URL()+"/_sim/users", map[string]any{
		"profile": map[string]any{"login": "a@b.example", "email": "a@b.example",
			"skills": []string{"go"}}})
	if status != 201 || out["id"] == nil {
		t.Fatalf("create: got %d %v", status, out)
	}
	id := out["id"].(string)
	status, _ = adminCall(t, "POST", srv.URL()+"/_sim/users/"+id+"/deactivate", nil)
	if status != 200 {
		t.Errorf("deactivate: got %d", status)
	}
	if u, _ := o.User(id); u.Status != StatusDeprovisioned {
		t.Errorf("got status %s, want DEPROVISIONED", u.Status)
	}
	status, _ = adminCall(t, "POST", srv.URL()+"/_sim/users/00unope/deactivate", nil)
	if status != 404 {
		t.Errorf("unknown user: got %d, want 404", status)
	}
	req, _ := http.NewRequest("GET", srv.URL()+"/_sim/summary", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Errorf("admin without token: got %v %v, want 401", resp.StatusCode, err)
	}

	tests := []struct {
		name   string
		faults Faults
		check  func(t *testing.T)
	}{
		{"server errors", Faults{ServerErrors: 1}, func(t *testing.T) {
			resp, body := get(t, srv.URL()+"/api/v1/users")
			if resp.StatusCode != 500 || !strings.Contains(string(body), "E0000009") {
				t.Errorf("got %d %s, want 500 E0000009", resp.StatusCode, body)
			}
		}},
		{"429 storm", Faults{RateLimited: 1}, func(t *testing.T) {
			resp, _ := get(t, srv.URL()+"/api/v1/users")
			if resp.StatusCode != 429 || resp.Header.Get("X-Rate-Limit-Remaining") != "0" {
				t.Errorf("got %d remaining %s, want 429 and 0", resp.StatusCode,
					resp.Header.Get("X-Rate-Limit-Remaining"))
			}
		}},
		{"malformed", Faults{Malformed: 1}, func(t *testing.T) {
			_, body := get(t, srv.URL()+"/api/v1/users")
			if json.Valid(body) {
				t.Errorf("got valid JSON, want malformed")
			}
		}},
		{"truncated", Faults{Truncated: 1}, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL()+"/api/v1/users", nil)
			req.Header.Set("Authorization", "SSWS "+testToken)
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				_, err = bytes.NewBuffer(nil).ReadFrom(resp.Body)
				resp.Body.Close()
			}
			if err == nil {
				t.Errorf("read a truncated body without error")
			}
		}},
		{"token revoked mid-listing", Faults{RevokeAfter: 2}, func(t *testing.T) {
			var got []int
			for range 3 {
				resp, _ := get(t, srv.URL()+"/api/v1/users?limit=2")
				got = append(got, resp.StatusCode)
			}
			if d := cmp.Diff([]int{200, 200, 401}, got); d != "" {
				t.Errorf("statuses (-want +got):\n%s", d)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _ := adminCall(t, "PUT", srv.URL()+"/_sim/faults", tt.faults)
			if status != 200 {
				t.Fatalf("setting faults: got %d", status)
			}
			tt.check(t)
			if err := o.SetFaults(Faults{}); err != nil {
				t.Fatal(err)
			}
		})
	}
	if err := o.SetFaults(Faults{ServerErrors: 2}); err == nil {
		t.Errorf("share 2 accepted, want an error")
	}
}
