package oktasim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// call is one Okta API request on its way through the pipeline.
type call struct {
	o      *Org
	r      *http.Request
	q      url.Values
	now    time.Time
	p      principal
	seq    uint64
	status int
	header http.Header
	body   []byte
	// buf and rendered are the pooled body buffer (see buffer) and the
	// slice last rendered into it, which may have outgrown it.
	buf      *[]byte
	rendered []byte
}

type route struct {
	pattern  string
	resource string // "" needs no credentials
	h        func(*call) *apiError
}

// Handler returns the org's HTTP handler: the Okta paths, the token
// endpoint and the admin API under /_sim/.
func (o *Org) Handler() http.Handler {
	o.handlerO.Do(func() {
		mux := http.NewServeMux()
		for _, rt := range o.routes() {
			mux.Handle(rt.pattern, o.api(rt))
		}
		mux.Handle("/api/", o.api(route{"", "", func(c *call) *apiError {
			return errNotFound(c.r.URL.Path, "Resource")
		}}))
		mux.HandleFunc("/oauth2/v1/token", o.serveToken)
		// The health check needs no token, so it is served even when
		// the admin API is off.
		mux.HandleFunc(HealthPath, serveHealth)
		if !o.cfg.DisableAdmin {
			mux.Handle("/_sim/", o.admin())
		}
		o.handler = mux
	})
	return o.handler
}

func (o *Org) routes() []route {
	return []route{
		{"/api/v1/users", "users", o.listUsers},
		{"/api/v1/users/{id}", "users", o.getUser},
		{"/api/v1/groups", "groups", o.listGroups},
		{"/api/v1/groups/{id}", "groups", o.getGroup},
		{"/api/v1/groups/{id}/users", "groups", o.listGroupUsers},
		{"/api/v1/apps", "apps", o.listApps},
		{"/api/v1/apps/{id}", "apps", o.getApp},
		{"/api/v1/apps/{id}/users", "apps", o.listAppUsers},
		{"/api/v1/apps/{id}/groups", "apps", o.listAppGroups},
		{"/api/v1/org", "org", o.getOrg},
		{"/api/v1/domains", "domains", o.listDomains},
		{"/api/v1/logs", "logs", o.listLogs},
		// The spec lists no security for the well-known document
		// (API.md §7.2).
		{"/.well-known/okta-organization", "", o.wellKnown},
	}
}

// api wraps a route in the behaviour every Okta response shares
// (API.md §11): Date, X-Okta-Request-Id, Content-Type, rate-limit
// headers, the concurrency limit, auth, permissions and faults.
func (o *Org) api(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{o: o, r: r, q: r.URL.Query(), now: o.now(), header: http.Header{},
			seq: o.reqSeq.Add(1), status: http.StatusOK}
		bucket := bucketFor(r.URL.Path)
		if err := c.run(rt, bucket); err != nil {
			c.fail(err)
		}
		cut := c.applyBodyFaults()
		o.reqs.add(Request{Method: r.Method, Path: r.URL.RequestURI(), Status: c.status,
			Bucket: bucket, Time: c.now})
		c.write(w, cut)
		c.release()
	})
}

func (c *call) run(rt route, bucket string) *apiError {
	o := c.o
	c.header.Set("Date", c.now.Format(http.TimeFormat))
	c.header.Set("Content-Type", "application/json")
	c.header.Set("X-Okta-Request-Id", strings.ReplaceAll(randomText(27), "-", "A"))
	if n := o.inFlight.Add(1); !o.cfg.Limits.Off && n > int64(o.cfg.Limits.Concurrency) {
		defer o.inFlight.Add(-1)
		e := errRateLimited()
		e.quotaZero = true
		return e
	}
	defer o.inFlight.Add(-1)
	f := o.Faults()
	if f.Latency > 0 {
		select {
		case <-time.After(f.Latency):
		case <-c.r.Context().Done():
		}
	}
	q, ok := o.limits.take(bucket, c.now)
	c.setQuota(q)
	if !ok {
		return errRateLimited()
	}
	if err := c.authorize(rt.resource, f); err != nil {
		return err
	}
	if c.r.Method != http.MethodGet && c.r.Method != http.MethodHead {
		return errMethod(c.r.Method)
	}
	if o.chance(f.ServerErrors) {
		return errInternal()
	}
	if o.chance(f.RateLimited) {
		c.setQuota(quota{q.limit, 0, q.reset})
		return errRateLimited()
	}
	return rt.h(c)
}

