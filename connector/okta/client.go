package okta

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// userAgent names the connector to Okta's request logs.
const userAgent = "okta-connector"

// Client talks to one Okta org. It is safe for concurrent use.
type Client struct {
	base     *url.URL
	http     *http.Client
	auth     authorizer
	gov      *governor
	clock    Clock
	log      *slog.Logger
	attempts int
	retryFor time.Duration
}

// New validates cfg and returns a client. It makes no network call.
func New(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	base := *cfg.BaseURL
	base.Path, base.RawPath = "", ""
	log := cfg.Logger.With("component", "okta", "okta_domain", base.Host)
	c := &Client{
		base:     &base,
		http:     httpClient(cfg.HTTPClient),
		clock:    cfg.Clock,
		log:      log,
		attempts: cfg.MaxAttempts,
		retryFor: cfg.MaxRetryFor,
	}
	c.gov = &governor{
		clock:   cfg.Clock,
		share:   cfg.RateShare,
		maxWait: cfg.MaxRateWait,
		gate:    newGate(cfg.MaxInFlight),
		log:     log,
		obs:     cfg.Observer,
		jitter:  randomJitter,
		buckets: map[string]*bucket{},
	}
	c.auth = newAuthorizer(c, cfg.Credentials)
	return c, nil
}

// request is one API call before it is sent (and perhaps sent again).
type request struct {
	method string
	url    *url.URL
	form   url.Values // a form body (the token endpoint); nil for GET
	// omitCredentials asks Okta to leave users' credentials out, which
	// speeds up big user listings (API.md §4.1).
	omitCredentials bool
	noAuth          bool // the token endpoint authenticates by its form
}

// tries is the retry state of one request.
type tries struct {
	start    time.Time
	failures int       // 5xx and transport failures
	rate     rateWaits // 429s and rate-limit waits, against patience
	reminted bool      // a fresh OAuth token was minted after a 401
	retryFor string    // X-Okta-Request-Id of the 429 being retried
}

