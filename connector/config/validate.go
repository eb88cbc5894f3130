package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxLookback is Okta's System Log retention: older events are gone
// (okta/API.md §8.4).
const maxLookback = 90 * 24 * time.Hour

// topicPattern is Kafka's topic name alphabet.
var topicPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// longestStream is the longest topic suffix; prefix plus suffix must stay
// within Kafka's 249-character topic name limit.
const longestStream = "app_assignments"

// problems gathers every configuration error, so one start-up reports them
// all rather than one per attempt.
type problems []error

// add records a problem with the variable it concerns.
func (p *problems) add(name, format string, args ...any) {
	*p = append(*p, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
}

// Validate checks every value and combination that can be checked without
// the network, and returns one error per problem (joined), each naming its
// variable. Load calls it; call it again after changing a Config in code.
func (c Config) Validate() error {
	var p problems
	c.Kafka.validate(&p)
	c.Topics.validate(&p)
	c.Registry.validate(&p)
	c.Checkpoints.validate(&p)
	c.validateTenantSource(&p)
	c.Schedules.validate(&p, func(v string) string { return v })
	c.Limits.validate(&p)
	c.Log.validate(&p)
	if c.AdminAddr != "" {
		checkHostPort(&p, "ADMIN_ADDR", c.AdminAddr, true)
	}
	return errors.Join(p...)
}

// CheckRunnable reports what the run and sync commands need beyond a valid
// Config: brokers to write to and a tenant to read.
func (c Config) CheckRunnable() error {
	var p problems
	if len(c.Kafka.Brokers) == 0 {
		p.add("KAFKA_BROKERS", "not set; give host:port of at least one broker")
	}
	if c.TenantsFile == "" && c.Okta.Domain == "" {
		p.add("OKTA_DOMAIN", "not set, and no TENANTS_FILE; set one of them")
	}
	return errors.Join(p...)
}

// validate checks broker addresses, TLS files and the SASL combination.
func (k Kafka) validate(p *problems) {
	for _, b := range k.Brokers {
		checkHostPort(p, "KAFKA_BROKERS", b, false)
	}
	if !k.TLS {
		files := []struct{ name, path string }{
			{"KAFKA_TLS_CA_FILE", k.TLSCAFile},
			{"KAFKA_TLS_CERT_FILE", k.TLSCertFile},
			{"KAFKA_TLS_KEY_FILE", k.TLSKeyFile},
		}
		for _, f := range files {
			if f.path != "" {
				p.add(f.name, "set while KAFKA_TLS is false; set KAFKA_TLS=true")
			}
		}
	}
	if (k.TLSCertFile == "") != (k.TLSKeyFile == "") {
		p.add("KAFKA_TLS_CERT_FILE", "and KAFKA_TLS_KEY_FILE must be set together")
	}
	checkFile(p, "KAFKA_TLS_CA_FILE", k.TLSCAFile)
	checkFile(p, "KAFKA_TLS_CERT_FILE", k.TLSCertFile)
	checkFile(p, "KAFKA_TLS_KEY_FILE", k.TLSKeyFile)
	switch k.SASLMechanism {
	case "":
		if k.SASLUsername != "" || k.SASLPassword.IsSet() {
			p.add("KAFKA_SASL_MECHANISM", "not set while a SASL user or password is")
		}
	case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
		if k.SASLUsername == "" {
			p.add("KAFKA_SASL_USERNAME", "not set; %s needs it", k.SASLMechanism)
		}
		if !k.SASLPassword.IsSet() {
			p.add("KAFKA_SASL_PASSWORD", "not set (nor _FILE); %s needs it", k.SASLMechanism)
		}
	default:
		p.add("KAFKA_SASL_MECHANISM", "%q, want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512",
			k.SASLMechanism)
	}
}

// validate checks the topic prefix and creation settings.
func (t Topics) validate(p *problems) {
	if !topicPattern.MatchString(t.Prefix) || len(t.Prefix)+len(longestStream) > 249 {
		p.add("TOPIC_PREFIX", "%q, want up to %d of A-Z a-z 0-9 . _ -",
			t.Prefix, 249-len(longestStream))
	}
	if t.Partitions < 1 {
		p.add("TOPIC_PARTITIONS", "%d, want at least 1", t.Partitions)
	}
	if t.ReplicationFactor < 1 && t.ReplicationFactor != -1 {
		p.add("TOPIC_REPLICATION_FACTOR", "%d, want -1 (broker default) or at least 1",
			t.ReplicationFactor)
	}
	if t.ActivityRetention <= 0 {
		p.add("ACTIVITY_RETENTION", "%v, want a positive duration", t.ActivityRetention)
	}
}

// validate checks the registry URL and its basic-auth pair.
func (r Registry) validate(p *problems) {
	if r.URL == "" {
		if r.Username != "" || r.Password.IsSet() {
			p.add("SCHEMA_REGISTRY_URL", "not set while a registry user or password is")
		}
		return
	}
	u, err := url.Parse(r.URL)
	switch {
	case strings.Contains(r.URL, "@"):
		// NOTE: checked before the URL is echoed, so a password typed into
		// the URL never reaches an error message.
		p.add("SCHEMA_REGISTRY_URL", "holds user info; use SCHEMA_REGISTRY_USERNAME")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		p.add("SCHEMA_REGISTRY_URL", "%q, want http(s)://host[:port][/path]", r.URL)
	case u.User != nil:
		p.add("SCHEMA_REGISTRY_URL", "holds user info; use SCHEMA_REGISTRY_USERNAME")
	}
	if (r.Username == "") != !r.Password.IsSet() {
		p.add("SCHEMA_REGISTRY_USERNAME", "and SCHEMA_REGISTRY_PASSWORD go together")
	}
}

// validate checks the store kind and what that kind needs.
func (c Checkpoints) validate(p *problems) {
	switch c.Store {
	case "file":
		if c.Dir == "" {
			p.add("CHECKPOINT_DIR", "empty")
		}
	case "kafka":
		if !topicPattern.MatchString(c.Topic) || len(c.Topic) > 249 {
			p.add("CHECKPOINT_TOPIC", "%q is not a valid topic name", c.Topic)
		}
	default:
		p.add("CHECKPOINT_STORE", "%q, want file or kafka", c.Store)
	}
	if c.Shards < 1 {
		p.add("CHECKPOINT_SHARDS", "%d, want at least 1", c.Shards)
	}
}

// validateTenantSource checks the single-tenant variables, or that they
// are left alone when a tenants file is used.
func (c Config) validateTenantSource(p *problems) {
	o := c.Okta
	if c.TenantsFile != "" {
		if o.Domain != "" || o.APIToken.IsSet() || o.ClientID != "" || o.TenantID != "" {
			p.add("TENANTS_FILE", "set together with OKTA_* tenant variables; use one or the other")
		}
		checkFile(p, "TENANTS_FILE", c.TenantsFile)
		return
	}
	if o.Domain == "" {
		if o.APIToken.IsSet() || o.ClientID != "" || o.TenantID != "" {
			p.add("OKTA_DOMAIN", "not set while other OKTA_* variables are")
		}
		return
	}
	base, err := BaseURL(o.Domain)
	if err != nil {
		p.add("OKTA_DOMAIN", "%v", err)
	}
	if o.TenantID != "" {
		if err := checkTenantID(o.TenantID); err != nil {
			p.add("TENANT_ID", "%v", err)
		}
	} else if base != nil {
		if err := checkTenantID(DefaultTenantID(base)); err != nil {
			p.add("TENANT_ID", "not set and the default fails: %v", err)
		}
	}
	if !c.withoutCredentials {
		o.validateCredentials(p)
	}
}

// validateCredentials wants exactly one of an API token or a service app.
func (o Okta) validateCredentials(p *problems) {
	switch {
	case o.APIToken.IsSet() && o.ClientID != "":
		p.add("OKTA_API_TOKEN", "set together with OKTA_CLIENT_ID; use one")
	case !o.APIToken.IsSet() && o.ClientID == "":
		p.add("OKTA_API_TOKEN", "not set (nor _FILE, nor OKTA_CLIENT_ID); Okta needs credentials")
	case o.ClientID != "" && o.PrivateKeyFile == "":
		p.add("OKTA_PRIVATE_KEY_FILE", "not set; OKTA_CLIENT_ID needs it")
	case o.ClientID == "" && (o.PrivateKeyFile != "" || o.KeyID != ""):
		p.add("OKTA_CLIENT_ID", "not set while OKTA_PRIVATE_KEY_FILE or _ID is")
	}
	checkFile(p, "OKTA_PRIVATE_KEY_FILE", o.PrivateKeyFile)
}

// validate checks each schedule; name turns a variable name into the name
// the user wrote (the variable itself, or a tenants file key).
func (s Schedules) validate(p *problems, name func(variable string) string) {
	for _, f := range s.fields() {
		if *f.value <= 0 {
			p.add(name(f.variable), "%v, want a positive duration", *f.value)
		}
	}
	if s.ActivityLookback > maxLookback {
		p.add(name("ACTIVITY_LOOKBACK"), "%v, want at most %v (Okta's System Log retention)",
			s.ActivityLookback, maxLookback)
	}
}

// validate checks the rate share and the concurrency caps.
func (l Limits) validate(p *problems) {
	if !(l.RateLimitShare > 0 && l.RateLimitShare <= 1) {
		p.add("RATE_LIMIT_SHARE", "%v, want 0 < x ≤ 1", l.RateLimitShare)
	}
	if l.MaxRequestsInFlight < 1 {
		p.add("MAX_REQUESTS_IN_FLIGHT", "%d, want at least 1", l.MaxRequestsInFlight)
	}
	if l.MaxConcurrentTenants < 1 {
		p.add("MAX_CONCURRENT_TENANTS", "%d, want at least 1", l.MaxConcurrentTenants)
	}
}

// validate checks the level and format names.
func (l Log) validate(p *problems) {
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, l.Level) {
		p.add("LOG_LEVEL", "%q, want debug, info, warn or error", l.Level)
	}
	if !slices.Contains([]string{"auto", "text", "json"}, l.Format) {
		p.add("LOG_FORMAT", "%q, want auto, text or json", l.Format)
	}
}

// checkHostPort wants host:port; emptyHost allows ":8080" (all interfaces).
func checkHostPort(p *problems, name, v string, emptyHost bool) {
	host, port, err := net.SplitHostPort(v)
	n, perr := strconv.Atoi(port)
	switch {
	case err != nil:
		p.add(name, "%q, want host:port", v)
	case host == "" && !emptyHost:
		p.add(name, "%q has no host", v)
	case perr != nil || n < 0 || n > 65535:
		p.add(name, "%q has an invalid port", v)
	}
}

// checkFile wants path, when set, to be a readable regular file.
func checkFile(p *problems, name, path string) {
	if path == "" {
		return
	}
	f, err := os.Open(path)
	if err != nil {
		p.add(name, "%v", err)
		return
	}
	defer func() { _ = f.Close() }()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		p.add(name, "%q is not a regular file", path)
	}
}
