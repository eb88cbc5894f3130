package okta

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"
)

// Backoff between attempts after a 5xx or a transport failure.
const (
	retryBase      = 500 * time.Millisecond
	retryCap       = 30 * time.Second
	maxRateRetries = 10 // 429s in a row on one request before giving up
)

// DefaultRateLimitPatience is the most one request waits, in total, for
// Okta's rate limits before it fails with a *RateLimitedError, unless its
// context says otherwise (WithRateLimitPatience). It is three of Okta's
// one-minute windows (API.md §9.1): enough to ride out another
// integration's burst, short enough that a bucket kept spent fails the
// cycle with a reason instead of stalling it; the next cycle tries again.
const DefaultRateLimitPatience = 3 * time.Minute

// rateAdvice ends every RateLimitedError: what an operator can do.
const rateAdvice = "another integration may be using this org's rate limit; " +
	"lower RATE_LIMIT_SHARE or retry later"

// patienceKey is the context key of WithRateLimitPatience.
type patienceKey struct{}

// WithRateLimitPatience returns a context under which each request waits
// at most d in total for Okta's rate limits: pacing to the client's share
// and the waits after 429s alike. Like a deadline, it belongs to the
// caller: a command a person waits on passes a short d, the daemon keeps
// the default. A wait that would take a request past d is not begun; the
// request fails at once with a *RateLimitedError. d ≤ 0 fails at the first
// wait.
func WithRateLimitPatience(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, patienceKey{}, max(d, 0))
}

// patienceOf is the patience ctx carries, or the default.
func patienceOf(ctx context.Context) time.Duration {
	if d, ok := ctx.Value(patienceKey{}).(time.Duration); ok {
		return d
	}
	return DefaultRateLimitPatience
}

// rateWaits is one request's account of its rate-limit waits: the
// client records the 429s, the governor the time waited.
type rateWaits struct {
	path, bucket string
	patience     time.Duration
	waited       time.Duration
	answers      int    // 429s Okta answered this request
	last         *Error // the last of them
}

// newRateWaits opens the account of a request to path.
func newRateWaits(ctx context.Context, path string) rateWaits {
	return rateWaits{path: path, bucket: routeOf(path).bucket, patience: patienceOf(ctx)}
}

// allows reports whether a further wait of d stays within patience.
func (w *rateWaits) allows(d time.Duration) bool {
	return w == nil || w.waited+d <= w.patience
}

// spent adds d to the time waited.
func (w *rateWaits) spent(d time.Duration) {
	if w != nil {
		w.waited += d
	}
}

// answered counts a 429 (err holds its *Error) and gives up after
// maxRateRetries in a row; the governor makes the wait itself.
func (w *rateWaits) answered(err error) error {
	w.answers++
	errors.As(err, &w.last)
	if w.answers >= maxRateRetries {
		return w.giveUp(0)
	}
	return nil
}

// giveUp is the error of a request held too long; next is the wait that
// would have passed its patience, zero when 429s came too often.
func (w *rateWaits) giveUp(next time.Duration) *RateLimitedError {
	return &RateLimitedError{Path: w.path, Bucket: w.bucket, Waited: w.waited,
		Next: next, Patience: w.patience, Answers: w.answers, Last: w.last}
}

// RateLimitedError is a request given up because Okta's rate limit held
// it back: the next wait would have passed its patience (Next is set), or
// Okta answered 429 too many times in a row. It says for how long, on
// which bucket and path, and what to do. It matches ErrRateLimited and
// unwraps to the last 429's *Error when Okta answered one.
type RateLimitedError struct {
	Path   string        // the request's path, without its query
	Bucket string        // the rate-limit bucket (API.md §9.1)
	Waited time.Duration // waited for the rate limit, in total
	// Next is the wait refused for passing Patience; zero when the 429s
	// in a row ran out instead.
	Next     time.Duration
	Patience time.Duration
	Answers  int    // 429s Okta answered the request
	Last     *Error // the last of them; nil when none
}

