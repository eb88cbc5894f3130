package oktasim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

const idChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// generator builds an org from a seed. Everything it draws comes from one
// PCG stream, so the same seed and counts give the same org.
type generator struct {
	rng  *rand.Rand
	now  time.Time
	cfg  OrgConfig
	ids  map[string]bool
	orgT time.Time // org creation
}

func newGenerator(cfg OrgConfig, now time.Time) *generator {
	return &generator{
		rng:  rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		now:  now.UTC().Truncate(time.Second),
		cfg:  cfg,
		ids:  map[string]bool{},
		orgT: now.UTC().Truncate(time.Second).AddDate(-5, 0, 0),
	}
}

// id returns a fresh Okta-shaped id: a type prefix, 14 characters and the
// cell suffix, 20 in all (samples/README.md).
func (g *generator) id(prefix string) string {
	for {
		var b strings.Builder
		b.WriteString(prefix)
		for range 14 {
			b.WriteByte(idChars[g.rng.IntN(len(idChars))])
		}
		b.WriteString("0g7")
		s := b.String()
		if !g.ids[s] {
			g.ids[s] = true
			return s
		}
	}
}

// between returns a second-precision time in [a, b).
func (g *generator) between(a, b time.Time) time.Time {
	span := int64(b.Sub(a) / time.Second)
	if span <= 0 {
		return a
	}
	return a.Add(time.Duration(g.rng.Int64N(span)) * time.Second)
}

func (g *generator) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// status draws a user status: mostly ACTIVE, every other one present.
func (g *generator) status(i int) string {
	if i < len(AllStatuses) {
		return AllStatuses[i]
	}
	r := g.rng.Float64()
	cum := 0.0
	for _, s := range []struct {
		st string
		p  float64
	}{
		{StatusDeprovisioned, 0.05}, {StatusSuspended, 0.03},
		{StatusLockedOut, 0.02}, {StatusProvisioned, 0.03},
		{StatusStaged, 0.02}, {StatusRecovery, 0.01},
		{StatusPasswordExpired, 0.02},
	} {
		cum += s.p
		if r < cum {
			return s.st
		}
	}
	return StatusActive
}

// users generates n users in id order. A share of them share lastUpdated
// seconds with others, as bulk imports do (API.md §4.3: values at second
// precision, many users on one timestamp).
func (g *generator) users(n int, domain, typeID string) []*user {
	bulk := make([]time.Time, 16)
	for i := range bulk {
		bulk[i] = g.between(g.now.AddDate(0, -6, 0), g.now.Add(-time.Hour))
	}
	us := make([]*user, n)
	for i := range us {
		us[i] = g.user(i, domain, typeID, bulk)
	}
	g.managers(us)
	slices.SortFunc(us, func(a, b *user) int { return strings.Compare(a.id, b.id) })
	return us
}

func (g *generator) user(i int, domain, typeID string, bulk []time.Time) *user {
	u := &user{id: g.id("00u"), status: g.status(i), typeID: typeID}
	u.created = g.between(g.orgT, g.now.AddDate(0, -1, 0))
	if u.status != StatusStaged {
		u.activated = u.created.Add(time.Second)
	}
	u.statusChanged = u.activated
	if u.status != StatusActive && u.status != StatusStaged {
		u.statusChanged = g.between(u.created.Add(time.Hour), g.now)
	}
	u.hasPassword = u.status != StatusStaged && u.status != StatusProvisioned
	if u.hasPassword {
		u.passwordChanged = g.between(u.created, g.now)
		u.lastLogin = g.between(u.created, g.now)
	}
	u.lastUpdated = latest(u.created, u.statusChanged, u.passwordChanged)
	if b := bulk[g.rng.IntN(len(bulk))]; g.chance(0.3) && b.After(u.lastUpdated) {
		u.lastUpdated = b
	}
	if g.chance(0.5) {
		u.recoveryQ = "Name of your first pet?"
	}
	u.profile = g.profile(i, domain)
	return u
}

func latest(ts ...time.Time) time.Time {
	var m time.Time
	for _, t := range ts {
		if t.After(m) {
			m = t
		}
	}
	return m
}

