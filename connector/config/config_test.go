package config

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// writeFile writes content to a new file in the test's directory and
// returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDefaults(t *testing.T) {
	got, err := LoadEnv(nil)
	if err != nil {
		t.Fatalf("LoadEnv(nil): %v", err)
	}
	want := Config{
		Topics: Topics{
			Prefix: "okta.", Partitions: 12, ReplicationFactor: -1,
			ActivityRetention: 168 * time.Hour,
		},
		Checkpoints: Checkpoints{
			Store: "file", Dir: "./checkpoints", Topic: "okta-connector.checkpoints",
			Shards: 16,
		},
		Okta: Okta{Scopes: []string{
			"okta.users.read", "okta.groups.read", "okta.apps.read",
			"okta.logs.read", "okta.orgs.read",
		}},
		Schedules: Schedules{
			ActivityPoll: 30 * time.Second, DirectoryPoll: 5 * time.Minute,
			AppsPoll: 15 * time.Minute, OrgPoll: time.Hour, Reconcile: 24 * time.Hour,
			ActivityLookback: 7 * 24 * time.Hour,
		},
		Limits: Limits{RateLimitShare: 0.4, MaxRequestsInFlight: 4, MaxConcurrentTenants: 8},
		Log:    Log{Level: "info", Format: "auto"},
	}
	opts := cmpopts.IgnoreUnexported(Config{}, Secret{})
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("defaults mismatch (-want +got):\n%s", diff)
	}
	if err := got.CheckRunnable(); err == nil ||
		!strings.Contains(err.Error(), "KAFKA_BROKERS") {
		t.Errorf("CheckRunnable on defaults: got %v, want KAFKA_BROKERS named", err)
	}
}

func TestValues(t *testing.T) {
	got, err := LoadEnv([]string{
		"KAFKA_BROKERS= b1:9092 , b2:9093,",
		"KAFKA_SASL_MECHANISM=scram-sha-512",
		"KAFKA_SASL_USERNAME=connector",
		"KAFKA_SASL_PASSWORD=kafka-pass-1",
		"LOG_LEVEL=DEBUG",
		"OKTA_SCOPES=okta.users.read, okta.logs.read",
		"ACTIVITY_LOOKBACK=2160h",
	})
	if err != nil {
		t.Fatalf("LoadEnv: %v", err)
	}
	if diff := cmp.Diff([]string{"b1:9092", "b2:9093"}, got.Kafka.Brokers); diff != "" {
		t.Errorf("brokers mismatch (-want +got):\n%s", diff)
	}
	if got.Kafka.SASLMechanism != "SCRAM-SHA-512" || got.Log.Level != "debug" {
		t.Errorf("got mechanism %q, level %q; want SCRAM-SHA-512, debug",
			got.Kafka.SASLMechanism, got.Log.Level)
	}
	if got.Kafka.SASLPassword.Reveal() != "kafka-pass-1" {
		t.Errorf("SASL password not read from KAFKA_SASL_PASSWORD")
	}
	want := []string{"okta.users.read", "okta.logs.read"}
	if diff := cmp.Diff(want, got.Okta.Scopes); diff != "" {
		t.Errorf("scopes mismatch (-want +got):\n%s", diff)
	}
}

