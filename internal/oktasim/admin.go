package oktasim

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// admin serves the simulator's own API under /_sim/, off the Okta paths,
// for processes that cannot call the Go API. Every call needs
// "Authorization: SSWS <the org's configured token>", even after that
// token was revoked for the Okta API. Routes:
//
//	GET    /_sim/requests                  request log (JSON array)
//	DELETE /_sim/requests                  forget it
//	POST   /_sim/users                     {"profile":{…},"status":"ACTIVE"} → {"id":…}
//	POST   /_sim/users/{id}                {"profile":{…}} update
//	POST   /_sim/users/{id}/deactivate
//	DELETE /_sim/users/{id}                → {"deleted":bool} (deactivates first)
//	PUT    /_sim/groups/{gid}/users/{uid}  add a member (DELETE removes)
//	PUT    /_sim/apps/{aid}/users/{uid}    assign (DELETE unassigns)
//	POST   /_sim/events                    {"eventType":…,"published":…,"actorId":…,
//	                                        "targetIds":[…],"failure":…} → {"uuid":…}
//	POST   /_sim/tokens/revoke             {"token":…}
//	GET    /_sim/faults, PUT /_sim/faults  Faults as JSON, latency as "250ms"
//	POST   /_sim/ratelimit/{bucket}?n=N    spend N calls of a bucket
//	GET    /_sim/summary                   counts of users, groups, apps, events
func (o *Org) admin() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, f func(*http.Request) (int, any)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			status, body := f(r)
			b, _ := json.Marshal(body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write(b)
		})
	}
	h("GET /_sim/requests", func(*http.Request) (int, any) { return 200, o.Requests() })
	h("DELETE /_sim/requests", func(*http.Request) (int, any) {
		o.ResetRequests()
		return 200, map[string]bool{"ok": true}
	})
	h("POST /_sim/users", o.adminCreateUser)
	h("POST /_sim/users/{id}", o.adminUpdateUser)
	h("POST /_sim/users/{id}/deactivate", func(r *http.Request) (int, any) {
		return result(o.DeactivateUser(r.PathValue("id")), nil)
	})
	h("DELETE /_sim/users/{id}", func(r *http.Request) (int, any) {
		deleted, err := o.DeleteUser(r.PathValue("id"))
		return result(err, map[string]bool{"deleted": deleted})
	})
	h("PUT /_sim/groups/{gid}/users/{uid}", func(r *http.Request) (int, any) {
		return result(o.AddGroupMember(r.PathValue("gid"), r.PathValue("uid")), nil)
	})
	h("DELETE /_sim/groups/{gid}/users/{uid}", func(r *http.Request) (int, any) {
		return result(o.RemoveGroupMember(r.PathValue("gid"), r.PathValue("uid")), nil)
	})
	h("PUT /_sim/apps/{aid}/users/{uid}", func(r *http.Request) (int, any) {
		return result(o.AssignAppUser(r.PathValue("aid"), r.PathValue("uid")), nil)
	})
	h("DELETE /_sim/apps/{aid}/users/{uid}", func(r *http.Request) (int, any) {
		return result(o.UnassignAppUser(r.PathValue("aid"), r.PathValue("uid")), nil)
	})
	h("POST /_sim/events", o.adminAddEvent)
	h("POST /_sim/tokens/revoke", o.adminRevoke)
	h("GET /_sim/faults", func(*http.Request) (int, any) { return 200, o.Faults() })
	h("PUT /_sim/faults", o.adminSetFaults)
	h("POST /_sim/ratelimit/{bucket}", func(r *http.Request) (int, any) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 0 {
			return 400, map[string]string{"error": "n must be a non-negative integer"}
		}
		o.SpendRateLimit(r.PathValue("bucket"), n)
		return 200, map[string]bool{"ok": true}
	})
	h("GET /_sim/summary", o.adminSummary)
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
