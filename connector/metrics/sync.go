package metrics

import "time"

// Published counts n records of tenant's stream acknowledged by Kafka.
func (m *Metrics) Published(tenant, stream string, n int) {
	if n <= 0 {
		return
	}
	m.published.WithLabelValues(m.tenants.label(tenant), stream).Add(float64(n))
}

// SyncDone records one finished sync of tenant's stream that took d:
// err nil is a success, which also sets the last-success time to now.
func (m *Metrics) SyncDone(tenant, stream string, d time.Duration, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.syncs.WithLabelValues(m.tenants.label(tenant), stream, result).Inc()
	m.syncSeconds.WithLabelValues(stream, result).Observe(d.Seconds())
	if err == nil {
		m.lastSuccess.set(tenant, stream, unix(m.now()))
	}
}

// Watermark records the time of the newest data tenant's stream has
// committed a checkpoint for: an event's published time for the System
// Log, the time of the last completed listing for a directory stream.
// The checkpoint lag gauge is its age at scrape time, so it keeps growing
// while a stream is stuck.
func (m *Metrics) Watermark(tenant, stream string, t time.Time) {
	m.watermark.set(tenant, stream, unix(t))
}

// unix is t in Unix seconds with a fraction.
func unix(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// CheckpointLag records that tenant's stream is lag behind now; it is
// Watermark for callers that hold a lag rather than a time.
func (m *Metrics) CheckpointLag(tenant, stream string, lag time.Duration) {
	m.Watermark(tenant, stream, m.now().Add(-lag))
}
