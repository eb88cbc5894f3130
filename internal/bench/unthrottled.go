package bench

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

// runUnthrottled runs the full sync and measures it against the work
// alone.
func runUnthrottled(ctx context.Context, cfg Config, s *sim, b *broker,
	run connRun) (*UnthrottledResult, error) {
	others := cpuMeter{sim: s.p, broker: b.p}
	if err := others.begin(); err != nil {
		return nil, err
	}
	sr, err := runSync(ctx, cfg, run)
	if err != nil {
		return nil, fmt.Errorf("full sync: %w", err)
	}
	simCPU, brokerCPU, err := others.end()
	if err != nil {
		return nil, err
	}
	reqs, err := s.requests(ctx)
	if err != nil {
		return nil, err
	}
	by, err := b.countRecords(ctx, run.prefix)
	if err != nil {
		return nil, err
	}
	r := &UnthrottledResult{ByStream: by, APICalls: len(reqs), Wall: secs(sr.Wall),
		CPU: secs(sr.CPU), PeakRSSMiB: float64(sr.PeakRSS) / (1 << 20)}
	for _, n := range by {
		r.Records += n
	}
	if r.Records == 0 {
		return nil, fmt.Errorf("full sync wrote no records under %q", run.prefix)
	}
	r.RecordsPerSec = float64(r.Records) / sr.Wall.Seconds()
	r.CPUPerRecord = perRecordMicros(sr.CPU, r.Records)
	r.SimCPU, r.BrokerCPU = secs(simCPU), secs(brokerCPU)
	if b.p != nil {
		// Every party's CPU on this machine's cores: the records per
		// second no connector could pass here while the simulator and
		// the broker cost what they do.
		all := sr.CPU + simCPU + brokerCPU
		r.CeilingPerSec = float64(r.Records) * float64(runtime.NumCPU()) / all.Seconds()
	}
	cfg.progress("baseline: decoding the sync's %d bodies and encoding its records",
		len(reqs))
	base, err := measureBaseline(ctx, s, reqs, b, run.prefix)
	if err != nil {
		return nil, fmt.Errorf("measuring baseline: %w", err)
	}
	r.BaselineDecode, r.BaselineEncode = secs(base.Decode), secs(base.Encode)
	r.BaselinePerRecord = perRecordMicros(base.Decode+base.Encode, r.Records)
	r.BaselineStdDecode = secs(base.StdDecode)
	r.BaselineStdPerRecord = perRecordMicros(base.StdDecode+base.Encode, r.Records)
	if r.BaselinePerRecord > 0 {
		r.CPURatio = r.CPUPerRecord / r.BaselinePerRecord
	}
	return r, s.resetRequests(ctx)
}

func perRecordMicros(d time.Duration, n int64) float64 {
	if n == 0 {
		return 0
	}
	return float64(d.Microseconds()) / float64(n)
}

// cpuMeter reads the CPU the simulator and the broker spend during a sync.
type cpuMeter struct {
	sim, broker *proc
	s0, b0      time.Duration
}

func (m *cpuMeter) begin() (err error) {
	if m.s0, err = m.sim.cpuTime(); err != nil {
		return err
	}
	m.b0, err = m.broker.cpuTime()
	return err
}

func (m *cpuMeter) end() (sim, broker time.Duration, err error) {
	if sim, err = m.sim.cpuTime(); err != nil {
		return 0, 0, err
	}
	if broker, err = m.broker.cpuTime(); err != nil {
		return 0, 0, err
	}
	return sim - m.s0, broker - m.b0, nil
}
