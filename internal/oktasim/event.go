package oktasim

import (
	"math/rand/v2"
	"slices"
	"time"
)

// event is one System Log event in compact form; eventJSON renders it.
type event struct {
	key       logKey
	persisted time.Time
	published time.Time
	noMillis  bool // published rendered without milliseconds
	uuid      string
	typ       *eventType
	actor     ref
	targets   []ref // nil renders as "target": null (API.md §8.5)
	failure   string
	client    int // index into clients; -1: no HTTP client behind it
	zoneNull  bool
	txID      string
	requestID string
	path      string
	tokenID   string // transaction.detail.requestApiTokenId
	sessionID string
	debugText bool // debugData rendered as a JSON string, not an object
}

// ref names an actor or a target.
type ref struct {
	id, typ, alternateID, display string
	detail                        map[string]string // nil: detailEntry null
	// json, when set, is the ref already rendered (renderCache.userRef);
	// whoever changes a field must drop it.
	json []byte
}

// eventType describes one System Log event type (API.md §8.6).
type eventType struct {
	name     string
	weight   int
	display  string
	legacy   string // "" renders null
	targets  string // what the targets are; see targetsFor
	severity string
	failRate float64
	reason   string
}

var eventTypes = []*eventType{
	{"user.session.start", 30, "User login to Okta", "core.user_auth.login_success",
		"", "INFO", 0.12, "INVALID_CREDENTIALS"},
	{"policy.evaluate_sign_on", 15, "Evaluation of sign-on policy", "", "policy", "INFO", 0, ""},
	{"user.authentication.sso", 20, "User single sign on to app", "app.auth.sso",
		"sso", "INFO", 0, ""},
	{"user.session.end", 8, "User logout from Okta", "core.user_auth.logout_success",
		"", "INFO", 0, ""},
	{"user.authentication.auth_via_mfa", 6, "Authentication of user via MFA", "", "", "INFO",
		0.05, "INVALID_CREDENTIALS"},
	{"user.authentication.verify", 4, "Verify user identity", "", "", "INFO", 0, ""},
	{"user.session.access_admin_app", 2, "User accessing Okta admin app", "", "", "INFO", 0, ""},
	{"user.account.update_profile", 3, "Update user profile for Okta", "", "user", "INFO", 0, ""},
	{"user.account.lock", 1, "Max sign in attempts exceeded", "", "user", "WARN", 0, ""},
	{"user.lifecycle.create", 1, "Create Okta user", "core.user.config.user_creation_success",
		"user", "INFO", 0, ""},
	{"user.lifecycle.activate", 1, "Activate Okta user", "", "user", "INFO", 0, ""},
	{"user.lifecycle.suspend", 1, "Suspend Okta user", "", "user", "INFO", 0, ""},
	{"user.lifecycle.deactivate", 1, "Deactivate Okta user", "core.user.config.user_deactivated",
		"user", "INFO", 0, ""},
	{"group.user_membership.add", 2, "Add user to group membership",
		"core.user_group_member.user_add", "group", "INFO", 0, ""},
	{"group.user_membership.remove", 1, "Remove user from group membership",
		"core.user_group_member.user_remove", "group", "INFO", 0, ""},
	{"application.user_membership.add", 2, "Add user to application membership", "",
		"app", "INFO", 0, ""},
	{"application.user_membership.remove", 1, "Remove user from application membership", "",
		"app", "INFO", 0, ""},
	{"app.oauth2.token.grant.access_token", 2, "OAuth2 access token is granted", "",
		"", "INFO", 0, ""},
	{"security.request.blocked", 1, "Request from suspicious actor", "", "", "WARN", 1, "DENY"},
	{"system.org.rate_limit.warning", 1, "Rate limit warning", "", "", "WARN", 0, ""},
}

// Extra event types written by mutations; not drawn by the generator.
var (
	evDeleteInitiated = &eventType{name: "user.lifecycle.delete.initiated",
		display: "Delete Okta user initiated", targets: "user", severity: "INFO"}
	evDeleteCompleted = &eventType{name: "user.lifecycle.delete.completed",
		display: "Delete Okta user completed", targets: "user", severity: "INFO"}
)

var eventWeights = func() int {
	t := 0
	for _, e := range eventTypes {
		t += e.weight
	}
	return t
}()

// mutationTypes are the types only mutations write.
var mutationTypes = []*eventType{evDeleteInitiated, evDeleteCompleted, evGroupAppAdd,
	evGroupAppRemove}

func typeByName(name string) *eventType {
	for _, t := range slices.Concat(eventTypes, mutationTypes) {
		if t.name == name {
			return t
		}
	}
	return &eventType{name: name, display: name, severity: "INFO"}
}

