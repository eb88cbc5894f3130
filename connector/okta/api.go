package okta

// CONTRACT STUB — the client helper replaces this file's bodies with the real
// implementation, keeping every exported signature (or extending it).

import (
	"context"
	"crypto"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Token is an SSWS API token. It never prints: String, GoString, Format and
// LogValue redact it.
type Token struct{ secret string }

// NewToken wraps a secret.
func NewToken(secret string) Token { return Token{secret: secret} }

// Credentials says how to authenticate: an SSWS token, or an OAuth 2.0
// service app (client id plus private key) with the scopes to request.
type Credentials struct {
	Token      Token
	ClientID   string
	PrivateKey crypto.Signer // RSA or EC
	KeyID      string        // optional kid header
	Scopes     []string
}

// Clock is the time source of the rate-limit governor and retries.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends; it returns ctx.Err() when ctx ended.
	Sleep(ctx context.Context, d time.Duration) error
}

// Config configures a Client for one tenant.
type Config struct {
	BaseURL     *url.URL // https://acme.okta.com, or http://127.0.0.1:port (loopback only)
	Credentials Credentials
	HTTPClient  *http.Client // nil: a default with timeouts and no redirects carrying auth
	RateShare   float64      // the largest share of any bucket this client uses; default 0.5
	MaxInFlight int          // cap on concurrent requests; default 4
	MaxAttempts int          // per request, for 5xx/timeouts/resets; default 5
	MaxRetryFor time.Duration
	Clock       Clock // nil: the real clock
	Logger      *slog.Logger
}

// Client talks to one Okta org. It is safe for concurrent use.
type Client struct{}

// New validates cfg and returns a client. It makes no network call.
func New(cfg Config) (*Client, error) { panic("unimplemented") }

// UserQuery selects users. Zero value: every user of every status.
type UserQuery struct {
	UpdatedSince time.Time // when set: search=lastUpdated ge "<ts>" and status pr
	Resume       string    // a Cursor from an earlier Pager: continue there
}

// GroupQuery selects groups. Zero value: every group.
type GroupQuery struct {
	UpdatedSince time.Time // lastUpdated gt OR lastMembershipUpdated gt
	Resume       string
}

// Pager walks a paginated listing one page (one request) at a time.
// Not safe for concurrent use.
type Pager[T any] struct{}

// Next fetches the next page. It returns io.EOF after the last page.
func (p *Pager[T]) Next(ctx context.Context) ([]T, error) { panic("unimplemented") }

// Cursor is the absolute URL of the page Next would fetch, "" when the
// listing is complete; store it to resume a listing later (Query.Resume).
func (p *Pager[T]) Cursor() string { panic("unimplemented") }

func (c *Client) Users(q UserQuery) *Pager[User]                       { panic("unimplemented") }
func (c *Client) Groups(q GroupQuery) *Pager[Group]                    { panic("unimplemented") }
func (c *Client) GroupMembers(groupID, resume string) *Pager[User]     { panic("unimplemented") }
func (c *Client) Apps(resume string) *Pager[App]                       { panic("unimplemented") }
func (c *Client) AppUsers(appID, resume string) *Pager[AppUser]        { panic("unimplemented") }
func (c *Client) User(ctx context.Context, id string) (User, error)    { panic("unimplemented") }
func (c *Client) Group(ctx context.Context, id string) (Group, error)  { panic("unimplemented") }
func (c *Client) App(ctx context.Context, id string) (App, error)      { panic("unimplemented") }
func (c *Client) Org(ctx context.Context) (Org, error)                 { panic("unimplemented") }
func (c *Client) Domains(ctx context.Context) ([]Domain, error)        { panic("unimplemented") }
func (c *Client) WellKnown(ctx context.Context) (WellKnownOrg, error)  { panic("unimplemented") }

// LogQuery starts a System Log poll: from Since, or from a stored cursor.
type LogQuery struct {
	Since  time.Time
	Resume string // the last `next` link, followed verbatim
}

// LogPoller reads the System Log in polling mode.
type LogPoller struct{}

func (c *Client) Logs(q LogQuery) *LogPoller { panic("unimplemented") }

// Next makes one request. caughtUp reports a page shorter than the limit:
// stop and poll again later from Cursor.
func (p *LogPoller) Next(ctx context.Context) (events []LogEvent, caughtUp bool, err error) {
	panic("unimplemented")
}

// Cursor is the `next` link to store and resume from.
func (p *LogPoller) Cursor() string { panic("unimplemented") }

// Error is Okta's error body plus the HTTP status and the request path
// (never the query's secrets, never the token).
type Error struct {
	Status       int
	Code         string // errorCode, e.g. E0000011
	Summary      string
	ID           string
	Causes       []string
	Path         string
	Resource     string // users, groups, apps, the System Log, the org
}

func (e *Error) Error() string { panic("unimplemented") }

// Advice returns the words a customer can act on (401, 403, 404 on the org).
func (e *Error) Advice() string { panic("unimplemented") }
