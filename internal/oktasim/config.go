package oktasim

import (
	"crypto"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// OrgConfig describes one simulated org. Zero fields take the defaults
// named on them; NewOrg validates the rest.
type OrgConfig struct {
	Seed   uint64 // same seed, same org
	Users  int    // default 200
	Groups int    // OKTA_GROUPs besides Everyone and the APP_GROUPs; default 20
	Apps   int    // default 10
	Events int    // generated System Log events; default 1000

	// LookBack spreads generated events over this span before the org's
	// creation time; default DefaultLookBack.
	LookBack time.Duration
	// Trickle extends the generated stream this far past the creation
	// time: those events are persisted, and become visible, as the clock
	// passes them, which is how "live" activity and generated late
	// arrivals appear to a poller. Default 0.
	Trickle time.Duration
	// LateMax bounds how much earlier than its persistence a late
	// generated event is published (API.md §8.2); default 5 minutes.
	LateMax time.Duration

	// Token is the SSWS token the org accepts (API.md §1.1). It also
	// guards the admin API. Never logged.
	Token string
	// Subdomain names the org (https://<subdomain>.okta.com in its own
	// data); default "sim<seed>".
	Subdomain string
	// PublicURL, when set, is the base of every Link and _links URL
	// instead of the address the request reached.
	PublicURL string

	OAuth  OAuthConfig
	Limits RateLimits
	Quirks Quirks
	// Deny lists resources whose endpoints answer 403 E0000006:
	// "users", "groups", "apps", "logs", "org" (API.md §1.4).
	Deny []string
	// DisableAdmin turns the /_sim/ admin API off.
	DisableAdmin bool
	// Clock is the org's time source; nil means the real clock.
	Clock Clock
	// RenderCache is the byte budget for keeping rendered users, groups
	// and apps between requests; default DefaultRenderCache, negative
	// keeps nothing.
	RenderCache int64
}

// OAuthConfig enables POST /oauth2/v1/token for one service app
// (API.md §1.2). Without a ClientID the endpoint answers invalid_client.
type OAuthConfig struct {
	ClientID  string
	PublicKey crypto.PublicKey // RSA or ECDSA; verifies client assertions
	// Scopes granted to the app; default every read scope of API.md §1.2.
	Scopes []string
	// TokenLifetime of issued access tokens; default 1 hour (API.md §1.2).
	TokenLifetime time.Duration
	// RequireDPoP answers every token request with use_dpop_nonce
	// (API.md §1.3).
	RequireDPoP bool
}

// RateLimits sizes the per-bucket counters (API.md §0, §9). Zero values
// take Okta's Workforce defaults.
type RateLimits struct {
	Off         bool // no counting and no 429, for benchmarks
	Users       int  // list users; default 600 a minute
	User        int  // get one user; default 2000
	Groups      int  // groups and members; default 500
	Apps        int  // apps, app users, app groups; default 100
	Logs        int  // the System Log; default 120
	Generic     int  // every other /api/v1 path; default 1200
	Window      time.Duration
	Concurrency int // requests in flight per org; default 75 (API.md §9.2)
}

// LinkStyle chooses how Link headers are written (API.md §3).
type LinkStyle int

// The Link header styles.
const (
	// LinkMixed alternates separate and folded headers per request, so
	// a client meets both; the default.
	LinkMixed LinkStyle = iota
	// LinkSeparate writes one header line per link, as Okta does.
	LinkSeparate
	// LinkFolded joins the links into one comma-separated header, as
	// proxies do.
	LinkFolded
)

// Quirks are switches for behaviour API.md leaves open; each zero value
// is the reading harder on the client.
type Quirks struct {
	LinkStyle LinkStyle
	// RejectOverLimit answers a limit above the maximum with 400
	// E0000001 instead of clamping it (API.md §10 item 6).
	RejectOverLimit bool
	// ListInactiveApps returns INACTIVE apps from a plain /api/v1/apps;
	// by default only includeNonDeleted=true or a status filter shows
	// them (API.md §6.1, UNCONFIRMED).
	ListInactiveApps bool
	// HideDeprovisionedMembers leaves DEPROVISIONED users out of group
	// member lists (API.md §5.3, UNCONFIRMED).
	HideDeprovisionedMembers bool
	// ResumeExpiredCursor lets a System Log cursor older than the 90-day
	// retention resume at the retention edge instead of 400 (API.md
	// §8.4, UNCONFIRMED).
	ResumeExpiredCursor bool
	// NoEmptyLastPage omits the next link from a full last page of a
	// directory listing; by default a full page always has one, which
	// can lead to an empty page (http-exchanges.md §2).
	NoEmptyLastPage bool
}

// DefaultLookBack is the span generated events cover by default: the
// connector's default System Log look-back of 7 days less a margin, so a
// connector started minutes after the org was generated still finds every
// generated event inside its look-back (DESIGN.md §7). The margin also
// covers LateMax's default: a late event is published up to 5 minutes
// before it is persisted.
const DefaultLookBack = 7*24*time.Hour - 10*time.Minute

// Clock tells the simulator the time; tests inject one to run minute-long
// rate-limit windows and look-backs in no time.
type Clock interface{ Now() time.Time }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

var subdomainRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Okta's read scopes (API.md §1.2).
var readScopes = []string{
	"okta.users.read", "okta.groups.read", "okta.apps.read",
	"okta.logs.read", "okta.orgs.read", "okta.domains.read",
}

// withDefaults fills zero fields and rejects impossible values.
func (c OrgConfig) withDefaults() (OrgConfig, error) {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Users, 200)
	def(&c.Groups, 20)
	def(&c.Apps, 10)
	def(&c.Events, 1000)
	if c.Users < 0 || c.Groups < 0 || c.Apps < 0 || c.Events < 0 {
		return c, errors.New("counts of users, groups, apps and events must not be negative")
	}
	if c.LookBack == 0 {
		c.LookBack = DefaultLookBack
	}
	if c.LateMax == 0 {
		c.LateMax = 5 * time.Minute
	}
	if c.LookBack < 0 || c.Trickle < 0 || c.LateMax < 0 {
		return c, errors.New("look-back, trickle and late maximum must not be negative")
	}
	if c.Subdomain == "" {
		c.Subdomain = fmt.Sprintf("sim%d", c.Seed)
	}
	if !subdomainRE.MatchString(c.Subdomain) {
		return c, fmt.Errorf("subdomain %q is not a DNS label", c.Subdomain)
	}
	if c.Clock == nil {
		c.Clock = realClock{}
	}
	if c.RenderCache == 0 {
		c.RenderCache = DefaultRenderCache
	}
	c.Limits = c.Limits.withDefaults()
	if len(c.OAuth.Scopes) == 0 {
		c.OAuth.Scopes = readScopes
	}
	if c.OAuth.TokenLifetime == 0 {
		c.OAuth.TokenLifetime = time.Hour
	}
	if c.OAuth.ClientID != "" && c.OAuth.PublicKey == nil {
		return c, errors.New("oauth client id given without a public key")
	}
	return c, nil
}

func (l RateLimits) withDefaults() RateLimits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.Users, 600)
	def(&l.User, 2000)
	def(&l.Groups, 500)
	def(&l.Apps, 100)
	def(&l.Logs, 120)
	def(&l.Generic, 1200)
	def(&l.Concurrency, 75)
	if l.Window <= 0 {
		l.Window = time.Minute
	}
	return l
}
