package oktasim

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// adminRoute is one route of the admin API: what it serves and the line
// that documents it (AdminHelp), kept together so the help cannot drift.
type adminRoute struct {
	method, path, doc string
	serve             func(o *Org, r *http.Request) (int, any)
}

// adminRoutes is the admin API, served under /_sim/ off the Okta paths
// for processes that cannot call the Go API.
var adminRoutes = []adminRoute{
	{"GET", "/_sim/requests", "request log (JSON array)",
		func(o *Org, _ *http.Request) (int, any) { return 200, o.Requests() }},
	{"DELETE", "/_sim/requests", "forget the request log",
		func(o *Org, _ *http.Request) (int, any) {
			o.ResetRequests()
			return 200, map[string]bool{"ok": true}
		}},
	{"POST", "/_sim/users", `create: {"profile":{…},"status":…} → {"id":…}`,
		(*Org).adminCreateUser},
	{"POST", "/_sim/users/{id}", `update the profile: {"profile":{…}}`, (*Org).adminUpdateUser},
	{"POST", "/_sim/users/{id}/deactivate", "deactivate (DEPROVISIONED)",
		func(o *Org, r *http.Request) (int, any) {
			return result(o.DeactivateUser(r.PathValue("id")), nil)
		}},
	{"DELETE", "/_sim/users/{id}",
		"deactivate, or delete a DEPROVISIONED user\n" + `→ {"deleted":…}`,
		func(o *Org, r *http.Request) (int, any) {
			deleted, err := o.DeleteUser(r.PathValue("id"))
			return result(err, map[string]bool{"deleted": deleted})
		}},
	{"PUT", "/_sim/groups/{gid}/users/{uid}", "add a member to an OKTA_GROUP",
		func(o *Org, r *http.Request) (int, any) {
			return result(o.AddGroupMember(r.PathValue("gid"), r.PathValue("uid")), nil)
		}},
	{"DELETE", "/_sim/groups/{gid}/users/{uid}", "remove a member from an OKTA_GROUP",
		func(o *Org, r *http.Request) (int, any) {
			return result(o.RemoveGroupMember(r.PathValue("gid"), r.PathValue("uid")), nil)
		}},
	{"PUT", "/_sim/apps/{aid}/users/{uid}", "assign a user to an app directly",
		func(o *Org, r *http.Request) (int, any) {
			return result(o.AssignAppUser(r.PathValue("aid"), r.PathValue("uid")), nil)
		}},
	{"DELETE", "/_sim/apps/{aid}/users/{uid}", "remove a direct assignment",
		func(o *Org, r *http.Request) (int, any) {
			return result(o.UnassignAppUser(r.PathValue("aid"), r.PathValue("uid")), nil)
		}},
	{"PUT", "/_sim/apps/{aid}/groups/{gid}", "assign a group to an app",
		func(o *Org, r *http.Request) (int, any) {
			return result(o.AssignAppGroup(r.PathValue("aid"), r.PathValue("gid")), nil)
		}},
	{"DELETE", "/_sim/apps/{aid}/groups/{gid}", "remove a group assignment",
		func(o *Org, r *http.Request) (int, any) {
			return result(o.UnassignAppGroup(r.PathValue("aid"), r.PathValue("gid")), nil)
		}},
	{"POST", "/_sim/events", "add an event: {\"eventType\",\"published\",\n" +
		"\"actorId\",\"targetIds\":[…],\"failure\"} → {\"uuid\":…}", (*Org).adminAddEvent},
	{"POST", "/_sim/tokens/revoke", `revoke a token: {"token":…}`, (*Org).adminRevoke},
	{"GET", "/_sim/faults", "the injected faults (JSON)",
		func(o *Org, _ *http.Request) (int, any) { return 200, o.Faults() }},
	{"PUT", "/_sim/faults", `set them; latency as "250ms"`, (*Org).adminSetFaults},
	{"POST", "/_sim/ratelimit/{bucket}", "spend ?n=N calls of a rate-limit bucket",
		func(o *Org, r *http.Request) (int, any) {
			n, err := strconv.Atoi(r.URL.Query().Get("n"))
			if err != nil || n < 0 {
				return 400, map[string]string{"error": "n must be a non-negative integer"}
			}
			o.SpendRateLimit(r.PathValue("bucket"), n)
			return 200, map[string]bool{"ok": true}
		}},
	{"GET", "/_sim/summary", "counts of users, groups, apps and events",
		(*Org).adminSummary},
}

