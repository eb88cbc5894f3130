package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every metric name.
const namespace = "okta_connector"

// Options configures New. The zero value is usable.
type Options struct {
	// TenantCap is how many tenants get a tenant label of their own; the
	// rest share tenant="_other". Default DefaultTenantCap.
	TenantCap int
	// Now is the clock for lag and last-success times; nil is time.Now.
	Now func() time.Time
	// NoRuntime leaves out the Go runtime and process collectors, for
	// tests that assert on the whole output.
	NoRuntime bool
}

// Metrics is the connector's set of metrics and the registry that holds
// them. It is safe for concurrent use; every method is cheap enough for
// the request path.
type Metrics struct {
	reg     *prometheus.Registry
	tenants *tenantLabels
	now     func() time.Time

	requests        *prometheus.CounterVec
	requestSeconds  *prometheus.HistogramVec
	rateWaits       *prometheus.CounterVec
	rateWaitSeconds *prometheus.CounterVec
	published       *prometheus.CounterVec
	syncs           *prometheus.CounterVec
	syncSeconds     *prometheus.HistogramVec
	remaining       *gaugeSet
	watermark       *gaugeSet
	lastSuccess     *gaugeSet
	configErrors    *gaugeSet
}

// New returns the metrics registered on a fresh private registry.
func New(opts Options) *Metrics {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m := &Metrics{
		reg:     prometheus.NewRegistry(),
		tenants: newTenantLabels(opts.TenantCap),
		now:     opts.Now,
	}
	m.oktaMetrics()
	m.syncMetrics()
	m.configMetrics()
	m.reg.MustRegister(m.requests, m.requestSeconds, m.rateWaits, m.rateWaitSeconds,
		m.published, m.syncs, m.syncSeconds, m.remaining, m.watermark, m.lastSuccess,
		m.configErrors, m.tenants)
	if !opts.NoRuntime {
		m.reg.MustRegister(collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	return m
}

// oktaMetrics builds the metrics of the Okta client's requests.
func (m *Metrics) oktaMetrics() {
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "okta_requests_total",
		Help: "Okta API requests answered, by endpoint and HTTP status " +
			`("error": no response).`,
	}, []string{"tenant", "endpoint", "status"})
	m.requestSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "okta_request_duration_seconds",
		Help:    "Time to the response headers of Okta API requests, by endpoint.",
		Buckets: []float64{.025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"endpoint"})
	m.rateWaits = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "rate_limit_waits_total",
		Help: "Waits imposed by the rate-limit governor before an Okta request.",
	}, []string{"tenant", "bucket"})
	m.rateWaitSeconds = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "rate_limit_wait_seconds_total",
		Help: "Time spent waiting for Okta rate-limit budget.",
	}, []string{"tenant", "bucket"})
	m.remaining = newGaugeSet(m, prometheus.NewDesc(namespace+"_rate_limit_remaining",
		"Requests left in the current Okta rate-limit window (X-Rate-Limit-Remaining); "+
			`tenant="_other" shows the lowest.`, []string{"tenant", "bucket"}, nil),
		minOf, nil)
}

// syncMetrics builds the metrics of streams and records.
func (m *Metrics) syncMetrics() {
	m.published = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "records_published_total",
		Help: "Records acknowledged by Kafka, by stream.",
	}, []string{"tenant", "stream"})
	m.syncs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "syncs_total",
		Help: `Completed syncs by stream and result ("ok" or "error").`,
	}, []string{"tenant", "stream", "result"})
	m.syncSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "sync_duration_seconds",
		Help:    "Duration of one sync of one stream of one tenant.",
		Buckets: prometheus.ExponentialBuckets(0.5, 4, 9), // 0.5 s to about 9 h
	}, []string{"stream", "result"})
	m.watermark = newGaugeSet(m, prometheus.NewDesc(namespace+"_checkpoint_lag_seconds",
		"Age of the newest data a stream's checkpoint covers; "+
			`tenant="_other" shows the largest.`, []string{"tenant", "stream"}, nil),
		maxOf, m.age)
	m.lastSuccess = newGaugeSet(m, prometheus.NewDesc(
		namespace+"_last_success_timestamp_seconds",
		"Unix time of a stream's last successful sync; "+
			`tenant="_other" shows the oldest.`, []string{"tenant", "stream"}, nil),
		minOf, nil)
}

// age turns a Unix time into seconds before now.
func (m *Metrics) age(unix float64) float64 {
	return float64(m.now().UnixNano())/1e9 - unix
}

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Gatherer is the private registry, for callers that expose it their way.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Forget drops a removed tenant's series and frees its label for a new
// tenant. Its past counts under _other, if it had no label, stay there.
func (m *Metrics) Forget(tenant string) {
	for _, g := range []*gaugeSet{m.remaining, m.watermark, m.lastSuccess, m.configErrors} {
		g.forget(tenant)
	}
	if label, freed := m.tenants.forget(tenant); freed {
		match := prometheus.Labels{"tenant": label}
		m.requests.DeletePartialMatch(match)
		m.rateWaits.DeletePartialMatch(match)
		m.rateWaitSeconds.DeletePartialMatch(match)
		m.published.DeletePartialMatch(match)
		m.syncs.DeletePartialMatch(match)
	}
}
