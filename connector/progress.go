package connector

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Progress is how far one running stream has come.
type Progress struct {
	Tenant, Stream string
	Started        time.Time
	// Records is what the run published so far, sync markers left out.
	Records int64
	// Total is the records the run is expected to publish, 0 when unknown
	// (progress_total.go says when it is known).
	Total int64
}

// Rate returns the records published per second since the run started.
func (p Progress) Rate(now time.Time) float64 {
	secs := now.Sub(p.Started).Seconds()
	if secs <= 0 {
		return 0
	}
	return float64(p.Records) / secs
}

// Percent returns how much of Total is published, capped at 100 (the
// total is an estimate), and whether a total is known.
func (p Progress) Percent() (float64, bool) {
	if p.Total <= 0 {
		return 0, false
	}
	return min(100, 100*float64(p.Records)/float64(p.Total)), true
}

// ETA returns the time left at the rate so far, and whether it can tell.
func (p Progress) ETA(now time.Time) (time.Duration, bool) {
	rate := p.Rate(now)
	if p.Total <= 0 || rate <= 0 {
		return 0, false
	}
	left := max(0, p.Total-p.Records)
	return time.Duration(float64(left) / rate * float64(time.Second)), true
}

// streamProgress is the live counter of one run; publish feeds it.
type streamProgress struct {
	tenant, stream string
	started        time.Time
	records, total atomic.Int64
}

// add counts a batch's records, leaving sync markers out.
func (p *streamProgress) add(recs []Record) {
	if p == nil {
		return
	}
	n := int64(0)
	for _, r := range recs {
		if r.Stream != StreamSyncMarkers {
			n++
		}
	}
	p.records.Add(n)
}

func (p *streamProgress) snapshot() Progress {
	return Progress{Tenant: p.tenant, Stream: p.stream, Started: p.started,
		Records: p.records.Load(), Total: p.total.Load()}
}

// progressBoard is every run in flight, and how many have ended.
type progressBoard struct {
	mu       sync.Mutex
	runs     map[*streamProgress]struct{}
	finished atomic.Int64
}

func newProgressBoard() *progressBoard {
	return &progressBoard{runs: map[*streamProgress]struct{}{}}
}

func (b *progressBoard) start(tenant, stream string, now time.Time) *streamProgress {
	p := &streamProgress{tenant: tenant, stream: stream, started: now}
	b.mu.Lock()
	b.runs[p] = struct{}{}
	b.mu.Unlock()
	return p
}

func (b *progressBoard) finish(p *streamProgress) {
	b.mu.Lock()
	delete(b.runs, p)
	b.mu.Unlock()
	b.finished.Add(1)
}

// Progress returns the stream runs in flight, by tenant and stream.
func (e *Engine) Progress() []Progress {
	e.board.mu.Lock()
	out := make([]Progress, 0, len(e.board.runs))
	for p := range e.board.runs {
		out = append(out, p.snapshot())
	}
	e.board.mu.Unlock()
	slices.SortFunc(out, func(a, b Progress) int {
		return cmp.Or(cmp.Compare(a.Tenant, b.Tenant), cmp.Compare(a.Stream, b.Stream))
	})
	return out
}

// Finished returns how many stream runs have ended, failed ones included,
// since the engine was made.
func (e *Engine) Finished() int64 { return e.board.finished.Load() }

// reportProgress logs, every ProgressInterval until ctx ends or stop is
// called, one line for each run that has lasted at least that long.
func (e *Engine) reportProgress(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(e.cfg.ProgressInterval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				e.logProgress(e.cfg.Now())
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// logProgress writes the progress lines of the long runs.
func (e *Engine) logProgress(now time.Time) {
	for _, p := range e.Progress() {
		if now.Sub(p.Started) < e.cfg.ProgressInterval {
			continue
		}
		attrs := []any{"tenant", p.Tenant, "stream", p.Stream, "records", p.Records,
			"rate", int64(p.Rate(now)), "elapsed", now.Sub(p.Started).Round(time.Second)}
		if pct, ok := p.Percent(); ok {
			attrs = append(attrs, "total", p.Total, "percent", int(pct))
		}
		if eta, ok := p.ETA(now); ok {
			attrs = append(attrs, "eta", eta.Round(time.Second))
		}
		e.cfg.Logger.Info("sync progress", attrs...)
	}
}