// generate computes generated event i from (seed, i) alone.
func (l *eventLog) generate(i int) *event {
	r := rand.New(rand.NewPCG(l.seed^0x5851f42d4c957f2d, uint64(i)))
	k := l.genKey(i)
	e := &event{key: k, persisted: time.UnixMilli(k.ms).UTC()}
	e.published = e.persisted.Add(-l.lag(r))
	if r.IntN(25) == 0 {
		e.published = e.published.Truncate(time.Second)
		e.noMillis = true
	}
	e.uuid = uuidFrom(r)
	e.typ = pickType(r)
	w := l.world
	actor := w.admin
	if len(w.users) > 0 {
		actor = w.users[r.IntN(len(w.users))]
	}
	e.actor = l.cache.userRef(actor)
	if r.Float64() < e.typ.failRate {
		e.failure = e.typ.reason
	}
	e.client = r.IntN(len(clients))
	if e.typ.name == "system.org.rate_limit.warning" {
		e.client = -1
	}
	e.zoneNull = r.IntN(3) == 0
	e.txID = randToken(r, 27)
	e.requestID = randToken(r, 27)
	e.sessionID = "idx" + randToken(r, 22)
	e.debugText = r.IntN(40) == 0
	l.targetsFor(e, r, actor)
	return e
}

// lag draws how long before its persistence an event was published: most
// within 80 ms, some up to 1.5 s (out of published order), and one in a
// hundred up to LateMax (late arrivals, API.md §8.2 and §10 item 11).
func (l *eventLog) lag(r *rand.Rand) time.Duration {
	switch p := r.IntN(100); {
	case p == 0 && l.lateMax > 0:
		return time.Duration(r.Int64N(l.lateMax)+1) * time.Millisecond
	case p < 15:
		return time.Duration(80+r.IntN(1420)) * time.Millisecond
	default:
		return time.Duration(r.IntN(80)) * time.Millisecond
	}
}

func pickType(r *rand.Rand) *eventType {
	x := r.IntN(eventWeights)
	for _, t := range eventTypes {
		if x < t.weight {
			return t
		}
		x -= t.weight
	}
	return eventTypes[0]
}

// targetsFor fills targets by the type's kind; sign-ins have none
// (target null, samples/logs-page.json event 1).
func (l *eventLog) targetsFor(e *event, r *rand.Rand, actor *user) {
	w := l.world
	switch e.typ.targets {
	case "user":
		e.targets = []ref{l.cache.userRef(w.users[r.IntN(len(w.users))])}
		e.path = "/api/v1/users/" + e.targets[0].id
	case "policy":
		e.targets = []ref{
			{id: "00p" + randToken(r, 14) + "0g7", typ: "PolicyEntity", alternateID: "unknown",
				display: "Default Policy", detail: map[string]string{"policyType": "OktaSignOn"}},
			{id: "0pr" + randToken(r, 14) + "0g7", typ: "PolicyRule", alternateID: "unknown",
				display: "Default Rule"},
		}
	case "sso", "app":
		if len(w.apps) == 0 {
			return
		}
		a := w.apps[r.IntN(len(w.apps))]
		e.targets = []ref{appRef(a), l.cache.userRef(actor)}
		if e.typ.targets == "sso" {
			e.targets[1].typ, e.targets[1].json = "AppUser", nil
		} else {
			e.path = "/api/v1/apps/" + a.id + "/users"
		}
	case "group":
		if len(w.groups) == 0 {
			return
		}
		gr := w.groups[r.IntN(len(w.groups))]
		u := w.users[r.IntN(len(w.users))]
		e.targets = []ref{l.cache.userRef(u), groupRef(gr)}
		e.path = "/api/v1/groups/" + gr.id + "/users/" + u.id
	}
}

func userRef(u *user) ref {
	if u == nil {
		return ref{id: "0oa0000000000000sim", typ: "PublicClientApp", alternateID: "okta-sim"}
	}
	return ref{id: u.id, typ: "User", alternateID: u.profile.str("login"),
		display: u.profile.str("displayName")}
}

func groupRef(g *group) ref {
	return ref{id: g.id, typ: "UserGroup", alternateID: "unknown", display: g.profile.str("name")}
}

func appRef(a *app) ref {
	return ref{id: a.id, typ: "AppInstance", alternateID: a.label, display: a.label,
		detail: map[string]string{"signOnModeType": a.signOnMode}}
}

// uuidFrom draws a version-1-looking uuid, "%08x-%04x-11ef-%04x-%012x"
// of two random words, written by hand: it runs for every event served.
func uuidFrom(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	var buf [36]byte
	hexInto(buf[0:8], a>>32)
	buf[8] = '-'
	hexInto(buf[9:13], a>>16)
	copy(buf[13:19], "-11ef-")
	hexInto(buf[19:23], b>>48)
	buf[23] = '-'
	hexInto(buf[24:36], b)
	return string(buf[:])
}

// hexInto writes the low len(dst) hex digits of v into dst.
func hexInto(dst []byte, v uint64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = hexDigits[v&0xf]
		v >>= 4
	}
}

// randToken draws n id characters; short tokens are built on the stack,
// so each costs one allocation, the string's.
func randToken(r *rand.Rand, n int) string {
	var buf [32]byte
	b := buf[:0]
	if n > len(buf) {
		b = make([]byte, 0, n)
	}
	b = b[:n]
	for i := range b {
		b[i] = idChars[r.IntN(len(idChars))]
	}
	return string(b)
}
