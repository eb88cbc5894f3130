package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/okta-connector/okta-connector/connector/okta"
)

// A Tenant is what a tenant's Okta client reports rate-limit waits and
// budgets to.
var _ okta.Observer = (*Tenant)(nil)

// ObserveRequest counts one Okta API request of tenant to endpoint (a
// path template, see Endpoint) answered with status, or with no response
// when status is 0, and records how long it took.
func (m *Metrics) ObserveRequest(tenant, endpoint string, status int, d time.Duration) {
	m.requests.WithLabelValues(m.tenants.label(tenant), endpoint, statusLabel(status)).Inc()
	m.requestSeconds.WithLabelValues(endpoint).Observe(d.Seconds())
}

// RateLimitWait counts one wait of d imposed by tenant's rate-limit
// governor before a request to bucket.
func (m *Metrics) RateLimitWait(tenant, bucket string, d time.Duration) {
	label := m.tenants.label(tenant)
	m.rateWaits.WithLabelValues(label, bucket).Inc()
	m.rateWaitSeconds.WithLabelValues(label, bucket).Add(d.Seconds())
}

// RateLimitBudget records what Okta said is left of tenant's bucket in
// the current window (X-Rate-Limit-Remaining, API.md §9.1).
func (m *Metrics) RateLimitBudget(tenant, bucket string, remaining int) {
	m.remaining.set(tenant, bucket, float64(remaining))
}

// statusLabel is the status label value: the HTTP code, or "error" when
// the request got no response. Codes outside 100–599 are folded into
// "other" so that a broken proxy cannot grow the label set.
func statusLabel(status int) string {
	switch {
	case status == 0:
		return "error"
	case status < 100 || status > 599:
		return "other"
	}
	return strconv.Itoa(status)
}

// Tenant is the metrics of one tenant, in the shapes the Okta client's
// hooks want. It is safe for concurrent use.
type Tenant struct {
	m  *Metrics
	id string
}

// Tenant returns the metrics of the tenant with id.
func (m *Metrics) Tenant(id string) Tenant { return Tenant{m: m, id: id} }

// RateLimitWait counts one governor wait of d before a request to bucket.
func (t Tenant) RateLimitWait(bucket string, d time.Duration) {
	t.m.RateLimitWait(t.id, bucket, d)
}

// RateLimitBudget records the requests left in bucket's window.
func (t Tenant) RateLimitBudget(bucket string, remaining int) {
	t.m.RateLimitBudget(t.id, bucket, remaining)
}

// Transport wraps next (nil: http.DefaultTransport) so that every request
// through it is counted by endpoint and status. Give it to the Okta
// client as the Transport of Config.HTTPClient. Retries show up as the
// separate requests they are.
func (t Tenant) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{t: t, next: next}
}

// transport is the RoundTripper returned by Tenant.Transport.
type transport struct {
	t    Tenant
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper. It reads only the method, path
// and status: never a header, so no credential can reach a label.
func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := tr.t.m.now()
	resp, err := tr.next.RoundTrip(req)
	status := 0
	if err == nil {
		status = resp.StatusCode
	}
	tr.t.m.ObserveRequest(tr.t.id, Endpoint(req.URL.Path), status, tr.t.m.now().Sub(start))
	return resp, err
}
