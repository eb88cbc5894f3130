package oktasim

// getOrg serves GET /api/v1/org, the OrgSetting of API.md §7.1.
func (o *Org) getOrg(c *call) *apiError {
	o.mu.RLock()
	i := o.info
	o.mu.RUnlock()
	base := c.base() + "/api/v1/org"
	return c.json(map[string]any{
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
	})
}

func hints(methods ...string) map[string][]string {
	return map[string][]string{"allow": methods}
}

// listDomains serves GET /api/v1/domains: an envelope, not a bare array,
// and not paginated (API.md §0, §7.2).
func (o *Org) listDomains(c *call) *apiError {
	o.mu.RLock()
	i := o.info
	o.mu.RUnlock()
	self := c.base() + "/api/v1/domains/" + i.domainID
	return c.json(map[string]any{"domains": []map[string]any{{
		"id": i.domainID, "domain": i.customDomain,
		"certificateSourceType": "OKTA_MANAGED", "validationStatus": "VERIFIED",
		"brandId": i.brandID,
		"dnsRecords": []map[string]any{{
			"recordType": "CNAME", "fqdn": i.customDomain,
			"values": []string{i.subdomain + ".customdomains.okta.com"},
		}},
		"_links": map[string]any{
			"self":  map[string]any{"href": self, "hints": hints("GET", "PUT", "DELETE")},
			"brand": href{Href: c.base() + "/api/v1/brands/" + i.brandID},
		},
	}}})
}

// wellKnown serves /.well-known/okta-organization: the org's own URL and
// its custom domain (API.md §7.2). The organization link is the public
// base, so a client finds the address it must use.
func (o *Org) wellKnown(c *call) *apiError {
	o.mu.RLock()
	i := o.info
	o.mu.RUnlock()
	return c.json(map[string]any{
		"id": i.id,
		"_links": map[string]any{
			"organization": href{Href: c.base()},
			"alternate":    href{Href: "https://" + i.customDomain},
		},
		"pipeline": "idx",
	})
}
