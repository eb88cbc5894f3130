package pipelinetest

import (
	"context"
	"errors"
	"io"
	"net/url"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/connector/okta"
)

// BenchmarkListUsersFromSim lists every user of a simulated org served by
// okta-sim as a process of its own, rate limits off, through the client
// alone: wall time, users per second, and the client process's peak heap
// in use, sampled after every page, which must stay flat whatever the org
// size (issue 2). Run it with -benchtime 1x.
func BenchmarkListUsersFromSim(b *testing.B) {
	for _, users := range []int{10_000, 100_000} {
		b.Run(sizeName(users), func(b *testing.B) {
			sim := StartSim(b, SimConfig{Seed: 11, Users: users, Groups: 5, Apps: 2,
				Events: 10, RateLimitsOff: true, Token: "bench-token-list-users"})
			base, err := url.Parse(sim.URLs[0])
			if err != nil {
				b.Fatal(err)
			}
			cl, err := okta.New(okta.Config{BaseURL: base, RateShare: 1,
				Credentials: okta.Credentials{Token: okta.NewToken("bench-token-list-users")}})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				listAll(b, cl, users)
			}
		})
	}
}

// listAll walks the full user listing once and reports its figures.
func listAll(b *testing.B, cl *okta.Client, want int) {
	runtime.GC()
	var ms runtime.MemStats
	var peak uint64
	start := time.Now()
	pager, n := cl.Users(okta.UserQuery{}), 0
	for {
		users, err := pager.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		n += len(users)
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	took := time.Since(start)
	if n != want {
		b.Fatalf("listed %d users, want %d", n, want)
	}
	b.ReportMetric(float64(n)/took.Seconds(), "users/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(took.Seconds(), "wall-s")
}

func sizeName(n int) string { return "users=" + strconv.Itoa(n/1000) + "k" }
