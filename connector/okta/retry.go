package okta

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
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
	if errors.As(err, &fe) {
		return stop, "already retried by the exchange that failed"
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
