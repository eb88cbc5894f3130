package oktasim

import (
	"slices"
	"strconv"
	"strings"
)

// groupBytes is a rough size of one rendered group, to size page buffers.
const groupBytes = 1024

// groupLogo is the start of a group's logo links; the kind of group ends
// it (API.md §5.2).
const groupLogo = "https://ok12static.oktacdn.com/assets/img/logos/groups/odyssey/"

// appendGroup writes the group of API.md §5.2: logo, owners, users and
// apps links, source for APP_GROUPs, no self (as recorded); _embedded
// only when expand asks for stats or, on an APP_GROUP, its app. Keys of
// the former maps come in sorted order, as encoding/json wrote them.
func (o *Org) appendGroup(b []byte, g *group, base, expand string) ([]byte, error) {
	class, logo := "okta:user_group", "okta"
	if g.typ == "APP_GROUP" {
		class, logo = "okta:windows_security_principal", "active_directory"
	}
	b = append(b, `{"id":`...)
	b = appendString(b, g.id)
	b = appendTime(append(b, `,"created":`...), g.created)
	b = appendTime(append(b, `,"lastUpdated":`...), g.lastUpdated)
	b = appendTime(append(b, `,"lastMembershipUpdated":`...), g.lastMembershipUpdated)
	b = appendString(append(b, `,"objectClass":[`...), class)
	b = appendString(append(b, `],"type":`...), g.typ)
	b, err := appendProfile(append(b, `,"profile":`...), g.profile)
	if err != nil {
		return b, err
	}
	self := base + "/api/v1/groups/" + g.id
	b = appendHref(append(b, `,"_links":{"apps":`...), self+"/apps")
	b = append(b, `,"logo":[`...)
	for i, size := range []string{"medium", "large"} {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(append(b, `{"href":`...), groupLogo+logo+"-"+size+".png")
		b = append(b, `,"type":"image/png","name":"`+size+`"}`...)
	}
	b = appendHref(append(b, `],"owners":`...), self+"/owners")
	if g.sourceApp != "" {
		b = appendHref(append(b, `,"source":`...), base+"/api/v1/apps/"+g.sourceApp)
	}
	b = appendHref(append(b, `,"users":`...), self+"/users")
	b = append(b, '}')
	return append(o.appendGroupEmbedded(b, g, expand), '}'), nil
}

// appendGroupEmbedded writes the _embedded member expand asks for, if
// any: the stats (whose admin flag keeps the spec's spelling, API.md
// §5.2) and the source app of an APP_GROUP.
func (o *Org) appendGroupEmbedded(b []byte, g *group, expand string) []byte {
	var a *app
	if strings.Contains(expand, "app") && g.sourceApp != "" {
		a = o.appBy[g.sourceApp]
	}
	stats := strings.Contains(expand, "stats")
	if a == nil && !stats {
		return b
	}
	b = append(b, `,"_embedded":{`...)
	if a != nil {
		b = appendString(append(b, `"app":{"id":`...), a.id)
		b = appendString(append(b, `,"label":`...), a.label)
		b = appendString(append(b, `,"name":`...), a.name)
		b = appendString(append(b, `,"signOnMode":`...), a.signOnMode)
		b = append(b, '}')
		if stats {
			b = append(b, ',')
		}
	}
	if stats {
		b = strconv.AppendInt(append(b, `"stats":{"appsCount":`...),
			int64(o.appsOfGroup(g.id)), 10)
		b = append(b, `,"groupPushMappingsCount":0,"hasAdminPrivlege":false,"usersCount":`...)
		b = append(strconv.AppendInt(b, int64(len(g.members)), 10), '}')
	}
	return append(b, '}')
}

func (o *Org) appsOfGroup(id string) int {
	n := 0
	for _, a := range o.apps {
		isGroup := func(ga groupAssignment) bool { return ga.groupID == id }
		if slices.ContainsFunc(a.groups, isGroup) {
			n++
		}
	}
	return n
}

// renderGroups sets the body to gs as a JSON array. Without expand a
// group's rendering is kept until the org changes (cache.go).
func (c *call) renderGroups(gs []*group) *apiError {
	o, base, expand := c.o, c.base(), c.q.Get("expand")
	b := append(c.buffer(len(gs)*groupBytes), '[')
	for i, g := range gs {
		if i > 0 {
			b = append(b, ',')
		}
		render := func(b []byte) ([]byte, error) { return o.appendGroup(b, g, base, expand) }
		var err error
		if expand == "" {
			b, err = o.cache.appendCached(b, &g.rendered, base, render)
		} else {
			b, err = render(b)
		}
		if err != nil {
			return c.raw(b, err)
		}
	}
	return c.raw(append(b, ']'), nil)
}