func TestBadValues(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	tests := []struct {
		name string
		env  []string
		want string // the variable the error must name
	}{
		{"bool", []string{"KAFKA_TLS=maybe"}, "KAFKA_TLS"},
		{"int", []string{"TOPIC_PARTITIONS=twelve"}, "TOPIC_PARTITIONS"},
		{"zero partitions", []string{"TOPIC_PARTITIONS=0"}, "TOPIC_PARTITIONS"},
		{"replication", []string{"TOPIC_REPLICATION_FACTOR=0"}, "TOPIC_REPLICATION_FACTOR"},
		{"duration", []string{"ACTIVITY_POLL_INTERVAL=30"}, "ACTIVITY_POLL_INTERVAL"},
		{"negative duration", []string{"RECONCILE_INTERVAL=-1h"}, "RECONCILE_INTERVAL"},
		{"lookback past retention", []string{"ACTIVITY_LOOKBACK=2161h"}, "ACTIVITY_LOOKBACK"},
		{"retention", []string{"ACTIVITY_RETENTION=0s"}, "ACTIVITY_RETENTION"},
		{"broker without port", []string{"KAFKA_BROKERS=b1"}, "KAFKA_BROKERS"},
		{"broker bad port", []string{"KAFKA_BROKERS=b1:99999"}, "KAFKA_BROKERS"},
		{"tls file without tls", []string{"KAFKA_TLS_CA_FILE=/x"}, "KAFKA_TLS_CA_FILE"},
		{"cert without key", []string{"KAFKA_TLS=true", "KAFKA_TLS_CERT_FILE=" + missing},
			"KAFKA_TLS_CERT_FILE"},
		{"sasl mechanism", []string{"KAFKA_SASL_MECHANISM=GSSAPI"}, "KAFKA_SASL_MECHANISM"},
		{"sasl without password", []string{"KAFKA_SASL_MECHANISM=PLAIN",
			"KAFKA_SASL_USERNAME=u"}, "KAFKA_SASL_PASSWORD"},
		{"sasl password twice", []string{"KAFKA_SASL_PASSWORD=p",
			"KAFKA_SASL_PASSWORD_FILE=" + missing}, "KAFKA_SASL_PASSWORD"},
		{"sasl password file missing", []string{"KAFKA_SASL_MECHANISM=PLAIN",
			"KAFKA_SASL_USERNAME=u", "KAFKA_SASL_PASSWORD_FILE=" + missing},
			"KAFKA_SASL_PASSWORD_FILE"},
		{"topic prefix", []string{"TOPIC_PREFIX=okta/"}, "TOPIC_PREFIX"},
		{"registry url", []string{"SCHEMA_REGISTRY_URL=registry:8081"}, "SCHEMA_REGISTRY_URL"},
		{"registry user alone", []string{"SCHEMA_REGISTRY_URL=http://r:8081",
			"SCHEMA_REGISTRY_USERNAME=u"}, "SCHEMA_REGISTRY_USERNAME"},
		{"checkpoint store", []string{"CHECKPOINT_STORE=redis"}, "CHECKPOINT_STORE"},
		{"checkpoint topic", []string{"CHECKPOINT_STORE=kafka", "CHECKPOINT_TOPIC=a b"},
			"CHECKPOINT_TOPIC"},
		{"domain http", []string{"OKTA_DOMAIN=http://acme.okta.com", "OKTA_API_TOKEN=x"},
			"OKTA_DOMAIN"},
		{"domain path", []string{"OKTA_DOMAIN=https://acme.okta.com/api", "OKTA_API_TOKEN=x"},
			"OKTA_DOMAIN"},
		{"tenant id", []string{"OKTA_DOMAIN=acme.okta.com", "OKTA_API_TOKEN=x",
			"TENANT_ID=Acme Corp"}, "TENANT_ID"},
		{"no credentials", []string{"OKTA_DOMAIN=acme.okta.com"}, "OKTA_API_TOKEN"},
		{"token and client", []string{"OKTA_DOMAIN=acme.okta.com", "OKTA_API_TOKEN=x",
			"OKTA_CLIENT_ID=c"}, "OKTA_API_TOKEN"},
		{"client without key", []string{"OKTA_DOMAIN=acme.okta.com", "OKTA_CLIENT_ID=c"},
			"OKTA_PRIVATE_KEY_FILE"},
		{"key file missing", []string{"OKTA_DOMAIN=acme.okta.com", "OKTA_CLIENT_ID=c",
			"OKTA_PRIVATE_KEY_FILE=" + missing}, "OKTA_PRIVATE_KEY_FILE"},
		{"token without domain", []string{"OKTA_API_TOKEN=x"}, "OKTA_DOMAIN"},
		{"tenants file and domain", []string{"TENANTS_FILE=" + missing,
			"OKTA_DOMAIN=acme.okta.com"}, "TENANTS_FILE"},
		{"rate share zero", []string{"RATE_LIMIT_SHARE=0"}, "RATE_LIMIT_SHARE"},
		{"rate share above one", []string{"RATE_LIMIT_SHARE=1.5"}, "RATE_LIMIT_SHARE"},
		{"rate share text", []string{"RATE_LIMIT_SHARE=half"}, "RATE_LIMIT_SHARE"},
		{"in flight", []string{"MAX_REQUESTS_IN_FLIGHT=0"}, "MAX_REQUESTS_IN_FLIGHT"},
		{"tenants", []string{"MAX_CONCURRENT_TENANTS=-2"}, "MAX_CONCURRENT_TENANTS"},
		{"log level", []string{"LOG_LEVEL=trace"}, "LOG_LEVEL"},
		{"log format", []string{"LOG_FORMAT=xml"}, "LOG_FORMAT"},
		{"admin addr", []string{"ADMIN_ADDR=9090"}, "ADMIN_ADDR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadEnv(tt.env)
			if err == nil {
				t.Fatalf("LoadEnv(%q): got nil error, want one naming %s", tt.env, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadEnv(%q): got %q, want it to name %s", tt.env, err, tt.want)
			}
		})
	}
}

