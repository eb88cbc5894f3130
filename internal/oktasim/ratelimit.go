package oktasim

import (
	"strings"
	"sync"
	"time"
)

// rateLimiter keeps one counter per bucket per org (API.md §9.1). A
// window opens with the first request after the previous one closed, so
// windows are 60 s long but not aligned to the minute.
type rateLimiter struct {
	cfg     RateLimits
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	limit     int
	remaining int
	reset     time.Time
}

// quota is what the X-Rate-Limit-* headers report.
type quota struct {
	limit, remaining int
	reset            time.Time
}

func newRateLimiter(cfg RateLimits, _ uint64) *rateLimiter {
	return &rateLimiter{cfg: cfg, buckets: map[string]*bucket{}}
}

// bucketFor maps a path to its bucket: exact paths first, then the
// longest prefix; sub-paths share their base row, so app users and app
// groups spend the apps bucket and group members the groups bucket
// (API.md §9.1). The org, domains and well-known paths fall into the
// generic bucket (API.md §0, UNCONFIRMED).
func bucketFor(path string) string {
	switch {
	case path == "/api/v1/users":
		return "users"
	case strings.HasPrefix(path, "/api/v1/users/"):
		return "user"
	case strings.HasPrefix(path, "/api/v1/groups"):
		return "groups"
	case strings.HasPrefix(path, "/api/v1/apps"):
		return "apps"
	case strings.HasPrefix(path, "/api/v1/logs"):
		return "logs"
	case strings.HasPrefix(path, "/oauth2/"):
		return "oauth"
	}
	return "generic"
}

func (l *rateLimiter) limitOf(name string) int {
	switch name {
	case "users":
		return l.cfg.Users
	case "user":
		return l.cfg.User
	case "groups":
		return l.cfg.Groups
	case "apps":
		return l.cfg.Apps
	case "logs":
		return l.cfg.Logs
	}
	return l.cfg.Generic
}

// take spends one call from the bucket and reports whether it was
// allowed, with the quota after it.
func (l *rateLimiter) take(name string, now time.Time) (quota, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[name]
	if b == nil || !now.Before(b.reset) {
		lim := l.limitOf(name)
		b = &bucket{limit: lim, remaining: lim, reset: now.Add(l.cfg.Window)}
		l.buckets[name] = b
	}
	if l.cfg.Off {
		return quota{b.limit, b.limit, b.reset}, true
	}
	if b.remaining == 0 {
		return quota{b.limit, 0, b.reset}, false
	}
	b.remaining--
	return quota{b.limit, b.remaining, b.reset}, true
}

// spend lets tests and the admin API use up part of a bucket as another
// client of the same org would.
func (l *rateLimiter) spend(name string, n int, now time.Time) {
	for range n {
		if _, ok := l.take(name, now); !ok {
			return
		}
	}
}
