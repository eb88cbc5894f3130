package main

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// options is everything the flags set.
type options struct {
	org        oktasim.OrgConfig
	server     oktasim.ServerConfig
	faults     oktasim.Faults
	orgs       int
	publicKey  string
	tokenFile  string
	deny       string
	linkStyle  string
	rateLimits string
	cpuProfile string
}

// parseFlags reads the command line (and OKTA_SIM_TOKEN) into options.
func parseFlags(args []string) (options, error) {
	var o options
	fs := newFlagSet(&o)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	return o, o.finish()
}

// newFlagSet declares every flag, bound to o.
func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("okta-sim", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: okta-sim [flags]\n\n"+
			"Serves simulated Okta orgs generated from a seed. The token may also come\n"+
			"from OKTA_SIM_TOKEN. The admin API lives under /_sim/ on each org's port\n"+
			"(listed below). \"okta-sim healthcheck --help\" describes the health probe.\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nAdmin API, on each org's port:\n%s", oktasim.AdminHelp())
	}
	c := &o.org
	fs.StringVar(&o.server.Addr, "addr", "127.0.0.1:8089", "listen address of the first org")
	fs.StringVar(&c.Token, "token", "", "SSWS token the orgs accept (never printed)")
	fs.StringVar(&o.tokenFile, "token-file", "", "read the SSWS token from this file")
	fs.Uint64Var(&c.Seed, "seed", 1, "generator seed; org i uses seed+i-1")
	fs.IntVar(&c.Users, "users", 200, "users per org")
	fs.IntVar(&c.Groups, "groups", 20, "OKTA_GROUPs per org besides Everyone and APP_GROUPs")
	fs.IntVar(&c.Apps, "apps", 10, "apps per org")
	fs.IntVar(&c.Events, "events", 1000, "generated System Log events per org")
	fs.DurationVar(&c.LookBack, "lookback", oktasim.DefaultLookBack,
		"span of generated events before start: the 7-day look-back less 10 minutes")
	fs.DurationVar(&c.Trickle, "trickle", 0,
		"generated events keep arriving for this long after start (live activity)")
	fs.IntVar(&o.orgs, "orgs", 1, "number of orgs, each on its own port unless --host-routing")
	fs.BoolVar(&o.server.HostRouting, "host-routing", false,
		"serve every org on --addr, chosen by Host (<subdomain>.… or the public URL host)")
	fs.StringVar(&c.PublicURL, "public-url", "", "base of Link URLs for the first org")
	fs.BoolVar(&o.server.TLS, "tls", false, "serve HTTPS (self-signed unless --tls-cert)")
	fs.StringVar(&o.server.CertFile, "tls-cert", "", "certificate PEM file")
	fs.StringVar(&o.server.KeyFile, "tls-key", "", "private key PEM file")
	fs.StringVar(&o.server.CAFile, "tls-ca-out", "", "write the generated certificate PEM here")
	fs.StringVar(&c.OAuth.ClientID, "oauth-client-id", "", "service app client id")
	fs.StringVar(&o.publicKey, "oauth-public-key", "",
		"PEM public key that verifies client assertions")
	fs.DurationVar(&c.OAuth.TokenLifetime, "oauth-token-lifetime", time.Hour,
		"lifetime of issued access tokens")
	fs.BoolVar(&c.OAuth.RequireDPoP, "oauth-require-dpop", false,
		"answer token requests with use_dpop_nonce")
	fs.StringVar(&o.rateLimits, "rate-limits", "on", "on, or off for benchmarks")
	fs.IntVar(&c.Limits.Users, "rate-users", 600, "list-users calls per window")
	fs.IntVar(&c.Limits.Groups, "rate-groups", 500, "groups calls per window")
	fs.IntVar(&c.Limits.Apps, "rate-apps", 100, "apps, app users and app groups calls per window")
	fs.IntVar(&c.Limits.Logs, "rate-logs", 120, "System Log calls per window")
	fs.IntVar(&c.Limits.Generic, "rate-generic", 1200, "other /api/v1 calls per window")
	fs.DurationVar(&c.Limits.Window, "rate-window", time.Minute, "rate-limit window")
	fs.IntVar(&c.Limits.Concurrency, "concurrency", 75, "requests in flight per org")
	fs.Float64Var(&o.faults.ServerErrors, "fault-5xx", 0, "share of requests answered 500")
	fs.Float64Var(&o.faults.RateLimited, "fault-429", 0, "share answered 429 (1: a storm)")
	fs.DurationVar(&o.faults.Latency, "fault-latency", 0, "delay added to every response")
	fs.Float64Var(&o.faults.Truncated, "fault-truncate", 0, "share of bodies cut off")
	fs.Float64Var(&o.faults.Malformed, "fault-malformed", 0, "share of bodies made invalid")
	fs.IntVar(&o.faults.RevokeAfter, "fault-revoke-after", 0,
		"revoke a token after this many requests (0: never)")
	fs.StringVar(&o.deny, "deny", "", "comma list of users,groups,apps,logs,org to answer 403")
	fs.StringVar(&o.linkStyle, "link-style", "mixed", "Link headers: mixed, separate or folded")
	fs.BoolVar(&c.Quirks.RejectOverLimit, "reject-over-limit", false,
		"answer 400 to a limit above the maximum instead of clamping")
	fs.BoolVar(&c.Quirks.ListInactiveApps, "list-inactive-apps", false,
		"list INACTIVE apps without includeNonDeleted")
	fs.BoolVar(&c.DisableAdmin, "no-admin", false, "turn the /_sim/ admin API off")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "",
		"write a CPU profile of the serving (after generation) to this file at exit")
	return fs
}