// authorize checks credentials (401 E0000011), the deny switches (403
// E0000006) and OAuth scopes (403 insufficient_scope with an empty body
// and a WWW-Authenticate challenge, API.md §1.4).
func (c *call) authorize(resource string, f Faults) *apiError {
	if resource == "" {
		return nil
	}
	o := c.o
	p, ok := o.auth.authenticate(c.r, c.now)
	if !ok {
		e := errInvalidToken()
		if strings.HasPrefix(strings.ToLower(c.r.Header.Get("Authorization")), "bearer") {
			e.challenge = `Bearer authorization_uri="` + c.base() +
				`/oauth2/v1/authorize", realm="` + c.base() + `", error="invalid_token", ` +
				`error_description="The access token is invalid."`
		}
		return e
	}
	c.p = p
	o.auth.countDown(p, f.RevokeAfter)
	if slices.Contains(o.cfg.Deny, resource) ||
		(resource == "domains" && slices.Contains(o.cfg.Deny, "org")) {
		return errForbidden()
	}
	if scope := scopeFor[resource]; p.bearer && !p.scopes[scope] {
		return &apiError{status: http.StatusForbidden, empty: true,
			challenge: `Bearer authorization_uri="` + c.base() + `/oauth2/v1/authorize", ` +
				`realm="` + c.base() + `", scope="` + scope + `", error="insufficient_scope", ` +
				`error_description="The access token provided does not contain the ` +
				`required scopes.", resource="` + c.r.URL.Path + `"`}
	}
	return nil
}

func (c *call) base() string { return c.o.linkBase(c.r) }

func (c *call) setQuota(q quota) {
	c.header.Set("X-Rate-Limit-Limit", strconv.Itoa(q.limit))
	c.header.Set("X-Rate-Limit-Remaining", strconv.Itoa(q.remaining))
	c.header.Set("X-Rate-Limit-Reset", strconv.FormatInt(q.reset.Unix(), 10))
}

func (c *call) fail(e *apiError) {
	c.status = e.status
	c.header.Del("Link")
	if e.quotaZero {
		// Reset is only an estimate for concurrency 429s (API.md §9.2).
		c.setQuota(quota{0, 0, c.now.Add(time.Second)})
	}
	if e.challenge != "" {
		c.header.Set("WWW-Authenticate", e.challenge)
	}
	if e.empty {
		c.header.Del("Content-Type")
		c.body = nil
		return
	}
	c.body = e.body()
}

// json stores v as the response body.
func (c *call) json(v any) *apiError {
	b, err := json.Marshal(v)
	if err != nil {
		return errInternal()
	}
	c.body = b
	return nil
}

// raw stores b, JSON written by the appenders, as the response body; an
// error from writing it is a 500, as any rendering bug would be.
func (c *call) raw(b []byte, err error) *apiError {
	if c.buf != nil {
		c.rendered = b
	}
	if err != nil {
		return errInternal()
	}
	c.body = b
	return nil
}

// applyBodyFaults garbles a successful body on demand, or reports that
// it is to be cut off mid-stream.
func (c *call) applyBodyFaults() (cut bool) {
	if c.status != http.StatusOK || len(c.body) == 0 {
		return false
	}
	f := c.o.Faults()
	switch {
	case c.o.chance(f.Truncated):
		return true
	case c.o.chance(f.Malformed):
		c.body = append([]byte(`[{"id": "00u`), bytes.Repeat([]byte{0xff}, 3)...)
	}
	return false
}

// write sends the response. A cut body announces its full length, sends
// half and drops the connection, as a broken proxy or network would.
func (c *call) write(w http.ResponseWriter, cut bool) {
	for k, vs := range c.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(c.body)))
	w.WriteHeader(c.status)
	if c.r.Method == http.MethodHead {
		return
	}
	if cut {
		_, _ = w.Write(c.body[:len(c.body)/2])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler)
	}
	_, _ = w.Write(c.body)
}
