package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// DefaultTenantCap is how many tenants get their own label by default:
// with about a dozen endpoints, a few buckets and seven streams, it keeps
// a scrape in the low thousands of series.
const DefaultTenantCap = 100

// OtherTenant is the tenant label shared by tenants past the cap.
const OtherTenant = "_other"

// tenantLabels hands out tenant label values: the tenant's id for the
// first cap tenants, OtherTenant after. It is safe for concurrent use and
// reports how many tenants share OtherTenant.
type tenantLabels struct {
	cap  int
	desc *prometheus.Desc

	mu       sync.Mutex
	labelled map[string]bool // tenant → has its own label
}

// newTenantLabels returns labels for up to limit tenants (a default when
// limit is not positive).
func newTenantLabels(limit int) *tenantLabels {
	if limit <= 0 {
		limit = DefaultTenantCap
	}
	return &tenantLabels{
		cap:      limit,
		labelled: map[string]bool{},
		desc: prometheus.NewDesc(namespace+"_tenants_unlabelled",
			`Tenants counted under tenant="_other" because the tenant label cap `+
				"was reached.", nil, nil),
	}
}

// label returns tenant's label value, assigning one on first sight.
func (t *tenantLabels) label(tenant string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	own, seen := t.labelled[tenant]
	if !seen {
		own = t.owned() < t.cap
		t.labelled[tenant] = own
	}
	if own {
		return tenant
	}
	return OtherTenant
}

// forget drops tenant, returning its label and whether it was its own
// (and so whether its series can go).
func (t *tenantLabels) forget(tenant string) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	own, seen := t.labelled[tenant]
	delete(t.labelled, tenant)
	if !seen || !own {
		return OtherTenant, false
	}
	return tenant, true
}

// owned counts tenants with their own label. Called with t.mu held.
func (t *tenantLabels) owned() int {
	n := 0
	for _, own := range t.labelled {
		if own {
			n++
		}
	}
	return n
}

// Describe implements prometheus.Collector.
func (t *tenantLabels) Describe(ch chan<- *prometheus.Desc) { ch <- t.desc }

// Collect implements prometheus.Collector.
func (t *tenantLabels) Collect(ch chan<- prometheus.Metric) {
	t.mu.Lock()
	n := len(t.labelled) - t.owned()
	t.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(t.desc, prometheus.GaugeValue, float64(n))
}
