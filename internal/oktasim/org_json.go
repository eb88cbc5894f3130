package oktasim

// appendOrg writes the OrgSetting of API.md §7.1 with the keys in the
// sorted order encoding/json gave the map it was once built from.
func appendOrg(b []byte, i orgInfo, base string) []byte {
	self := base + "/api/v1/org"
	b = appendHref(append(b, `{"_links":{"contacts":`...), self+"/contacts")
	b = appendHref(append(b, `,"oktaCommunication":`...), self+"/privacy/oktaCommunication")
	b = appendHref(append(b, `,"oktaSupport":`...), self+"/privacy/oktaSupport")
	b = appendHref(append(b, `,"preferences":`...), self+"/preferences")
	b = append(b, `,"uploadLogo":{"hints":{"allow":["POST"]},"href":`...)
	b = appendString(b, self+"/logo")
	b = appendString(append(b, `}},"address1":`...), i.address1)
	b = appendString(append(b, `,"address2":null,"city":`...), i.city)
	b = appendString(append(b, `,"companyName":`...), i.companyName)
	b = appendString(append(b, `,"country":`...), i.country)
	b = appendTime(append(b, `,"created":`...), i.created)
	b = appendString(append(b, `,"endUserSupportHelpURL":`...), i.website+"/help")
	b = appendString(append(b, `,"expiresAt":null,"id":`...), i.id)
	b = appendTime(append(b, `,"lastUpdated":`...), i.lastUpdated)
	b = appendString(append(b, `,"phoneNumber":`...), i.phone)
	b = appendString(append(b, `,"postalCode":`...), i.postalCode)
	b = appendString(append(b, `,"state":`...), i.state)
	b = appendString(append(b, `,"status":"ACTIVE","subdomain":`...), i.subdomain)
	b = appendString(append(b, `,"supportPhoneNumber":`...), i.support)
	b = appendString(append(b, `,"website":`...), i.website)
	return append(b, '}')
}

// appendDomains writes the domains envelope of API.md §7.2: the org's one
// custom domain, keys sorted as encoding/json gave the maps before.
func appendDomains(b []byte, i orgInfo, base string) []byte {
	b = append(b, `{"domains":[{"_links":{"brand":`...)
	b = appendHref(b, base+"/api/v1/brands/"+i.brandID)
	b = append(b, `,"self":{"hints":{"allow":["GET","PUT","DELETE"]},"href":`...)
	b = appendString(b, base+"/api/v1/domains/"+i.domainID)
	b = appendString(append(b, `}},"brandId":`...), i.brandID)
	b = append(b, `,"certificateSourceType":"OKTA_MANAGED","dnsRecords":[{"fqdn":`...)
	b = appendString(b, i.customDomain)
	b = append(b, `,"recordType":"CNAME","values":[`...)
	b = appendString(b, i.subdomain+".customdomains.okta.com")
	b = appendString(append(b, `]}],"domain":`...), i.customDomain)
	b = appendString(append(b, `,"id":`...), i.domainID)
	return append(b, `,"validationStatus":"VERIFIED"}]}`...)
}
