package okta

import (
	"errors"
	"fmt"
	"net/http"
)

// errRedirect is a 3xx answer. Okta's API does not redirect; following one
// could carry the Authorization header to a server that is not the tenant.
var errRedirect = errors.New("redirect refused")

// refuseRedirect is the CheckRedirect of every client this package uses.
func refuseRedirect(req *http.Request, _ []*http.Request) error {
	return fmt.Errorf("%w: to %s://%s", errRedirect, req.URL.Scheme, req.URL.Host)
}

// httpClient returns a copy of hc (or a default client) that never follows
// redirects, whatever the caller configured.
func httpClient(hc *http.Client) *http.Client {
	var c http.Client
	if hc != nil {
		c = *hc
	} else {
		c.Timeout = DefaultHTTPTimeout
	}
	c.CheckRedirect = refuseRedirect
	return &c
}
