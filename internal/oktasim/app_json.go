package oktasim

import "strconv"

// appBytes is a rough size of one rendered app, to size page buffers.
const appBytes = 1536

// appLogo is the one logo every simulated app shows.
const appLogo = "https://ok12static.oktacdn.com/assets/img/logos/default.png"

// appendApp writes the application of API.md §6.2, settings trimmed to
// the keys the samples show. Keys of the former maps come in sorted
// order, as encoding/json wrote them.
func (o *Org) appendApp(b []byte, a *app, base string) []byte {
	self := base + "/api/v1/apps/" + a.id
	link := a.name + "_link"
	b = appendString(append(b, `{"id":`...), a.id)
	b = appendString(append(b, `,"orn":`...),
		"orn:okta:idp:"+o.info.id+":apps:"+a.name+":"+a.id)
	b = appendString(append(b, `,"name":`...), a.name)
	b = appendString(append(b, `,"label":`...), a.label)
	b = appendString(append(b, `,"status":`...), a.status)
	b = appendTime(append(b, `,"lastUpdated":`...), a.lastUpdated)
	b = appendTime(append(b, `,"created":`...), a.created)
	b = append(b, `,"accessibility":{"errorRedirectUrl":null,"loginRedirectUrl":null,`+
		`"selfService":false},"visibility":{"appLinks":{`...)
	b = appendString(b, link)
	b = append(b, `:true},"autoLaunch":false,"autoSubmitToolbar":false,`+
		`"hide":{"iOS":false,"web":false}},"features":[],"signOnMode":`...)
	b = appendString(b, a.signOnMode)
	b = append(b, `,"credentials":{"signing":{},"userNameTemplate":`+
		`{"template":"${source.login}","type":"BUILT_IN"}},"settings":{"app":{},`+
		`"notifications":{"vpn":{"helpUrl":null,"message":null,`+
		`"network":{"connection":"DISABLED"}}}},"_links":{`...)
	// The lifecycle link sorts before appLinks when it is activate.
	if a.status != "ACTIVE" {
		b = appendHref(append(b, `"activate":`...), self+"/lifecycle/activate")
		b = append(b, ',')
	}
	b = appendString(append(b, `"appLinks":[{"href":`...), base+"/home/"+a.name+"/"+a.id)
	b = appendString(append(b, `,"type":"text/html","name":`...), link)
	b = append(b, "}]"...)
	if a.status == "ACTIVE" {
		b = appendHref(append(b, `,"deactivate":`...), self+"/lifecycle/deactivate")
	}
	b = appendHref(append(b, `,"groups":`...), self+"/groups")
	b = append(b, `,"logo":[{"href":"`+appLogo+`","type":"image/png","name":"medium"}]`...)
	b = appendHref(append(b, `,"users":`...), self+"/users")
	return append(b, "}}"...)
}

// renderApps sets the body to as as a JSON array, each app's rendering
// kept until the org changes (cache.go).
func (c *call) renderApps(as []*app) *apiError {
	o, base := c.o, c.base()
	b := append(c.buffer(len(as)*appBytes), '[')
	for i, a := range as {
		if i > 0 {
			b = append(b, ',')
		}
		b, _ = o.cache.appendCached(b, &a.rendered, base, func(b []byte) ([]byte, error) {
			return o.appendApp(b, a, base), nil
		})
	}
	return c.raw(append(b, ']'), nil)
}

// appGroupBytes is a rough size of one rendered group assignment.
const appGroupBytes = 512

// appendAppGroup writes one group assignment of API.md §6.4.
func appendAppGroup(b []byte, ga groupAssignment, appURL, base string) []byte {
	b = appendHref(append(b, `{"_links":{"app":`...), appURL)
	b = appendHref(append(b, `,"group":`...), base+"/api/v1/groups/"+ga.groupID)
	b = appendHref(append(b, `,"self":`...), appURL+"/groups/"+ga.groupID)
	b = appendString(append(b, `},"id":`...), ga.groupID)
	b = appendTime(append(b, `,"lastUpdated":`...), ga.at)
	b = strconv.AppendInt(append(b, `,"priority":`...), int64(ga.priority), 10)
	return append(b, `,"profile":{}}`...)
}