// exchange sends req, repeating it as classify allows, and hands the body
// of a 2xx response to read. It returns that response's header.
func (c *Client) exchange(ctx context.Context, req request,
	read func(io.Reader) error) (http.Header, error) {
	st := tries{start: c.clock.Now(), rate: newRateWaits(ctx, req.url.Path)}
	for {
		hdr, err := c.attempt(ctx, req, read, &st)
		if err == nil {
			return hdr, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		wait, err := c.retryAfter(req, &st, err)
		if err != nil {
			return nil, err
		}
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// retryAfter applies classify's verdict to the retry budget: the pause
// before the next attempt, or the error to give up with.
func (c *Client) retryAfter(req request, st *tries, err error) (time.Duration, error) {
	v, reason := classify(err)
	var wait time.Duration
	switch v {
	case stop:
		return 0, err
	case remint:
		if req.noAuth || st.reminted || !c.auth.renew() {
			return 0, err
		}
		st.reminted = true
	case rateLimited:
		// The governor makes the wait, within the request's patience.
		if err := st.rate.answered(err); err != nil {
			return 0, err
		}
	case backoff:
		if st.failures++; st.failures >= c.attempts {
			return 0, fmt.Errorf("giving up after %d attempts: %w", st.failures, err)
		}
		wait = c.backoffFor(st.failures)
	}
	if spent := c.clock.Now().Add(wait).Sub(st.start); spent > c.retryFor {
		return 0, fmt.Errorf("giving up after %s of retries: %w", c.retryFor, err)
	}
	c.log.Debug("retrying request", "path", req.url.Path, "reason", reason,
		"attempt", st.failures+st.rate.answers+1, "backoff", wait)
	return wait, nil
}

// attempt makes one round trip through the governor.
func (c *Client) attempt(ctx context.Context, req request, read func(io.Reader) error,
	st *tries) (http.Header, error) {
	// The credential comes first: minting an OAuth token is a request of its
	// own and must not wait for a slot this request holds.
	var authz string
	if !req.noAuth {
		var err error
		if authz, err = c.auth.authorization(ctx); err != nil {
			return nil, &finalError{err}
		}
	}
	rt := routeOf(req.url.Path)
	t, err := c.gov.acquire(ctx, rt.bucket, !req.noAuth, &st.rate)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, req, authz, st)
	if err != nil {
		c.gov.release(t, nil)
		return nil, &transportError{err}
	}
	defer drainClose(resp.Body)
	c.gov.release(t, resp)
	c.log.Debug("okta request", "method", req.method, "path", req.url.Path,
		"status", resp.StatusCode, "bucket", rt.bucket,
		"remaining", resp.Header.Get("X-Rate-Limit-Remaining"))
	if resp.StatusCode == http.StatusTooManyRequests {
		st.retryFor = resp.Header.Get("X-Okta-Request-Id")
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.newError(req, rt, resp)
	}
	return resp.Header, readBody(resp.Body, maxPageBytes, req.url.Path, read)
}

// readBody runs read over the capped body, sorting its failure: transport
// (retried), over the cap, or malformed.
func readBody(body io.Reader, limit int64, path string, read func(io.Reader) error) error {
	br := &bodyReader{r: body, limit: limit}
	err := read(br)
	switch {
	case err == nil:
		return nil
	case br.readErr != nil:
		return &transportError{fmt.Errorf("reading %s: %w", path, br.readErr)}
	case br.tooLarge:
		return fmt.Errorf("reading %s: %w of %d bytes", path, ErrBodyTooLarge, limit)
	}
	return fmt.Errorf("decoding %s: %w: %w", path, ErrMalformedPage, err)
}

// send builds and sends the HTTP request. The retry headers are Okta's
// own convention for a request repeated after a 429 (API.md §9.3).
func (c *Client) send(ctx context.Context, req request, authz string,
	st *tries) (*http.Response, error) {
	var body io.Reader
	if req.form != nil {
		body = strings.NewReader(req.form.Encode())
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, req.url.String(), body)
	if err != nil {
		return nil, fmt.Errorf("building request: %w", err)
	}
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", userAgent)
	switch {
	case req.form != nil:
		hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case req.omitCredentials:
		hr.Header.Set("Content-Type",
			"application/json; okta-response=omitCredentials,omitCredentialsLinks")
	}
	if authz != "" {
		hr.Header.Set("Authorization", authz)
	}
	if st.retryFor != "" {
		hr.Header.Set("X-Okta-Retry-For", st.retryFor)
		hr.Header.Set("X-Okta-Retry-Count", strconv.Itoa(st.rate.answers))
	}
	return c.http.Do(hr)
}

// drainClose reads a little of what is left so the connection can be
// reused, then closes the body.
func drainClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxErrorBytes))
	_ = body.Close()
}

// errorBody is Okta's error object (API.md §2) and, on the token endpoint,
// OAuth's (RFC 6749 §5.2). Every field is optional.
type errorBody struct {
	Code    string `json:"errorCode"`
	Summary string `json:"errorSummary"`
	ID      string `json:"errorId"`
	Causes  []struct {
		Summary string `json:"errorSummary"`
	} `json:"errorCauses"`
	OAuthError  string `json:"error"`
	Description string `json:"error_description"`
}

// newError turns a non-2xx response into an *Error.
func (c *Client) newError(req request, rt route, resp *http.Response) *Error {
	e := &Error{
		Status:    resp.StatusCode,
		Path:      req.url.Path,
		Resource:  rt.resource,
		RequestID: resp.Header.Get("X-Okta-Request-Id"),
		oauth:     c.auth.oauth(),
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes))
	var b errorBody
	if json.Unmarshal(raw, &b) == nil {
		e.Code, e.Summary, e.ID = b.Code, b.Summary, b.ID
		if e.Code == "" {
			e.Code, e.Summary = b.OAuthError, b.Description
		}
		for _, cause := range b.Causes {
			e.Causes = append(e.Causes, cause.Summary)
		}
	}
	ch := challengeParams(resp.Header.Get("WWW-Authenticate"))
	e.Challenge, e.Scope = ch["error"], ch["scope"]
	return e
}