func TestAllProblemsReported(t *testing.T) {
	_, err := LoadEnv([]string{"LOG_LEVEL=loud", "TOPIC_PARTITIONS=0", "RATE_LIMIT_SHARE=2"})
	if err == nil {
		t.Fatal("got nil error, want three problems")
	}
	for _, name := range []string{"LOG_LEVEL", "TOPIC_PARTITIONS", "RATE_LIMIT_SHARE"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("got %q, want it to name %s", err, name)
		}
	}
}

func TestSecretFile(t *testing.T) {
	path := writeFile(t, "token", "  00secret-from-file-0000000000000000000000\n")
	cfg, err := LoadEnv([]string{"OKTA_DOMAIN=acme.okta.com", "OKTA_API_TOKEN_FILE=" + path})
	if err != nil {
		t.Fatalf("LoadEnv: %v", err)
	}
	want := "00secret-from-file-0000000000000000000000"
	if got := cfg.Okta.APIToken.Reveal(); got != want {
		t.Errorf("token from file: got %d bytes, want the trimmed %d bytes", len(got), len(want))
	}
	empty := writeFile(t, "empty", "\n")
	_, err = LoadEnv([]string{"OKTA_DOMAIN=acme.okta.com", "OKTA_API_TOKEN_FILE=" + empty})
	if err == nil || !strings.Contains(err.Error(), "OKTA_API_TOKEN_FILE") {
		t.Errorf("empty token file: got %v, want an error naming OKTA_API_TOKEN_FILE", err)
	}
}

func TestVariables(t *testing.T) {
	got := Variables()
	want := []string{
		"KAFKA_BROKERS", "KAFKA_TLS", "KAFKA_TLS_CA_FILE", "KAFKA_TLS_CERT_FILE",
		"KAFKA_TLS_KEY_FILE", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME",
		"KAFKA_SASL_PASSWORD", "KAFKA_SASL_PASSWORD_FILE", "TOPIC_PREFIX",
		"TOPIC_PARTITIONS", "TOPIC_REPLICATION_FACTOR", "ACTIVITY_RETENTION",
		"SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD",
		"SCHEMA_REGISTRY_PASSWORD_FILE", "CHECKPOINT_STORE", "CHECKPOINT_DIR",
		"CHECKPOINT_TOPIC", "CHECKPOINT_SHARDS", "OKTA_DOMAIN", "TENANT_ID",
		"OKTA_API_TOKEN", "OKTA_API_TOKEN_FILE", "OKTA_CLIENT_ID", "OKTA_PRIVATE_KEY_FILE",
		"OKTA_PRIVATE_KEY_ID", "OKTA_SCOPES", "TENANTS_FILE", "ACTIVITY_POLL_INTERVAL",
		"DIRECTORY_POLL_INTERVAL", "APPS_POLL_INTERVAL", "ORG_POLL_INTERVAL",
		"RECONCILE_INTERVAL", "ACTIVITY_LOOKBACK", "RATE_LIMIT_SHARE",
		"MAX_REQUESTS_IN_FLIGHT", "MAX_CONCURRENT_TENANTS", "LOG_LEVEL", "LOG_FORMAT",
		"ADMIN_ADDR",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Variables mismatch (-want +got):\n%s", diff)
	}
}

// TestFieldNamesUnique guards nameParseErrors, which finds a variable by
// its Go field name across the nested structs.
func TestFieldNamesUnique(t *testing.T) {
	var names []string
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		for f := range rt.Fields() {
			if f.Tag.Get("env") != "" {
				names = append(names, f.Name)
			} else if f.Type.Kind() == reflect.Struct && f.IsExported() {
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeFor[Config]())
	sorted := slices.Sorted(slices.Values(names))
	if dup := slices.Compact(slices.Clone(sorted)); len(dup) != len(sorted) {
		t.Errorf("Config field names repeat across nested structs: %v", sorted)
	}
	if got, want := len(names), len(Variables()); got != want {
		t.Errorf("tagged fields: got %d, want %d (one per variable)", got, want)
	}
}

func TestParseErrorsInPlainWords(t *testing.T) {
	tests := []struct {
		env, want string
	}{
		{"TOPIC_PARTITIONS=abc", `TOPIC_PARTITIONS: "abc" is not a whole number`},
		{"TOPIC_PARTITIONS=99999999999999999999", `TOPIC_PARTITIONS: "99999999999999999999"` +
			` is out of range`},
		{"KAFKA_TLS=maybe", `KAFKA_TLS: "maybe" is not true or false`},
		{"RATE_LIMIT_SHARE=half", `RATE_LIMIT_SHARE: "half" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			_, err := LoadEnv([]string{tt.env})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "strconv.") {
				t.Errorf("error %q names Go's strconv", err)
			}
		})
	}
}
