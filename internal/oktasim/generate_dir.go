package oktasim

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

var signOnModes = []string{
	"SAML_2_0", "OPENID_CONNECT", "BOOKMARK", "AUTO_LOGIN",
	"BROWSER_PLUGIN", "SECURE_PASSWORD_STORE", "WS_FEDERATION",
	"BASIC_AUTH", "SAML_1_1",
}

var appLabels = []string{
	"Expense Tracker", "Internal Wiki", "Benefits Portal", "Payroll",
	"CRM", "Ticketing", "Code Review", "Travel Booking", "Learning Hub",
	"Board Portal", "Design Studio", "Analytics",
}

var teamNames = []string{
	"Orion", "Vega", "Lyra", "Draco", "Команда Север", "Ομάδα Άλφα",
	"チーム桜", "فريق النخبة", "צוות אדום",
	"टीम गंगा", "ทีมช้าง", "研发一组",
}

// groups builds Everyone (BUILT_IN, every user), n OKTA_GROUPs whose sizes
// fall off like a long tail, and a few AD-imported APP_GROUPs
// (API.md §5.1, §5.2).
func (g *generator) groups(us []*user, n int, adApp string) []*group {
	all := make([]string, len(us))
	for i, u := range us {
		all[i] = u.id
	}
	everyone := &group{
		id: g.id("00g"), typ: "BUILT_IN", created: g.orgT,
		lastUpdated: g.orgT, lastMembershipUpdated: g.newest(us),
		profile: profile{{"name", "Everyone"},
			{"description", "All users in your organization"}},
		members: all,
	}
	gs := []*group{everyone}
	for k := range n {
		name := g.groupName(k)
		size := len(us) / (k + 2)
		if k%7 == 6 {
			size = 0
		}
		gs = append(gs, g.group("OKTA_GROUP", name, g.sample(us, size)))
	}
	for k := range min(3, n/4+1) {
		name := fmt.Sprintf("AD %s", departments[k%len(departments)].name)
		gr := g.group("APP_GROUP", name, g.sample(us, len(us)/(k+5)))
		gr.sourceApp = adApp
		sam := strings.ReplaceAll(name, " ", "")
		gr.profile = append(gr.profile,
			attr{"groupType", "Security"}, attr{"samAccountName", sam},
			attr{"groupScope", "Global"},
			attr{"dn", "CN=" + name + ",OU=Groups,DC=corp,DC=sim,DC=local"},
			attr{"windowsDomainQualifiedName", `SIMCORP\` + sam},
			attr{"externalId", fmt.Sprintf("ext%016x", g.rng.Uint64())})
		gs = append(gs, gr)
	}
	slices.SortFunc(gs, func(a, b *group) int { return strings.Compare(a.id, b.id) })
	return gs
}

func (g *generator) groupName(k int) string {
	if k < len(departments) {
		return departments[k].name
	}
	return fmt.Sprintf("Team %s %03d", teamNames[k%len(teamNames)], k)
}

func (g *generator) group(typ, name string, members []string) *group {
	created := g.between(g.orgT, g.now.AddDate(0, -2, 0))
	gr := &group{
		id: g.id("00g"), typ: typ, created: created,
		lastUpdated:           g.between(created, g.now),
		lastMembershipUpdated: g.between(created, g.now),
		profile: profile{{"name", name},
			{"description", name + " members"}},
		members: members,
	}
	return gr
}

// newest returns the latest creation among users, which is when Everyone
// last changed.
func (g *generator) newest(us []*user) time.Time {
	t := g.orgT
	for _, u := range us {
		t = latest(t, u.created)
	}
	return t
}

// apps builds n apps of varied sign-on modes, some INACTIVE, each with
// direct (scope USER) and group (scope GROUP) assignments (API.md §6).
// The AD app that sources APP_GROUPs is apps[0] before sorting; its id is
// returned too.
func (g *generator) apps(n int, sub string) []*app {
	as := make([]*app, 0, n)
	for k := range n {
		mode := signOnModes[k%len(signOnModes)]
		label := appLabels[k%len(appLabels)]
		if k >= len(appLabels) {
			label = fmt.Sprintf("%s %d", label, k)
		}
		a := &app{
			id: g.id("0oa"), label: label, status: "ACTIVE",
			signOnMode: mode, name: appName(mode, sub, k),
		}
		a.created = g.between(g.orgT, g.now.AddDate(0, -1, 0))
		a.lastUpdated = g.between(a.created, g.now)
		if k%6 == 2 {
			a.status = "INACTIVE"
		}
		as = append(as, a)
	}
	return as
}

func appName(mode, sub string, k int) string {
	switch mode {
	case "OPENID_CONNECT":
		return "oidc_client"
	case "BOOKMARK":
		return "bookmark"
	}
	return fmt.Sprintf("%s_app%d_1", strings.ReplaceAll(sub, "-", ""), k)
}

// assign gives apps their assignments: app 1 gets Everyone, others a
// couple of groups and a sample of direct users.
func (g *generator) assign(as []*app, us []*user, gs []*group) {
	for k, a := range as {
		direct := g.sample(us, min(len(us), 5+g.rng.IntN(len(us)/5+1)))
		for _, id := range direct {
			a.users = append(a.users, assignment{id, g.between(a.created, g.now)})
		}
		var picked []string
		if k == 1 {
			picked = append(picked, everyoneID(gs))
		}
		for range g.rng.IntN(3) {
			if len(gs) > 1 {
				picked = append(picked, gs[g.rng.IntN(len(gs))].id)
			}
		}
		slices.Sort(picked)
		for i, id := range slices.Compact(picked) {
			a.groups = append(a.groups, groupAssignment{id, i, g.between(a.created, g.now)})
		}
	}
}

func everyoneID(gs []*group) string {
	for _, gr := range gs {
		if gr.typ == "BUILT_IN" {
			return gr.id
		}
	}
	return ""
}

func (g *generator) org(sub string) orgInfo {
	return orgInfo{
		id: g.id("00o"), subdomain: sub,
		companyName: "Simulated Corp " + strings.ToUpper(sub),
		created:     g.orgT, lastUpdated: g.between(g.orgT, g.now),
		website: "https://www." + sub + ".example.com",
		phone:   "+1-512-555-0148", support: "+1-512-555-0199",
		address1: "1200 Example Parkway", city: "Austin", state: "Texas",
		country: "United States", postalCode: "78701",
		customDomain: "login." + sub + ".example.com",
		domainID:     "OcD" + g.id("")[0:17], brandID: g.id("bnd"),
	}
}
