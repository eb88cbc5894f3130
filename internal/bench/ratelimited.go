package bench

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"
)

// oktaBuckets are Okta's default Workforce limits per minute, which the
// simulator serves unless told otherwise (API.md §9.1).
var oktaBuckets = map[string]int{
	"users": 600, "user": 2000, "groups": 500, "apps": 100, "logs": 120, "generic": 1200,
}

// runRateLimited syncs RateLimitedOrg from scratch at Okta's default
// buckets and compares the wall time with the floor its calls allow.
func runRateLimited(ctx context.Context, cfg Config, b *broker,
	prefix string) (*RateLimitedResult, error) {
	cfg.progress("rate-limited full sync (%s, share %g)", cfg.RateLimitedOrg, cfg.Share)
	s, err := startSim(ctx, simSpec{name: "okta-sim-rl", org: cfg.RateLimitedOrg,
		seed: cfg.Seed, limits: true, bin: cfg.BinDir, work: cfg.WorkDir})
	if err != nil {
		return nil, err
	}
	defer s.stop()
	ckpt, err := os.MkdirTemp(cfg.WorkDir, "checkpoints-rl-")
	if err != nil {
		return nil, fmt.Errorf("creating checkpoint directory: %w", err)
	}
	run := connRun{name: "connector-rl", sim: s, brokers: b.addrs, prefix: prefix,
		ckpt: ckpt, share: cfg.Share}
	sr, err := runSync(ctx, cfg, run)
	if err != nil {
		return nil, fmt.Errorf("rate-limited sync: %w", err)
	}
	reqs, err := s.requests(ctx)
	if err != nil {
		return nil, err
	}
	by, err := b.countRecords(ctx, prefix)
	if err != nil {
		return nil, err
	}
	r := floorOf(reqs, cfg.Share)
	r.Org, r.Share, r.Wall = cfg.RateLimitedOrg, cfg.Share, secs(sr.Wall)
	for _, n := range by {
		r.Records += n
	}
	if r.Floor > 0 {
		r.Ratio = float64(r.Wall) / float64(r.Floor)
	}
	return r, nil
}

// floorOf computes the least time the shared budget allows for reqs: per
// bucket, calls ÷ (share × rate); buckets run in parallel, so the slowest
// sets the floor. A 429 is a call too: it spent the bucket's time.
func floorOf(reqs []request, share float64) *RateLimitedResult {
	calls := map[string]int{}
	r := &RateLimitedResult{APICalls: len(reqs)}
	for _, q := range reqs {
		calls[q.Bucket]++
		if q.Status == 429 {
			r.Refused++
		}
	}
	for bucket, n := range calls {
		limit, ok := oktaBuckets[bucket]
		if !ok {
			continue
		}
		perSec := share * float64(limit) / 60
		f := secs(time.Duration(float64(n) / perSec * float64(time.Second)))
		r.Buckets = append(r.Buckets, BucketFloor{Bucket: bucket, Calls: n, Limit: limit,
			Floor: f})
		r.Floor = max(r.Floor, f)
	}
	slices.SortFunc(r.Buckets, func(a, b BucketFloor) int {
		return int(b.Floor*1000) - int(a.Floor*1000)
	})
	return r
}
