package metrics

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// fixedNow is the clock of every test.
var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// newTest returns metrics without runtime collectors on the fixed clock.
func newTest(limit int) *Metrics {
	now := func() time.Time { return fixedNow }
	return New(Options{TenantCap: limit, NoRuntime: true, Now: now})
}

// samples gathers m as "name{k=v,...}" → value; histograms give their
// sample count under name_count.
func samples(t *testing.T, m *Metrics) map[string]float64 {
	t.Helper()
	fams, err := m.Gatherer().Gather()
	if err != nil {
		t.Fatalf("gathering: %v", err)
	}
	out := map[string]float64{}
	for _, f := range fams {
		for _, s := range f.GetMetric() {
			name, v := f.GetName(), value(f.GetType(), s)
			if f.GetType() == dto.MetricType_HISTOGRAM {
				name += "_count"
			}
			out[name+labels(s)] = v
		}
	}
	return out
}

// value is a sample's number by the family's type.
func value(typ dto.MetricType, s *dto.Metric) float64 {
	switch typ {
	case dto.MetricType_COUNTER:
		return s.GetCounter().GetValue()
	case dto.MetricType_GAUGE:
		return s.GetGauge().GetValue()
	case dto.MetricType_HISTOGRAM:
		return float64(s.GetHistogram().GetSampleCount())
	}
	return -1
}

// labels renders a sample's labels sorted, as {k=v,...}.
func labels(s *dto.Metric) string {
	var kv []string
	for _, l := range s.GetLabel() {
		kv = append(kv, fmt.Sprintf("%s=%s", l.GetName(), l.GetValue()))
	}
	sort.Strings(kv)
	return "{" + strings.Join(kv, ",") + "}"
}