// adminHelpIntro heads AdminHelp.
const adminHelpIntro = `Every route needs "Authorization: SSWS <token>", even once the
token is revoked for the Okta API; ` + HealthPath + ` needs none. Changes write
the System Log events Okta would; one that gives or takes a user's app
through a group also writes application.user_membership.add or .remove.
`

// AdminHelp documents the admin API for help texts, one route a line,
// from the same table the routes are served from, so it cannot miss one.
func AdminHelp() string {
	const indent = "\n" + "                                         "
	var b strings.Builder
	b.WriteString(adminHelpIntro)
	for _, r := range adminRoutes {
		doc := strings.ReplaceAll(r.doc, "\n", indent)
		fmt.Fprintf(&b, "  %-6s %-31s %s\n", r.method, r.path, doc)
	}
	return b.String()
}

// admin serves adminRoutes. Every call needs "Authorization: SSWS <the
// org's configured token>", even after that token was revoked for the
// Okta API.
func (o *Org) admin() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range adminRoutes {
		mux.HandleFunc(rt.method+" "+rt.path, func(w http.ResponseWriter, r *http.Request) {
			status, body := rt.serve(o, r)
			b, _ := json.Marshal(body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write(b)
		})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !o.adminAllowed(r) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write(errInvalidToken().body())
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (o *Org) adminAllowed(r *http.Request) bool {
	want := "SSWS " + o.cfg.Token
	got := r.Header.Get("Authorization")
	return o.cfg.Token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// result maps a mutation error to a status: 404, 409 or 400.
func result(err error, ok any) (int, any) {
	switch {
	case err == nil:
		if ok == nil {
			ok = map[string]bool{"ok": true}
		}
		return 200, ok
	case errors.Is(err, ErrNotFound):
		return 404, map[string]string{"error": err.Error()}
	case errors.Is(err, ErrConflict):
		return 409, map[string]string{"error": err.Error()}
	}
	return 400, map[string]string{"error": err.Error()}
}

func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	return dec.Decode(v)
}

func (o *Org) adminCreateUser(r *http.Request) (int, any) {
	var in struct {
		Profile map[string]any `json:"profile"`
		Status  string         `json:"status"`
	}
	if err := decode(r, &in); err != nil {
		return 400, map[string]string{"error": "decoding user: " + err.Error()}
	}
	id, err := o.CreateUser(UserInput{Profile: in.Profile, Status: in.Status})
	if err != nil {
		return result(err, nil)
	}
	return 201, map[string]string{"id": id}
}

func (o *Org) adminUpdateUser(r *http.Request) (int, any) {
	var in struct {
		Profile map[string]any `json:"profile"`
	}
	if err := decode(r, &in); err != nil {
		return 400, map[string]string{"error": "decoding profile: " + err.Error()}
	}
	return result(o.UpdateUser(r.PathValue("id"), in.Profile), nil)
}

func (o *Org) adminAddEvent(r *http.Request) (int, any) {
	var in struct {
		EventType string    `json:"eventType"`
		Published time.Time `json:"published"`
		ActorID   string    `json:"actorId"`
		TargetIDs []string  `json:"targetIds"`
		Failure   string    `json:"failure"`
	}
	if err := decode(r, &in); err != nil {
		return 400, map[string]string{"error": "decoding event: " + err.Error()}
	}
	uuid, err := o.AddEvent(EventInput(in))
	if err != nil {
		return result(err, nil)
	}
	return 201, map[string]string{"uuid": uuid}
}

func (o *Org) adminRevoke(r *http.Request) (int, any) {
	var in struct {
		Token string `json:"token"`
	}
	if err := decode(r, &in); err != nil {
		return 400, map[string]string{"error": "decoding token: " + err.Error()}
	}
	return 200, map[string]bool{"revoked": o.RevokeToken(in.Token)}
}

func (o *Org) adminSetFaults(r *http.Request) (int, any) {
	var f Faults
	if err := decode(r, &f); err != nil {
		return 400, map[string]string{"error": "decoding faults: " + err.Error()}
	}
	return result(o.SetFaults(f), o.Faults())
}

func (o *Org) adminSummary(*http.Request) (int, any) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return 200, map[string]int{"users": len(o.users), "groups": len(o.groups),
		"apps": len(o.apps), "events": o.log.n + len(o.log.extra)}
}
