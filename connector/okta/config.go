package okta

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for the zero fields of Config.
const (
	DefaultRateShare   = 0.5
	DefaultMaxInFlight = 4
	DefaultMaxAttempts = 5
	DefaultMaxRetryFor = 10 * time.Minute
	DefaultMaxRateWait = 15 * time.Minute
	DefaultHTTPTimeout = 60 * time.Second
)

// Config configures a Client for one tenant. Every field but BaseURL and
// Credentials has a default, chosen when the field is zero.
type Config struct {
	BaseURL     *url.URL // https://acme.okta.com, or http://127.0.0.1:port (loopback only)
	Credentials Credentials
	HTTPClient  *http.Client // nil: a default with timeouts; redirects are never followed
	RateShare   float64      // the largest share of any bucket this client uses; default 0.5
	MaxInFlight int          // cap on concurrent requests; default 4
	MaxAttempts int          // per request, for 5xx/timeouts/resets; default 5
	MaxRetryFor time.Duration
	// MaxRateWait is the longest rate-limit wait accepted; a longer one is an
	// error rather than a hang. Default 15 minutes.
	MaxRateWait time.Duration
	Clock       Clock // nil: the real clock
	Logger      *slog.Logger
	// Observer, when set, hears of rate-limit waits and budgets, for
	// metrics; nil observes nothing.
	Observer Observer
}

// Observer hears what only the rate-limit governor knows. Its methods may
// be called with the governor's lock held, so they must be quick and must
// not call back into the Client.
type Observer interface {
	// RateLimitWait reports a wait before a request to bucket.
	RateLimitWait(bucket string, d time.Duration)
	// RateLimitBudget reports the calls left in bucket's current window.
	RateLimitBudget(bucket string, remaining int)
}

// nopObserver observes nothing.
type nopObserver struct{}

func (nopObserver) RateLimitWait(string, time.Duration) {}
func (nopObserver) RateLimitBudget(string, int)         {}

// errConfig prefixes every configuration problem so that callers can tell
// a bad config from a failing org.
var errConfig = errors.New("okta: invalid config")

// withDefaults returns cfg with its zero fields filled in.
func (cfg Config) withDefaults() Config {
	if cfg.RateShare == 0 {
		cfg.RateShare = DefaultRateShare
	}
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.MaxRetryFor == 0 {
		cfg.MaxRetryFor = DefaultMaxRetryFor
	}
	if cfg.MaxRateWait == 0 {
		cfg.MaxRateWait = DefaultMaxRateWait
	}
	if cfg.Clock == nil {
		cfg.Clock = realClock{}
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Credentials.isOAuth() && len(cfg.Credentials.Scopes) == 0 {
		cfg.Credentials.Scopes = DefaultScopes()
	}
	return cfg
}

// validate checks cfg before any network I/O, naming the field at fault.
func (cfg Config) validate() error {
	if err := checkBaseURL(cfg.BaseURL); err != nil {
		return fmt.Errorf("%w: BaseURL: %w", errConfig, err)
	}
	if err := checkCredentials(cfg.Credentials); err != nil {
		return fmt.Errorf("%w: Credentials: %w", errConfig, err)
	}
	switch {
	case cfg.RateShare <= 0 || cfg.RateShare > 1:
		return fmt.Errorf("%w: RateShare %v is outside (0, 1]", errConfig, cfg.RateShare)
	case cfg.MaxInFlight < 1:
		return fmt.Errorf("%w: MaxInFlight %d is below 1", errConfig, cfg.MaxInFlight)
	case cfg.MaxAttempts < 1:
		return fmt.Errorf("%w: MaxAttempts %d is below 1", errConfig, cfg.MaxAttempts)
	case cfg.MaxRetryFor < 0 || cfg.MaxRateWait < 0:
		return fmt.Errorf("%w: MaxRetryFor and MaxRateWait must not be negative", errConfig)
	}
	return nil
}

// checkBaseURL accepts https://host[:port], and plain http only for a
// loopback host: a token sent in clear text over a network is a leak.
func checkBaseURL(u *url.URL) error {
	switch {
	case u == nil:
		return errors.New("missing")
	case u.Host == "":
		return fmt.Errorf("%q has no host", u.Redacted())
	case u.User != nil:
		return errors.New("must not carry a user name or password")
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return fmt.Errorf("%q must be the org's root, without path or query", u.Redacted())
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return fmt.Errorf("%q: plain http is accepted only for loopback hosts", u.Host)
	}
	return fmt.Errorf("%q: scheme %q is not https", u.Host, u.Scheme)
}

// isLoopback reports whether host is localhost, 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkCredentials wants exactly one way to authenticate, complete.
func checkCredentials(c Credentials) error {
	hasToken := !c.Token.IsZero()
	switch {
	case hasToken && c.isOAuth():
		return errors.New("set either Token or ClientID, not both")
	case hasToken:
		return nil
	case !c.isOAuth():
		return errors.New("set Token (SSWS) or ClientID with PrivateKey (OAuth)")
	case c.PrivateKey == nil:
		return fmt.Errorf("client %q has no PrivateKey", c.ClientID)
	}
	switch k := c.PrivateKey.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return fmt.Errorf("RSA key of %d bits: Okta wants at least 2048", k.N.BitLen())
		}
		return nil
	case *ecdsa.PrivateKey:
		_, err := ecdsaMethod(k)
		return err
	}
	return fmt.Errorf("private key type %T: want *rsa.PrivateKey or *ecdsa.PrivateKey",
		c.PrivateKey)
}
