package oktasim

import "strings"

// The encoding/json shapes groups, apps, app groups, the org and its
// domains were rendered with before the appenders; render_kinds_test.go
// checks the appenders against them byte for byte.

type groupJSON struct {
	ID                    string         `json:"id"`
	Created               ts             `json:"created"`
	LastUpdated           ts             `json:"lastUpdated"`
	LastMembershipUpdated ts             `json:"lastMembershipUpdated"`
	ObjectClass           []string       `json:"objectClass"`
	Type                  string         `json:"type"`
	Profile               profile        `json:"profile"`
	Links                 map[string]any `json:"_links"`
	Embedded              map[string]any `json:"_embedded,omitempty"`
}

func refGroup(o *Org, g *group, base string, expand string) groupJSON {
	class, logo := "okta:user_group", "okta"
	if g.typ == "APP_GROUP" {
		class, logo = "okta:windows_security_principal", "active_directory"
	}
	self := base + "/api/v1/groups/" + g.id
	cdn := "https://ok12static.oktacdn.com/assets/img/logos/groups/odyssey/" + logo
	links := map[string]any{
		"logo": []href{
			{Name: "medium", Href: cdn + "-medium.png", Type: "image/png"},
			{Name: "large", Href: cdn + "-large.png", Type: "image/png"},
		},
		"owners": href{Href: self + "/owners"},
		"users":  href{Href: self + "/users"},
		"apps":   href{Href: self + "/apps"},
	}
	if g.sourceApp != "" {
		links["source"] = href{Href: base + "/api/v1/apps/" + g.sourceApp}
	}
	j := groupJSON{ID: g.id, Created: ts(g.created), LastUpdated: ts(g.lastUpdated),
		LastMembershipUpdated: ts(g.lastMembershipUpdated), ObjectClass: []string{class},
		Type: g.typ, Profile: g.profile, Links: links}
	if strings.Contains(expand, "stats") {
		j.Embedded = map[string]any{"stats": map[string]any{
			"usersCount": len(g.members), "appsCount": o.appsOfGroup(g.id),
			"groupPushMappingsCount": 0, "hasAdminPrivlege": false,
		}}
	}
	if strings.Contains(expand, "app") && g.sourceApp != "" {
		if a := o.appBy[g.sourceApp]; a != nil {
			if j.Embedded == nil {
				j.Embedded = map[string]any{}
			}
			j.Embedded["app"] = map[string]string{"id": a.id, "name": a.name,
				"label": a.label, "signOnMode": a.signOnMode}
		}
	}
	return j
}

type appJSON struct {
	ID            string         `json:"id"`
	Orn           string         `json:"orn"`
	Name          string         `json:"name"`
	Label         string         `json:"label"`
	Status        string         `json:"status"`
	LastUpdated   ts             `json:"lastUpdated"`
	Created       ts             `json:"created"`
	Accessibility map[string]any `json:"accessibility"`
	Visibility    map[string]any `json:"visibility"`
	Features      []string       `json:"features"`
	SignOnMode    string         `json:"signOnMode"`
	Credentials   map[string]any `json:"credentials"`
	Settings      map[string]any `json:"settings"`
	Links         map[string]any `json:"_links"`
}

func refApp(o *Org, a *app, base string) appJSON {
	self := base + "/api/v1/apps/" + a.id
	link := a.name + "_link"
	links := map[string]any{
		"appLinks": []href{{Name: link, Type: "text/html",
			Href: base + "/home/" + a.name + "/" + a.id}},
		"logo": []href{{Name: "medium", Type: "image/png",
			Href: "https://ok12static.oktacdn.com/assets/img/logos/default.png"}},
		"users":  href{Href: self + "/users"},
		"groups": href{Href: self + "/groups"},
	}
	if a.status == "ACTIVE" {
		links["deactivate"] = href{Href: self + "/lifecycle/deactivate"}
	} else {
		links["activate"] = href{Href: self + "/lifecycle/activate"}
	}
	settings := map[string]any{"app": map[string]any{}, "notifications": map[string]any{
		"vpn": map[string]any{"network": map[string]any{"connection": "DISABLED"},
			"message": nil, "helpUrl": nil}}}
	return appJSON{
		ID: a.id, Orn: "orn:okta:idp:" + o.info.id + ":apps:" + a.name + ":" + a.id,
		Name: a.name, Label: a.label, Status: a.status,
		LastUpdated: ts(a.lastUpdated), Created: ts(a.created),
		Accessibility: map[string]any{"selfService": false, "errorRedirectUrl": nil,
			"loginRedirectUrl": nil},
		Visibility: map[string]any{"autoLaunch": false, "autoSubmitToolbar": false,
			"hide":     map[string]bool{"iOS": false, "web": false},
			"appLinks": map[string]bool{link: true}},
		Features:   []string{},
		SignOnMode: a.signOnMode,
		Credentials: map[string]any{"userNameTemplate": map[string]string{
			"template": "${source.login}", "type": "BUILT_IN"}, "signing": map[string]any{}},
		Settings: settings,
		Links:    links,
	}
}

func refAppGroup(ga groupAssignment, a *app, base string) map[string]any {
	return map[string]any{"id": ga.groupID, "priority": ga.priority,
		"lastUpdated": ts(ga.at), "profile": map[string]any{},
		"_links": map[string]href{
			"app":   {Href: base + "/api/v1/apps/" + a.id},
			"self":  {Href: base + "/api/v1/apps/" + a.id + "/groups/" + ga.groupID},
			"group": {Href: base + "/api/v1/groups/" + ga.groupID}}}
}

func hints(methods ...string) map[string][]string {
	return map[string][]string{"allow": methods}
}

func refOrg(i orgInfo, base string) map[string]any {
	base += "/api/v1/org"
	return map[string]any{
		"id": i.id, "subdomain": i.subdomain, "companyName": i.companyName,
		"status": "ACTIVE", "expiresAt": nil,
		"created": ts(i.created), "lastUpdated": ts(i.lastUpdated),
		"website": i.website, "phoneNumber": i.phone,
		"endUserSupportHelpURL": i.website + "/help", "supportPhoneNumber": i.support,
		"address1": i.address1, "address2": nil, "city": i.city, "state": i.state,
		"country": i.country, "postalCode": i.postalCode,
		"_links": map[string]any{
			"preferences":       href{Href: base + "/preferences"},
			"uploadLogo":        map[string]any{"href": base + "/logo", "hints": hints("POST")},
			"oktaCommunication": href{Href: base + "/privacy/oktaCommunication"},
			"oktaSupport":       href{Href: base + "/privacy/oktaSupport"},
			"contacts":          href{Href: base + "/contacts"},
		},
	}
}

func refDomains(i orgInfo, base string) map[string]any {
	self := base + "/api/v1/domains/" + i.domainID
	return map[string]any{"domains": []map[string]any{{
		"id": i.domainID, "domain": i.customDomain,
		"certificateSourceType": "OKTA_MANAGED", "validationStatus": "VERIFIED",
		"brandId": i.brandID,
		"dnsRecords": []map[string]any{{
			"recordType": "CNAME", "fqdn": i.customDomain,
			"values": []string{i.subdomain + ".customdomains.okta.com"},
		}},
		"_links": map[string]any{
			"self":  map[string]any{"href": self, "hints": hints("GET", "PUT", "DELETE")},
			"brand": href{Href: base + "/api/v1/brands/" + i.brandID},
		},
	}}}
}
