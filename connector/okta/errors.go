package okta

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels a caller branches on with errors.Is. An *Error matches the one
// of its HTTP status class; the others come from this client's own checks.
var (
	// ErrUnauthorized matches a 401: the credential is not accepted.
	ErrUnauthorized = errors.New("okta: unauthorized")
	// ErrForbidden matches a 403: the credential lacks a permission or scope.
	ErrForbidden = errors.New("okta: forbidden")
	// ErrNotFound matches a 404: an unknown id, or a wrong domain on the org.
	ErrNotFound = errors.New("okta: not found")
	// ErrBadRequest matches a 400 from the management API.
	ErrBadRequest = errors.New("okta: bad request")
	// ErrRateLimited matches a 429 still answered when the retry budget ran out.
	ErrRateLimited = errors.New("okta: rate limited")
	// ErrUnavailable matches a 5xx still answered when the retry budget ran out.
	ErrUnavailable = errors.New("okta: unavailable")
	// ErrDPoPRequired matches a token endpoint that demands DPoP proofs.
	ErrDPoPRequired = errors.New("okta: the service app requires DPoP")

	// ErrForeignLink is a next link or stored cursor outside the tenant's
	// scheme and host; it is refused so that the token never leaves.
	ErrForeignLink = errors.New("okta: link outside the tenant")
	// ErrCursorRepeated is a directory listing whose next link repeats a page
	// already read: following it would loop forever.
	ErrCursorRepeated = errors.New("okta: listing cursor repeated")
	// ErrMalformedPage is a response body that is not the JSON expected.
	ErrMalformedPage = errors.New("okta: malformed response body")
	// ErrBodyTooLarge is a response body over the per-page size cap.
	ErrBodyTooLarge = errors.New("okta: response body over the size cap")
	// ErrRateWaitTooLong is a rate-limit wait longer than Config.MaxRateWait.
	ErrRateWaitTooLong = errors.New("okta: rate-limit wait over the cap")
)

// Error is Okta's error body plus the HTTP status and the request path
// (never the query, never the token). Match it with errors.As, or its status
// class with errors.Is and the Err sentinels.
type Error struct {
	Status    int
	Code      string // errorCode, e.g. E0000011; OAuth's error on the token endpoint
	Summary   string
	ID        string // errorId, for Okta support
	Causes    []string
	Path      string
	Resource  string // users, groups, apps, the System Log, the org
	RequestID string // X-Okta-Request-Id
	// Scope and Challenge come from a WWW-Authenticate header, which is all
	// an insufficient_scope 403 may carry (API.md §1.4, §10 item 13).
	Scope     string
	Challenge string
	oauth     bool // the credential was an OAuth access token
}

// Error says what failed, where, and what to do about it.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d", e.Path, e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Summary != "" {
		fmt.Fprintf(&b, " %q", e.Summary)
	}
	if e.ID != "" {
		fmt.Fprintf(&b, " (error id %s)", e.ID)
	}
	if a := e.Advice(); a != "" {
		fmt.Fprintf(&b, ": %s", a)
	}
	return b.String()
}

// Is matches the sentinel of e's status class, so that callers can write
// errors.Is(err, okta.ErrForbidden) without unwrapping.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == 401
	case ErrForbidden:
		return e.Status == 403
	case ErrNotFound:
		return e.Status == 404
	case ErrBadRequest:
		return e.Status == 400
	case ErrRateLimited:
		return e.Status == 429
	case ErrUnavailable:
		return e.Status >= 500
	case ErrDPoPRequired:
		return e.Code == "use_dpop_nonce" || e.Code == "invalid_dpop_proof"
	}
	return false
}

// IsAuth reports whether err means the credential must be fixed by a human:
// rejected, lacking a permission or scope, or needing DPoP.
func IsAuth(err error) bool {
	return errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden) ||
		errors.Is(err, ErrDPoPRequired)
}

// IsNotFound reports whether err is Okta's 404: the object is gone, or on
// the org the domain is wrong.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
