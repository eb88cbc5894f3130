package main

import (
	"os"
	"runtime/debug"
)

// Garbage collector defaults for the connector's workload, used unless the
// operator sets GOGC or GOMEMLIMIT. A sync's live heap is small (tens of
// MiB) while it allocates hundreds of MiB per second of decoded pages and
// encoded records, so Go's default of collecting each time the heap doubles
// spends a large share of the CPU on collection. Collecting at three times
// the live heap cuts that (at 100k users: the same CPU per record as five
// times, for 104 MiB peak RSS instead of 174; BENCHMARKS.md); the soft
// limit keeps the larger heap bounded when many tenants raise the live
// heap, by collecting sooner near it.
const (
	defaultGCPercent   = 200
	defaultMemoryLimit = 256 << 20
)

// tuneGC applies the defaults above where the environment is silent.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(defaultGCPercent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
