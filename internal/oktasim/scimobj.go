package oktasim

import (
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim/scim"
)

// The simulator's objects as the filter evaluator sees them.
var (
	_ scim.Object = userObj{}
	_ scim.Object = groupObj{}
	_ scim.Object = appObj{}
	_ scim.Object = eventObj{}
)

// timeVal is a timestamp attribute: null when unset.
func timeVal(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func profileVal(p profile, path string) (any, bool) {
	name, ok := strings.CutPrefix(path, "profile.")
	if !ok {
		return nil, false
	}
	return p.get(name)
}

type userObj struct{ u *user }

func (o userObj) Attr(path string) (any, bool) {
	u := o.u
	switch path {
	case "id":
		return u.id, true
	case "status":
		return u.status, true
	case "created":
		return timeVal(u.created), true
	case "activated":
		return timeVal(u.activated), true
	case "statusChanged":
		return timeVal(u.statusChanged), true
	case "lastUpdated":
		return timeVal(u.lastUpdated), true
	case "lastLogin":
		return timeVal(u.lastLogin), true
	case "passwordChanged":
		return timeVal(u.passwordChanged), true
	case "type.id":
		return u.typeID, true
	}
	return profileVal(u.profile, path)
}

type groupObj struct{ g *group }

func (o groupObj) Attr(path string) (any, bool) {
	g := o.g
	switch path {
	case "id":
		return g.id, true
	case "type":
		return g.typ, true
	case "created":
		return g.created, true
	case "lastUpdated":
		return g.lastUpdated, true
	case "lastMembershipUpdated":
		return g.lastMembershipUpdated, true
	case "source.id":
		if g.sourceApp == "" {
			return nil, false
		}
		return g.sourceApp, true
	}
	return profileVal(g.profile, path)
}

// appObj also needs the groups, to answer user.id through group
// assignments.
type appObj struct {
	a      *app
	groups map[string]*group
}

func (o appObj) Attr(path string) (any, bool) {
	a := o.a
	switch path {
	case "id":
		return a.id, true
	case "status":
		return a.status, true
	case "name":
		return a.name, true
	case "label":
		return a.label, true
	case "settings.slo.enabled":
		return false, true
	case "group.id":
		ids := make([]string, len(a.groups))
		for i, ga := range a.groups {
			ids[i] = ga.groupID
		}
		return ids, true
	case "user.id":
		var ids []string
		for _, as := range a.users {
			ids = append(ids, as.userID)
		}
		for _, ga := range a.groups {
			if g := o.groups[ga.groupID]; g != nil {
				ids = append(ids, g.members...)
			}
		}
		return ids, true
	}
	return nil, false
}

type eventObj struct{ e *event }

// Attr answers the LogEvent paths connectors filter on (API.md §8.1);
// array-valued targets answer with every target's value.
func (o eventObj) Attr(path string) (any, bool) {
	e := o.e
	if v, ok := e.topAttr(path); ok {
		return v, true
	}
	if rest, ok := strings.CutPrefix(path, "actor."); ok {
		return refAttr(e.actor, rest)
	}
	if rest, ok := strings.CutPrefix(path, "target."); ok {
		if e.targets == nil {
			return nil, true
		}
		var vs []string
		for _, t := range e.targets {
			if v, ok := refAttr(t, rest); ok && v != nil {
				vs = append(vs, v.(string))
			}
		}
		return vs, true
	}
	if rest, ok := strings.CutPrefix(path, "client."); ok {
		return e.clientAttr(rest)
	}
	return nil, false
}

func (e *event) topAttr(path string) (any, bool) {
	switch path {
	case "uuid":
		return e.uuid, true
	case "eventType":
		return e.typ.name, true
	case "version":
		return "0", true
	case "severity":
		return e.severity(), true
	case "legacyEventType":
		return strOrNil(e.typ.legacy), true
	case "displayMessage":
		return strOrNil(e.typ.display), true
	case "outcome.result":
		if e.failure == "DENY" {
			return "DENY", true
		}
		if e.failure != "" {
			return "FAILURE", true
		}
		return "SUCCESS", true
	case "outcome.reason":
		return strOrNil(e.failure), true
	case "transaction.id":
		return e.txID, true
	case "transaction.type":
		return "WEB", true
	case "transaction.detail.requestApiTokenId":
		return strOrNil(e.tokenID), e.tokenID != ""
	case "debugContext.debugData.requestId":
		return e.requestID, !e.debugText
	case "debugContext.debugData.requestUri":
		return strOrNil(e.path), e.path != "" && !e.debugText
	case "debugContext.debugData.url":
		return strOrNil(e.path + "?"), e.path != "" && !e.debugText
	case "authenticationContext.externalSessionId":
		return strOrNil(e.sessionID), true
	}
	return nil, false
}

func (e *event) clientAttr(rest string) (any, bool) {
	if e.client < 0 {
		return nil, true
	}
	c := clients[e.client]
	switch rest {
	case "ipAddress":
		return c.ip, true
	case "device":
		return c.device, true
	case "zone":
		if e.zoneNull {
			return nil, true
		}
		return "null", true
	case "id":
		return nil, true
	case "userAgent.rawUserAgent":
		return c.ua, true
	case "userAgent.os":
		return c.os, true
	case "userAgent.browser":
		return c.browser, true
	case "geographicalContext.city":
		return c.city, true
	case "geographicalContext.state":
		return c.state, true
	case "geographicalContext.country":
		return c.country, true
	}
	return nil, false
}

func refAttr(r ref, field string) (any, bool) {
	switch field {
	case "id":
		return r.id, true
	case "type":
		return r.typ, true
	case "alternateId":
		return r.alternateID, true
	case "displayName":
		return r.display, true
	}
	if k, ok := strings.CutPrefix(field, "detailEntry."); ok && r.detail != nil {
		v, ok := r.detail[k]
		return v, ok
	}
	return nil, false
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}
