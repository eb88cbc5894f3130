package oktasim

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Org is one simulated Okta org: its directory, its System Log, its
// tokens, rate-limit counters, faults and request log. It is safe for
// concurrent use; its Handler serves it.
type Org struct {
	cfg   OrgConfig
	clock Clock

	mu       sync.RWMutex
	info     orgInfo
	users    []*user // sorted by id; deleted users leave
	userByID map[string]*user
	groups   []*group // sorted by id
	groupBy  map[string]*group
	apps     []*app // sorted by id
	appBy    map[string]*app
	log      eventLog
	cache    renderCache
	adminU   *user
	typeID   string // the default user type

	auth     *authState
	limits   *rateLimiter
	inFlight atomic.Int64
	faults   faultState
	reqs     requestLog
	reqSeq   atomic.Uint64
	baseURL  atomic.Pointer[string] // listener URL when PublicURL is unset
	rngMu    sync.Mutex
	rng      *rand.Rand
	handler  http.Handler
	handlerO sync.Once
}

// NewOrg generates an org from cfg. It is deterministic: the same config
// (seed, counts, clock time) gives the same users, groups, apps and
// events.
func NewOrg(cfg OrgConfig) (*Org, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("configuring simulated org: %w", err)
	}
	now := cfg.Clock.Now()
	g := newGenerator(cfg, now)
	domain := cfg.Subdomain + ".example.com"
	o := &Org{cfg: cfg, clock: cfg.Clock}
	o.info = g.org(cfg.Subdomain)
	o.typeID = g.id("oty")
	o.users = g.users(cfg.Users, domain, o.typeID)
	as := g.apps(cfg.Apps, cfg.Subdomain)
	adApp := ""
	if len(as) > 0 {
		adApp = as[0].id
	}
	o.groups = g.groups(o.users, cfg.Groups, adApp)
	g.assign(as, o.users, o.groups)
	slices.SortFunc(as, func(a, b *app) int { return strings.Compare(a.id, b.id) })
	o.apps = as
	o.index()
	o.adminU = o.pickAdmin()
	o.log = eventLog{
		seed: cfg.Seed, n: cfg.Events,
		start:   g.now.Add(-cfg.LookBack).UnixMilli(),
		span:    (cfg.LookBack + cfg.Trickle).Milliseconds(),
		lateMax: cfg.LateMax.Milliseconds(),
		world: &snapshot{users: slices.Clone(o.users), groups: slices.Clone(o.groups),
			apps: slices.Clone(o.apps), admin: o.adminU},
	}
	o.cache.budget = cfg.RenderCache
	o.log.cache = &o.cache
	o.auth = newAuthState(cfg)
	o.limits = newRateLimiter(cfg.Limits, cfg.Seed)
	o.rng = rand.New(rand.NewPCG(cfg.Seed, 7))
	return o, nil
}

func (o *Org) index() {
	o.userByID = make(map[string]*user, len(o.users))
	for _, u := range o.users {
		o.userByID[u.id] = u
	}
	o.groupBy = make(map[string]*group, len(o.groups))
	for _, g := range o.groups {
		o.groupBy[g.id] = g
	}
	o.appBy = make(map[string]*app, len(o.apps))
	for _, a := range o.apps {
		o.appBy[a.id] = a
	}
}

// pickAdmin returns the first ACTIVE user, who acts for API mutations.
func (o *Org) pickAdmin() *user {
	for _, u := range o.users {
		if u.status == StatusActive {
			return u
		}
	}
	return nil
}

// now is the org's clock at millisecond precision, Okta's finest.
func (o *Org) now() time.Time { return o.clock.Now().UTC().Truncate(time.Millisecond) }

// chance draws from the org's fault stream.
func (o *Org) chance(p float64) bool {
	if p <= 0 {
		return false
	}
	o.rngMu.Lock()
	defer o.rngMu.Unlock()
	return o.rng.Float64() < p
}

// Config returns the org's configuration with defaults filled in.
func (o *Org) Config() OrgConfig { return o.cfg }

// Domain is the org's own Okta host name, as its data names it.
func (o *Org) Domain() string { return o.cfg.Subdomain + ".okta.com" }

func (o *Org) setBaseURL(u string) { o.baseURL.Store(&u) }

// linkBase returns the base of absolute URLs for r: the configured public
// URL, else the listener's URL, else what the request reached (API.md §3:
// Link URLs are absolute).
func (o *Org) linkBase(r *http.Request) string {
	if o.cfg.PublicURL != "" {
		return strings.TrimSuffix(o.cfg.PublicURL, "/")
	}
	if p := o.baseURL.Load(); p != nil {
		return *p
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
