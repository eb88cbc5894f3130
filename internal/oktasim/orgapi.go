package oktasim

// getOrg serves GET /api/v1/org, the OrgSetting of API.md §7.1.
func (o *Org) getOrg(c *call) *apiError {
	o.mu.RLock()
	i := o.info
	o.mu.RUnlock()
	return c.raw(appendOrg(c.buffer(1024), i, c.base()), nil)
}

// listDomains serves GET /api/v1/domains: an envelope, not a bare array,
// and not paginated (API.md §0, §7.2).
func (o *Org) listDomains(c *call) *apiError {
	o.mu.RLock()
	i := o.info
	o.mu.RUnlock()
	return c.raw(appendDomains(c.buffer(1024), i, c.base()), nil)
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
