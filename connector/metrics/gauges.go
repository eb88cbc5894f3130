package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// series names one gauge value: a tenant (its id, not its label) and the
// value of the gauge's second label (a bucket or a stream).
type series struct{ tenant, key string }

// gaugeSet is a gauge with labels tenant and one more, which remembers the
// value of every tenant so that tenants sharing OtherTenant can be shown
// as the worst of them rather than as whoever wrote last. It is safe for
// concurrent use.
type gaugeSet struct {
	m     *Metrics
	desc  *prometheus.Desc
	worst func(a, b float64) float64
	show  func(float64) float64 // applied at scrape time; nil shows the value

	mu   sync.Mutex
	vals map[series]float64
}

// newGaugeSet returns an empty gauge set.
func newGaugeSet(m *Metrics, desc *prometheus.Desc, worst func(a, b float64) float64,
	show func(float64) float64) *gaugeSet {
	return &gaugeSet{m: m, desc: desc, worst: worst, show: show, vals: map[series]float64{}}
}

// set records tenant's value for key.
func (g *gaugeSet) set(tenant, key string, v float64) {
	g.m.tenants.label(tenant)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.vals[series{tenant, key}] = v
}

// unset drops tenant's value for key.
func (g *gaugeSet) unset(tenant, key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.vals, series{tenant, key})
}

// forget drops every value of tenant.
func (g *gaugeSet) forget(tenant string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for s := range g.vals {
		if s.tenant == tenant {
			delete(g.vals, s)
		}
	}
}

// Describe implements prometheus.Collector.
func (g *gaugeSet) Describe(ch chan<- *prometheus.Desc) { ch <- g.desc }

// Collect implements prometheus.Collector: one sample per label pair,
// the worst value where several tenants share OtherTenant.
func (g *gaugeSet) Collect(ch chan<- prometheus.Metric) {
	out := map[series]float64{}
	g.mu.Lock()
	for s, v := range g.vals {
		if g.show != nil {
			v = g.show(v)
		}
		key := series{g.m.tenants.label(s.tenant), s.key}
		if prev, ok := out[key]; ok {
			v = g.worst(prev, v)
		}
		out[key] = v
	}
	g.mu.Unlock()
	for s, v := range out {
		ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, v, s.tenant, s.key)
	}
}

func minOf(a, b float64) float64 { return min(a, b) }
func maxOf(a, b float64) float64 { return max(a, b) }