// Error says how long Okta's rate limit held the request and what to do.
func (e *RateLimitedError) Error() string {
	held := fmt.Sprintf("%s: Okta's %s rate limit held the request for %s (%s)",
		e.Path, e.Bucket, e.Waited.Round(time.Second), answers429(e.Answers))
	if e.Waited < time.Second {
		held = fmt.Sprintf("%s: Okta's %s rate limit is spent (%s)", e.Path, e.Bucket,
			answers429(e.Answers))
	}
	if e.Next == 0 {
		return held + ", too many in a row: " + rateAdvice
	}
	return fmt.Sprintf("%s; the next try is %s away, past the %s a request may wait: %s",
		held, e.Next.Round(time.Second), e.Patience, rateAdvice)
}

// answers429 says how often Okta answered 429.
func answers429(n int) string {
	switch n {
	case 0:
		return "no 429 yet"
	case 1:
		return "Okta answered 429 once"
	}
	return fmt.Sprintf("Okta answered 429 %d times", n)
}

// Is matches ErrRateLimited, whether or not Okta answered 429.
func (e *RateLimitedError) Is(target error) bool { return target == ErrRateLimited }

// Unwrap returns the last 429's *Error, or nil.
func (e *RateLimitedError) Unwrap() error {
	if e.Last == nil {
		return nil
	}
	return e.Last
}

// verdict is what to do after a failed attempt.
type verdict int

const (
	stop        verdict = iota // give up: the same request gets the same answer
	backoff                    // wait a doubling, jittered pause, then repeat
	rateLimited                // repeat once the governor's 429 wait is over
	remint                     // mint a new OAuth token, then repeat once
)

// transportError is a request that got no complete response: a dial, TLS,
// timeout or read failure.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// finalError is a failure already retried by an inner exchange (minting
// a token): repeating the outer request would multiply the retry budget.
type finalError struct{ err error }

func (e *finalError) Error() string { return e.err.Error() }
func (e *finalError) Unwrap() error { return e.err }

// classify decides, in this one place, whether a failed attempt is worth
// repeating, and says why.
func classify(err error) (verdict, string) {
	var fe *finalError
	var re *RateLimitedError
	switch {
	case errors.As(err, &fe):
		return stop, "already retried by the exchange that failed"
	case errors.As(err, &re):
		return stop, "rate limited past the caller's patience"
	}
	var oe *Error
	if errors.As(err, &oe) {
		switch {
		case oe.Status == 429:
			return rateLimited, "rate limited: repeat after the window resets"
		case oe.Status == 401:
			return remint, "unauthorized: an OAuth token may have expired early"
		case oe.Status == 408:
			return backoff, "request timeout: the server gave up waiting, not the answer"
		case oe.Status >= 500:
			return backoff, "server error: Okta's 5xx are mostly transient " +
				"(maintenance, query timeouts, API.md §2)"
		}
		return stop, "client error: the same request gets the same answer"
	}
	var te *transportError
	if !errors.As(err, &te) {
		return stop, "not an HTTP or transport failure"
	}
	return classifyTransport(te.err)
}

// classifyTransport sorts failures that left no complete response.
func classifyTransport(err error) (verdict, string) {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return stop, "cancelled by the caller"
	case errors.Is(err, errRedirect):
		return stop, "redirects are refused: they could carry the credential away"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return stop, "unknown host: the Okta domain is wrong"
	case errors.As(err, &certErr), errors.As(err, &unknownCA):
		return stop, "TLS certificate not trusted: retrying cannot fix it"
	case errors.As(err, &netErr) && netErr.Timeout():
		return backoff, "timeout: a slow moment is usually transient"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return backoff, "connection reset or cut mid-response: transient"
	case errors.Is(err, syscall.ECONNREFUSED):
		return backoff, "connection refused: the server may be restarting"
	case errors.As(err, &netErr):
		return backoff, "network error: usually transient"
	}
	return stop, "unrecognised failure: not known to be transient"
}

// backoffFor is the pause before the attempt after the n-th failure:
// doubling from retryBase, capped at retryCap, half of it random.
func (c *Client) backoffFor(n int) time.Duration {
	d := min(retryBase<<min(n-1, 16), retryCap)
	return d/2 + c.gov.jitter(d/2)
}
