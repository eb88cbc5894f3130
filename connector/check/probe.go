package check

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"time"

	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// defaultLookBack is the System Log window probed when the tenant names
// none: the connector's own default (ACTIVITY_LOOKBACK).
const defaultLookBack = 7 * 24 * time.Hour

// ratePatience is how long one probe waits, in total, for Okta's rate
// limits. A person waits on the check, so a bucket that stays spent
// fails the probe with Okta's words and the advice within seconds, where
// the connector itself waits okta.DefaultRateLimitPatience.
const ratePatience = 20 * time.Second

// probe is one permission and the request that tests it.
type probe struct {
	permission string
	scope      string
	what       string   // the resource, in the fix: "users", "the System Log"
	streams    []string // runs when one of them is enabled; nil: always
	run        func(ctx context.Context, s *state) (Status, string, error)
}

// state is what probes learn for later ones.
type state struct {
	c       *okta.Client
	base    *url.URL
	since   time.Time
	groupID string // the first group listed, "" when none
	appID   string
	failed  map[string]bool // permissions whose probe failed
}

// Probe makes one request per permission t's streams need and returns
// the results in order. The error is ctx's when it ends; what Okta
// answered is in the results. A probe waits at most ratePatience for
// Okta's rate limits.
func Probe(ctx context.Context, c *okta.Client, t config.Tenant, now time.Time) (
	[]Result, error) {
	ctx = okta.WithRateLimitPatience(ctx, ratePatience)
	lookBack := t.Schedules.ActivityLookback
	if lookBack <= 0 {
		lookBack = defaultLookBack
	}
	s := &state{c: c, base: t.BaseURL, since: now.Add(-lookBack), failed: map[string]bool{}}
	var results []Result
	stop := ""
	for _, p := range probes {
		if p.streams != nil && !enabled(t, p.streams) {
			continue
		}
		r := Result{Permission: p.permission, Scope: p.scope}
		if stop != "" {
			r.Status, r.Detail = Skipped, stop
			results = append(results, r)
			continue
		}
		status, detail, err := p.run(ctx, s)
		if ctx.Err() != nil {
			return results, ctx.Err()
		}
		if err != nil {
			status, detail = failed(p, err)
			s.failed[p.permission] = true
			if fatal(p, err) {
				stop = "not tried: fix the problem above first"
			}
		}
		r.Status, r.Detail = status, detail
		results = append(results, r)
	}
	return results, nil
}

// failed returns the status and detail of p's failure: Wait for a spent
// rate limit, which proves nothing about the permission, else Fix.
func failed(p probe, err error) (Status, string) {
	if errors.Is(err, okta.ErrRateLimited) {
		return Wait, fixFor(p, err)
	}
	return Fix, fixFor(p, err)
}

// enabled reports whether t runs one of streams.
func enabled(t config.Tenant, streams []string) bool {
	for _, s := range streams {
		if slices.Contains(t.Streams, s) {
			return true
		}
	}
	return false
}

// fatal reports whether p's failure means every other request would fail
// alike: a rejected credential anywhere, or an org that cannot be read for
// any reason but a missing permission or a spent rate limit (a wrong
// domain, no answer at all).
func fatal(p probe, err error) bool {
	switch {
	case errors.Is(err, okta.ErrUnauthorized):
		return true
	case errors.Is(err, okta.ErrRateLimited):
		// Each bucket has its own limit: the next probe may well pass.
		return false
	}
	return p.scope == scopeOrgs && !errors.Is(err, okta.ErrForbidden)
}

// firstPage is the URL of a listing's first page of one object, handed
// to the client as a resume cursor.
func (s *state) firstPage(path string, extra ...string) string {
	u := s.base.JoinPath(path)
	q := url.Values{"limit": {"1"}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}