// profile fills the base attributes (API.md §4.4: unset ones omitted,
// mobilePhone and secondEmail often null) and a few custom ones of every
// JSON type.
func (g *generator) profile(i int, domain string) profile {
	pool := namePools[0]
	if !g.chance(0.4) {
		pool = namePools[g.rng.IntN(len(namePools))]
	}
	given, family := g.pick(pool.given), g.pick(pool.family)
	display := given + " " + family
	if pool.script == "Han" || pool.script == "Japanese" {
		display = family + given
	}
	slug := asciiSlug(given) + "." + asciiSlug(family)
	if strings.Trim(slug, ".") == "" || strings.HasPrefix(slug, ".") {
		slug = "user"
	}
	login := fmt.Sprintf("%s.%d@%s", strings.Trim(slug, "."), 10000+i, domain)
	p := profile{
		{"firstName", given}, {"lastName", family},
		{"mobilePhone", g.phone(0.3)}, {"secondEmail", nil},
		{"login", login}, {"email", login}, {"displayName", display},
		{"title", g.pick(titles)},
	}
	if g.chance(0.9) {
		d := departments[g.rng.IntN(len(departments))]
		p = append(p, attr{"department", d.name}, attr{"division", d.division},
			attr{"costCenter", fmt.Sprintf("%s%02d", d.cc, g.rng.IntN(100))})
	}
	c := cities[g.rng.IntN(len(cities))]
	p = append(p,
		attr{"organization", "Simulated Corp"},
		attr{"employeeNumber", fmt.Sprintf("E%05d", 10000+i)},
		attr{"userType", map[bool]string{true: "Contractor", false: "Employee"}[g.chance(0.1)]},
		attr{"city", c.city})
	if c.state != "" {
		p = append(p, attr{"state", c.state})
	}
	p = append(p, attr{"countryCode", c.cc}, attr{"locale", pool.locale},
		attr{"timezone", pool.tz})
	return append(p, g.custom()...)
}

func (g *generator) phone(p float64) any {
	if !g.chance(p) {
		return nil
	}
	return fmt.Sprintf("+1-512-555-%04d", g.rng.IntN(10000))
}

// custom draws custom attributes: a number, a boolean, an array and a
// string that is sometimes null, each sometimes omitted.
func (g *generator) custom() []attr {
	var out []attr
	if g.chance(0.8) {
		out = append(out, attr{"badgeNumber", float64(g.rng.IntN(900000) + 100000)})
	}
	if g.chance(0.7) {
		out = append(out, attr{"remoteWorker", g.chance(0.4)})
	}
	if g.chance(0.6) {
		n := g.rng.IntN(3)
		s := make([]string, 0, n)
		for range n {
			s = append(s, g.pick(skills))
		}
		out = append(out, attr{"skills", s})
	}
	if g.chance(0.5) {
		var v any
		if g.chance(0.5) {
			v = g.pick([]string{"she/her", "he/him", "they/them"})
		}
		out = append(out, attr{"pronouns", v})
	}
	return out
}

// managers gives most users a manager drawn from the first tenth, who act
// as the org's managers; a few have none.
func (g *generator) managers(us []*user) {
	nm := max(1, len(us)/10)
	for i, u := range us {
		if i == 0 || g.chance(0.1) {
			continue
		}
		m := us[g.rng.IntN(min(i, nm))]
		u.profile.set("manager", m.profile.str("displayName"))
		u.profile.set("managerId", m.id)
	}
}

// sample returns k distinct user ids, sorted.
func (g *generator) sample(us []*user, k int) []string {
	k = min(k, len(us))
	var ids []string
	if k*2 > len(us) {
		for _, j := range g.rng.Perm(len(us))[:k] {
			ids = append(ids, us[j].id)
		}
	} else {
		seen := make([]bool, len(us))
		for len(ids) < k {
			j := g.rng.IntN(len(us))
			if !seen[j] {
				seen[j] = true
				ids = append(ids, us[j].id)
			}
		}
	}
	slices.Sort(ids)
	return ids
}
