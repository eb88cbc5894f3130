package metrics

import "github.com/prometheus/client_golang/prometheus"

// reasonCredentials is the one reason a tenant fails its configuration
// today: credentials that cannot be read.
const reasonCredentials = "credentials"

// configMetrics builds the gauge of tenants that cannot run.
func (m *Metrics) configMetrics() {
	m.configErrors = newGaugeSet(m, prometheus.NewDesc(namespace+"_tenant_config_error",
		"1 while a tenant is not running because its configuration cannot be used "+
			"(a token file missing, a token variable unset, a private key unreadable); "+
			"/status says why.", []string{"tenant", "reason"}, nil),
		maxOf, nil)
}

// ConfigError records whether tenant is kept from running because its
// credentials cannot be read: failed sets the gauge to 1, a fix drops the
// series.
func (m *Metrics) ConfigError(tenant string, failed bool) {
	if failed {
		m.configErrors.set(tenant, reasonCredentials, 1)
		return
	}
	m.configErrors.unset(tenant, reasonCredentials)
}
