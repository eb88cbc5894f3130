package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

var (
	// tenantIDPattern is the tenant id alphabet of DESIGN.md §3.
	tenantIDPattern = regexp.MustCompile(`^[a-z0-9._:-]+$`)
	// hostPattern admits DNS names; IP literals are checked apart.
	hostPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$`)
)

// BaseURL turns an Okta domain as a user writes it (acme.okta.com,
// acme.okta.com:8443 or https://acme.okta.com/) into the org's base URL:
// scheme and host only. http:// is accepted only for loopback hosts (the
// simulator), so a token never crosses a network in clear text.
func BaseURL(domain string) (*url.URL, error) {
	domain = strings.TrimSpace(domain)
	if domain == "" {
		return nil, fmt.Errorf("empty domain")
	}
	raw := domain
	if !strings.Contains(domain, "://") {
		raw = "https://" + domain
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("parsing domain %q: %w", domain, err)
	}
	if err := checkBaseURL(u); err != nil {
		return nil, fmt.Errorf("domain %q: %w", domain, err)
	}
	return &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host)}, nil
}

// checkBaseURL refuses anything but scheme://host[:port][/].
func checkBaseURL(u *url.URL) error {
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Errorf("scheme %q, want https", u.Scheme)
	case u.User != nil:
		return fmt.Errorf("user info is not allowed")
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return fmt.Errorf("want a host name only, without path or query")
	}
	host := u.Hostname()
	if net.ParseIP(host) == nil && !hostPattern.MatchString(host) {
		return fmt.Errorf("invalid host name %q", host)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("invalid port %q", p)
		}
	}
	if u.Scheme == "http" && !isLoopback(host) {
		return fmt.Errorf("http:// is only allowed for loopback hosts; use https://")
	}
	return nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// DefaultTenantID is the tenant id of an org given without one: its host
// name in lower case, with the port when it is not 443 (DESIGN.md §3).
func DefaultTenantID(base *url.URL) string {
	id := strings.ToLower(base.Hostname())
	if p := base.Port(); p != "" && p != "443" {
		id += ":" + p
	}
	return id
}

// checkTenantID refuses ids outside the tenant id alphabet.
func checkTenantID(id string) error {
	if !tenantIDPattern.MatchString(id) {
		return fmt.Errorf("invalid tenant id %q: want lower case letters, digits and . _ : -", id)
	}
	return nil
}