// finish resolves the flags that need files or parsing.
func (o *options) finish() error {
	if o.org.Token == "" {
		o.org.Token = os.Getenv("OKTA_SIM_TOKEN")
	}
	if o.tokenFile != "" {
		b, err := os.ReadFile(o.tokenFile)
		if err != nil {
			return fmt.Errorf("reading --token-file: %w", err)
		}
		o.org.Token = strings.TrimSpace(string(b))
	}
	if o.org.Token == "" && o.org.OAuth.ClientID == "" {
		return errors.New("--token (or OKTA_SIM_TOKEN) or --oauth-client-id is required")
	}
	if o.orgs < 1 {
		return errors.New("--orgs must be at least 1")
	}
	switch o.rateLimits {
	case "on":
	case "off":
		o.org.Limits.Off = true
	default:
		return fmt.Errorf("--rate-limits must be on or off, not %q", o.rateLimits)
	}
	styles := map[string]oktasim.LinkStyle{"mixed": oktasim.LinkMixed,
		"separate": oktasim.LinkSeparate, "folded": oktasim.LinkFolded}
	style, ok := styles[o.linkStyle]
	if !ok {
		return fmt.Errorf("--link-style must be mixed, separate or folded, not %q", o.linkStyle)
	}
	o.org.Quirks.LinkStyle = style
	if o.deny != "" {
		o.org.Deny = strings.Split(o.deny, ",")
	}
	if o.publicKey != "" {
		key, err := readPublicKey(o.publicKey)
		if err != nil {
			return err
		}
		o.org.OAuth.PublicKey = key
	}
	return nil
}

// orgConfig is org i's configuration: the shared one with its own seed
// and subdomain; only the first org takes --public-url.
func (o *options) orgConfig(i int) oktasim.OrgConfig {
	c := o.org
	c.Seed += uint64(i)
	c.Subdomain = fmt.Sprintf("sim%d", c.Seed)
	if i > 0 {
		c.PublicURL = ""
	}
	return c
}

func readPublicKey(path string) (crypto.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading --oauth-public-key: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("reading --oauth-public-key %q: no PEM block", path)
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parsing --oauth-public-key %q: %w", path, err)
	}
	return key, nil
}
