// Package config reads the connector's configuration from the environment
// (caarlos0/env) and its tenants from a YAML tenants file or from the
// single-tenant OKTA_* variables, and validates both before any network
// call. Secrets are read from files or variables at load time and kept in
// types that never print.
//
// Known limits:
//   - An empty value of a variable with a default means the default (so
//     TOPIC_PREFIX cannot be set to empty).
//   - Encrypted PEM private keys are not supported; decrypt them first.
//   - The tenants file is read whole on each call of Tenants; reloading on
//     change is the caller's job.
//   - A token_env variable is read from the environment Load saw: a
//     tenant failed for an unset one (Tenant.Err) needs a restart.
package config

import (
	"os"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is everything the connector reads from its environment. Load fills
// it; pass it down by value. Defaults sit next to the fields.
type Config struct {
	Kafka       Kafka
	Topics      Topics
	Registry    Registry
	Checkpoints Checkpoints
	Okta        Okta
	// TenantsFile (TENANTS_FILE) is a YAML list of tenants; when set, the
	// OKTA_* single-tenant variables must not be.
	TenantsFile string `env:"TENANTS_FILE"`
	Schedules   Schedules
	Limits      Limits
	Log         Log
	// AdminAddr (ADMIN_ADDR) is the host:port of /metrics, /healthz,
	// /readyz and /status; empty turns the admin endpoint off.
	AdminAddr string `env:"ADMIN_ADDR"`

	// lookupEnv reads the variables a tenants file names in token_env. A
	// function rather than a copy of the environment, so that printing a
	// Config never prints the environment's secrets.
	lookupEnv func(string) (string, bool)
	// withoutCredentials is set by LoadEnvWithoutCredentials: the Okta
	// credentials are neither read nor required, and Tenants leaves them
	// out.
	withoutCredentials bool
}

// Kafka says how to reach and authenticate to the brokers.
type Kafka struct {
	// Brokers (KAFKA_BROKERS) is a comma list of host:port seed brokers.
	Brokers []string `env:"KAFKA_BROKERS"`
	// TLS (KAFKA_TLS) turns on TLS to the brokers.
	TLS bool `env:"KAFKA_TLS" envDefault:"false"`
	// TLSCAFile (KAFKA_TLS_CA_FILE) is a PEM bundle of CAs to trust
	// instead of the system's.
	TLSCAFile string `env:"KAFKA_TLS_CA_FILE"`
	// TLSCertFile and TLSKeyFile (KAFKA_TLS_CERT_FILE, KAFKA_TLS_KEY_FILE)
	// are a client certificate for mutual TLS; both or neither.
	TLSCertFile string `env:"KAFKA_TLS_CERT_FILE"`
	TLSKeyFile  string `env:"KAFKA_TLS_KEY_FILE"`
	// SASLMechanism (KAFKA_SASL_MECHANISM) is PLAIN, SCRAM-SHA-256,
	// SCRAM-SHA-512 or empty for none.
	SASLMechanism string `env:"KAFKA_SASL_MECHANISM"`
	// SASLUsername (KAFKA_SASL_USERNAME) is the SASL user.
	SASLUsername string `env:"KAFKA_SASL_USERNAME"`
	// SASLPassword (KAFKA_SASL_PASSWORD, or read from the file named by
	// KAFKA_SASL_PASSWORD_FILE) is the SASL password.
	SASLPassword     Secret `env:"KAFKA_SASL_PASSWORD"`
	SASLPasswordFile string `env:"KAFKA_SASL_PASSWORD_FILE"`
}

// Topics says how the connector names and creates its topics.
type Topics struct {
	// Prefix (TOPIC_PREFIX) starts every topic name.
	Prefix string `env:"TOPIC_PREFIX" envDefault:"okta."`
	// Partitions (TOPIC_PARTITIONS) is used when creating a topic.
	Partitions int32 `env:"TOPIC_PARTITIONS" envDefault:"12"`
	// ReplicationFactor (TOPIC_REPLICATION_FACTOR) is used when creating a
	// topic; -1 takes the broker's default.
	ReplicationFactor int16 `env:"TOPIC_REPLICATION_FACTOR" envDefault:"-1"`
	// ActivityRetention (ACTIVITY_RETENTION) is the retention of the
	// activity topic, the only one that is not compacted.
	ActivityRetention time.Duration `env:"ACTIVITY_RETENTION" envDefault:"168h"`
}

// Registry says where the schema registry is; without a URL, values use
// Avro single-object encoding.
type Registry struct {
	// URL (SCHEMA_REGISTRY_URL) is the registry's base URL.
	URL string `env:"SCHEMA_REGISTRY_URL"`
	// Username (SCHEMA_REGISTRY_USERNAME) is for HTTP basic auth.
	Username string `env:"SCHEMA_REGISTRY_USERNAME"`
	// Password (SCHEMA_REGISTRY_PASSWORD, or read from the file named by
	// SCHEMA_REGISTRY_PASSWORD_FILE) is for HTTP basic auth.
	Password     Secret `env:"SCHEMA_REGISTRY_PASSWORD"`
	PasswordFile string `env:"SCHEMA_REGISTRY_PASSWORD_FILE"`
}

// Checkpoints says where the connector keeps its place.
type Checkpoints struct {
	// Store (CHECKPOINT_STORE) is "file" (one instance) or "kafka"
	// (transactional, shared by several instances).
	Store string `env:"CHECKPOINT_STORE" envDefault:"file"`
	// Dir (CHECKPOINT_DIR) is the file store's directory.
	Dir string `env:"CHECKPOINT_DIR" envDefault:"./checkpoints"`
	// Topic (CHECKPOINT_TOPIC) is the Kafka store's compacted topic.
	Topic string `env:"CHECKPOINT_TOPIC" envDefault:"okta-connector.checkpoints"`
	// Shards (CHECKPOINT_SHARDS) is how many shards the Kafka store hashes
	// tenants onto; changing it moves tenants between transactional ids.
	Shards int `env:"CHECKPOINT_SHARDS" envDefault:"16"`
}

// Okta is the single tenant given by environment, used when TENANTS_FILE
// is not set.
type Okta struct {
	// Domain (OKTA_DOMAIN) is a host name such as acme.okta.com or a base
	// URL; http:// only for loopback hosts.
	Domain string `env:"OKTA_DOMAIN"`
	// TenantID (TENANT_ID) defaults to the Okta host name, with its port
	// when not 443.
	TenantID string `env:"TENANT_ID"`
	// APIToken (OKTA_API_TOKEN, or read from the file named by
	// OKTA_API_TOKEN_FILE) is an SSWS API token.
	APIToken     Secret `env:"OKTA_API_TOKEN"`
	APITokenFile string `env:"OKTA_API_TOKEN_FILE"`
	// ClientID (OKTA_CLIENT_ID) is a service app's client id, used with
	// PrivateKeyFile instead of an API token.
	ClientID string `env:"OKTA_CLIENT_ID"`
	// PrivateKeyFile (OKTA_PRIVATE_KEY_FILE) is the service app's PEM
	// private key, RSA or EC.
	PrivateKeyFile string `env:"OKTA_PRIVATE_KEY_FILE"`
	// KeyID (OKTA_PRIVATE_KEY_ID) is the optional kid of that key.
	KeyID string `env:"OKTA_PRIVATE_KEY_ID"`
	// Scopes (OKTA_SCOPES) is the comma list of OAuth scopes a service
	// app requests; empty means okta.DefaultScopes (the five read
	// scopes of the streams; Load applies it).
	Scopes []string `env:"OKTA_SCOPES"`
}

// Schedules are the poll intervals and the System Log look-back. A tenants
// file overrides them per tenant under the same names in lower case.
type Schedules struct {
	// ActivityPoll (ACTIVITY_POLL_INTERVAL) is how often the System Log
	// is polled.
	ActivityPoll time.Duration `env:"ACTIVITY_POLL_INTERVAL" envDefault:"30s"`
	// DirectoryPoll (DIRECTORY_POLL_INTERVAL) is how often users and
	// groups are synced incrementally.
	DirectoryPoll time.Duration `env:"DIRECTORY_POLL_INTERVAL" envDefault:"5m"`
	// AppsPoll (APPS_POLL_INTERVAL) is how often apps are listed.
	AppsPoll time.Duration `env:"APPS_POLL_INTERVAL" envDefault:"15m"`
	// OrgPoll (ORG_POLL_INTERVAL) is how often the org is read.
	OrgPoll time.Duration `env:"ORG_POLL_INTERVAL" envDefault:"1h"`
	// Reconcile (RECONCILE_INTERVAL) is how often everything is re-listed.
	Reconcile time.Duration `env:"RECONCILE_INTERVAL" envDefault:"24h"`
	// ActivityLookback (ACTIVITY_LOOKBACK) is how far back the first
	// System Log read starts; at most Okta's 90-day retention.
	ActivityLookback time.Duration `env:"ACTIVITY_LOOKBACK" envDefault:"168h"`
}

// Limits bound the load the connector puts on Okta and on itself.
type Limits struct {
	// RateLimitShare (RATE_LIMIT_SHARE) is the largest share (0 < x ≤ 1)
	// of any Okta rate-limit bucket one tenant's client uses.
	RateLimitShare float64 `env:"RATE_LIMIT_SHARE" envDefault:"0.4"`
	// MaxRequestsInFlight (MAX_REQUESTS_IN_FLIGHT) caps concurrent Okta
	// requests per tenant.
	MaxRequestsInFlight int `env:"MAX_REQUESTS_IN_FLIGHT" envDefault:"4"`
	// MaxConcurrentTenants (MAX_CONCURRENT_TENANTS) caps tenants syncing
	// at once.
	MaxConcurrentTenants int `env:"MAX_CONCURRENT_TENANTS" envDefault:"8"`
}

// Log configures logging.
type Log struct {
	// Level (LOG_LEVEL) is debug, info, warn or error.
	Level string `env:"LOG_LEVEL" envDefault:"info"`
	// Format (LOG_FORMAT) is auto (text on a terminal, JSON otherwise),
	// text or json.
	Format string `env:"LOG_FORMAT" envDefault:"auto"`
}

// Load reads the configuration from the process environment, reads the
// secrets that files hold and validates the result. It makes no network
// call.
func Load() (Config, error) {
	return LoadEnv(os.Environ())
}

// Variables returns the name of every environment variable Config reads, in
// declaration order, for documentation and for checking deployment files.
func Variables() []string {
	params, err := env.GetFieldParams(&Config{})
	if err != nil {
		// NOTE: only a malformed struct tag above gets here; a unit test
		// calls Variables, so it cannot ship.
		panic("BUG: reading config tags: " + err.Error())
	}
	names := make([]string, 0, len(params))
	for _, p := range params {
		names = append(names, p.Key)
	}
	return names
}
