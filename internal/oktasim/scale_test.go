package oktasim

import (
	"runtime"
	"testing"
	"time"
)

// TestLargeOrgFitsInMemory generates 100k users and 1M events and checks
// the heap stays modest; events cost nothing until a page renders them.
func TestLargeOrgFitsInMemory(t *testing.T) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	o := newTestOrg(t, OrgConfig{Seed: 1, Users: 100_000, Groups: 200, Apps: 50,
		Events: 1_000_000})
	took := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("100k users, 1M events: generated in %v, heap %d MiB", took, heap>>20)
	const limit = 1536 << 20
	if heap > limit {
		t.Errorf("heap grew %d MiB, want under %d MiB", heap>>20, limit>>20)
	}
	if n := o.EventCount(); n != 1_000_000 {
		t.Errorf("got %d events, want 1000000", n)
	}
	runtime.KeepAlive(o)
}

func BenchmarkGenerateLargeOrg(b *testing.B) {
	for b.Loop() {
		if _, err := NewOrg(OrgConfig{Seed: 1, Users: 100_000, Groups: 200, Apps: 50,
			Events: 1_000_000, Clock: NewManualClock(epoch)}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderLogPage(b *testing.B) {
	o, err := NewOrg(OrgConfig{Seed: 1, Users: 1000, Events: 1_000_000,
		Clock: NewManualClock(epoch)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	var buf []byte
	for b.Loop() {
		es := make([]*event, 0, 1000)
		for range 1000 {
			es = append(es, o.log.generate(i%o.log.n))
			i++
		}
		buf = appendEvents(buf[:0], es)
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "events/s")
}
