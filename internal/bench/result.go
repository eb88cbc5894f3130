package bench

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// Result is one benchmark run: every row of the table. A row that was not
// run is nil, with the reason in Skipped.
type Result struct {
	Started     time.Time          `json:"started"`
	Machine     Machine            `json:"machine"`
	Org         Org                `json:"org"`
	Broker      string             `json:"broker"`
	Unthrottled *UnthrottledResult `json:"unthrottled,omitempty"`
	Idle        *IdleResult        `json:"idle,omitempty"`
	Latency     *LatencyResult     `json:"latency,omitempty"`
	RateLimited *RateLimitedResult `json:"rate_limited,omitempty"`
	Peer        *PeerResult        `json:"peer,omitempty"`
	// Skipped names each row not run and why.
	Skipped map[string]string `json:"skipped,omitempty"`
	Took    Seconds           `json:"took_seconds"`
}

// Seconds is a duration that JSON carries as seconds.
type Seconds float64

// secs converts d.
func secs(d time.Duration) Seconds { return Seconds(d.Seconds()) }

// UnthrottledResult is the full sync with rate limits off.
type UnthrottledResult struct {
	Records       int64            `json:"records"`
	ByStream      map[string]int64 `json:"by_stream"`
	APICalls      int              `json:"api_calls"`
	Wall          Seconds          `json:"wall_seconds"`
	RecordsPerSec float64          `json:"records_per_second"`
	CPU           Seconds          `json:"cpu_seconds"`
	// CPUPerRecord and the baselines per record are in microseconds. The
	// baseline decodes with the client's own decoder; the std one with
	// encoding/json, to show what the faster decoder saves.
	CPUPerRecord         float64 `json:"cpu_us_per_record"`
	BaselineDecode       Seconds `json:"baseline_decode_cpu_seconds"`
	BaselineEncode       Seconds `json:"baseline_encode_cpu_seconds"`
	BaselinePerRecord    float64 `json:"baseline_us_per_record"`
	BaselineStdDecode    Seconds `json:"baseline_std_decode_cpu_seconds"`
	BaselineStdPerRecord float64 `json:"baseline_std_us_per_record"`
	CPURatio             float64 `json:"cpu_ratio"`
	PeakRSSMiB           float64 `json:"peak_rss_mib"`
	// SimCPU and BrokerCPU are what the simulator and kfake-server spent
	// during the sync (zero for a broker not started here); CeilingPerSec
	// is the records per second the machine's cores allow with all three.
	SimCPU        Seconds `json:"sim_cpu_seconds"`
	BrokerCPU     Seconds `json:"broker_cpu_seconds"`
	CeilingPerSec float64 `json:"cpu_ceiling_records_per_second,omitempty"`
}

// IdleResult is an incremental cycle right after the full sync.
type IdleResult struct {
	APICalls int            `json:"api_calls"`
	Target   int            `json:"target_calls"`
	ByPath   map[string]int `json:"by_endpoint"`
	Records  int64          `json:"records"`
	Wall     Seconds        `json:"wall_seconds"`
}

// LatencyResult is the time from a user's deactivation in the simulator to
// its record on Kafka, under okta-connector run.
type LatencyResult struct {
	Latency      Seconds `json:"latency_seconds"`
	PollInterval Seconds `json:"activity_poll_seconds"`
}

// RateLimitedResult is the full sync of RateLimitedOrg at Okta's default
// buckets and the configured share.
type RateLimitedResult struct {
	Org      Org           `json:"org"`
	Share    float64       `json:"share"`
	Wall     Seconds       `json:"wall_seconds"`
	Floor    Seconds       `json:"floor_seconds"`
	Ratio    float64       `json:"ratio"`
	Buckets  []BucketFloor `json:"buckets"`
	Refused  int           `json:"responses_429"`
	Records  int64         `json:"records"`
	APICalls int           `json:"api_calls"`
}

// BucketFloor is one bucket's share of the floor.
type BucketFloor struct {
	Bucket string  `json:"bucket"`
	Calls  int     `json:"calls"`
	Limit  int     `json:"limit_per_minute"`
	Floor  Seconds `json:"floor_seconds"`
}

// PeerResult sets Airbyte's Okta source beside the connector, reading the
// same simulator in the same run.
type PeerResult struct {
	Version       string           `json:"version"`
	Records       int64            `json:"records"`
	ByStream      map[string]int64 `json:"by_stream"`
	APICalls      int              `json:"api_calls"`
	Wall          Seconds          `json:"wall_seconds"`
	RecordsPerSec float64          `json:"records_per_second"`
	// Speedup is the connector's records per second over the peer's.
	Speedup float64 `json:"speedup"`
}

// Machine is where the run happened.
type Machine struct {
	CPUs      int    `json:"cpus"`
	MemoryMiB int64  `json:"memory_mib"`
	CPUModel  string `json:"cpu_model"`
	Go        string `json:"go"`
}

// thisMachine reads the CPU count, memory and CPU model of Linux.
func thisMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			var kb int64
			if _, err := fmt.Sscanf(l, "MemTotal: %d kB", &kb); err == nil {
				m.MemoryMiB = kb / 1024
				break
			}
		}
	}
	return m
}
