package bench

import (
	"context"
	"fmt"
	"strings"
)

// appsPageSize is the page the connector lists apps with; the idle target
// allows one call per page of the apps list.
const appsPageSize = 200

// runIdle runs a second sync right after the full one: nothing changed,
// so it should cost one call per stream, the apps list and the domains.
func runIdle(ctx context.Context, cfg Config, s *sim, b *broker,
	run connRun) (*IdleResult, error) {
	before, err := b.countRecords(ctx, run.prefix)
	if err != nil {
		return nil, err
	}
	if err := s.resetRequests(ctx); err != nil {
		return nil, err
	}
	sr, err := runSync(ctx, cfg, run)
	if err != nil {
		return nil, fmt.Errorf("idle sync: %w", err)
	}
	reqs, err := s.requests(ctx)
	if err != nil {
		return nil, err
	}
	after, err := b.countRecords(ctx, run.prefix)
	if err != nil {
		return nil, err
	}
	r := &IdleResult{APICalls: len(reqs), ByPath: map[string]int{}, Wall: secs(sr.Wall),
		Target: idleTarget(cfg.Org.Apps)}
	for _, q := range reqs {
		r.ByPath[endpoint(q.Path)]++
	}
	for s, n := range after {
		r.Records += n - before[s]
	}
	return r, s.resetRequests(ctx)
}

// idleTarget is one call per stream (users, groups, apps, org, logs), one
// more per further page of the apps list, and the org's domains.
func idleTarget(apps int) int {
	pages := max(1, (apps+appsPageSize-1)/appsPageSize)
	return 5 + (pages - 1) + 1
}

// endpoint names a request's path without its query and with ids
// replaced, so calls group by endpoint.
func endpoint(path string) string {
	path, _, _ = strings.Cut(path, "?")
	parts := strings.Split(path, "/")
	for i := 1; i < len(parts); i++ {
		switch parts[i-1] {
		case "users", "groups", "apps":
			if i >= 4 { // /api/v1/<collection>/<id>
				parts[i] = "{id}"
			}
		}
	}
	return strings.Join(parts, "/")
}
