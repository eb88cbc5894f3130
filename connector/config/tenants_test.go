package config

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The Okta token and other secrets these tests plant, to look for in output.
const (
	testToken    = "00abcdefghijklmnopqrstuvwxyz0123456789ABCD"
	testKafkaPW  = "kafka-secret-pw"
	testRegistry = "registry-secret-pw"
)

// rsaKey is generated once: 2048-bit generation takes a noticeable moment.
var rsaKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// pemFile writes key as a PEM file of the given block type.
func pemFile(t *testing.T, blockType string, der []byte) string {
	t.Helper()
	return writeFile(t, "key.pem", string(pem.EncodeToMemory(&pem.Block{
		Type: blockType, Bytes: der,
	})))
}

// pkcs8File writes key as a PKCS#8 PEM file.
func pkcs8File(t *testing.T, key any) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemFile(t, "PRIVATE KEY", der)
}

func TestEnvTenant(t *testing.T) {
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalECPrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	rsaFile := pemFile(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey()))
	ecFile := pemFile(t, "EC PRIVATE KEY", ecDER)
	tests := []struct {
		name     string
		env      []string
		id       string
		clientID string
	}{
		{"token, default id", []string{"OKTA_DOMAIN=acme.okta.com",
			"OKTA_API_TOKEN=" + testToken}, "acme.okta.com", ""},
		{"loopback port in id", []string{"OKTA_DOMAIN=http://127.0.0.1:8081",
			"OKTA_API_TOKEN=" + testToken}, "127.0.0.1:8081", ""},
		{"explicit id", []string{"OKTA_DOMAIN=acme.okta.com", "TENANT_ID=acme",
			"OKTA_API_TOKEN=" + testToken}, "acme", ""},
		{"service app rsa", []string{"OKTA_DOMAIN=acme.okta.com", "OKTA_CLIENT_ID=0oa1",
			"OKTA_PRIVATE_KEY_FILE=" + rsaFile}, "acme.okta.com", "0oa1"},
		{"service app ec", []string{"OKTA_DOMAIN=acme.okta.com", "OKTA_CLIENT_ID=0oa2",
			"OKTA_PRIVATE_KEY_FILE=" + ecFile, "OKTA_PRIVATE_KEY_ID=kid1"},
			"acme.okta.com", "0oa2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadEnv(tt.env)
			if err != nil {
				t.Fatalf("LoadEnv: %v", err)
			}
			ts, err := cfg.Tenants()
			if err != nil {
				t.Fatalf("Tenants: %v", err)
			}
			if len(ts) != 1 {
				t.Fatalf("got %d tenants, want 1", len(ts))
			}
			got := ts[0]
			if got.ID != tt.id || got.Credentials.ClientID != tt.clientID {
				t.Errorf("got id %q client %q, want %q %q", got.ID,
					got.Credentials.ClientID, tt.id, tt.clientID)
			}
			if tt.clientID != "" && got.Credentials.PrivateKey == nil {
				t.Errorf("service app: got no private key")
			}
			if tt.clientID == "" && got.Credentials.Token.IsZero() {
				t.Errorf("token tenant: got an empty token")
			}
			if diff := cmp.Diff(AllStreams(), got.Streams); diff != "" {
				t.Errorf("streams mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrivateKeyRefused(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"small rsa", pkcs8File(t, small), "1024 bits"},
		{"ed25519", pkcs8File(t, edKey), "want RSA or EC"},
		{"not pem", writeFile(t, "k", "hello"), "no PEM block"},
		{"certificate", pemFile(t, "CERTIFICATE", []byte{1}), "want a private key"},
		{"encrypted", pemFile(t, "ENCRYPTED PRIVATE KEY", []byte{1}), "encrypted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readPrivateKey(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) ||
				!strings.Contains(err.Error(), tt.path) {
				t.Errorf("got %v, want an error naming %q and saying %q", err, tt.path, tt.want)
			}
		})
	}
}

func TestTenantsFile(t *testing.T) {
	tokenFile := writeFile(t, "token", testToken+"\n")
	keyFile := pkcs8File(t, rsaKey())
	file := writeFile(t, "tenants.yaml", fmt.Sprintf(`
- id: acme
  domain: acme.okta.com
  token_file: %s
- domain: http://127.0.0.1:9001
  token_env: GLOBEX_TOKEN
  streams: [activity, employees]
  schedules:
    activity_poll_interval: 10s
    activity_lookback: 24h
- id: initech
  domain: initech.oktapreview.com
  client_id: 0oa9
  private_key_file: %s
  key_id: k1
  scopes: [okta.users.read]
`, tokenFile, keyFile))
	cfg, err := LoadEnv([]string{"TENANTS_FILE=" + file, "GLOBEX_TOKEN=" + testToken,
		"DIRECTORY_POLL_INTERVAL=7m"})
	if err != nil {
		t.Fatalf("LoadEnv: %v", err)
	}
	ts, err := cfg.Tenants()
	if err != nil {
		t.Fatalf("Tenants: %v", err)
	}
	type view struct {
		ID, URL, ClientID, KeyID string
		Streams, Scopes          []string
		Schedules                Schedules
		HasToken                 bool
	}
	var got []view
	for _, tn := range ts {
		got = append(got, view{
			ID: tn.ID, URL: tn.BaseURL.String(), ClientID: tn.Credentials.ClientID,
			KeyID: tn.Credentials.KeyID, Streams: tn.Streams, Scopes: tn.Credentials.Scopes,
			Schedules: tn.Schedules, HasToken: !tn.Credentials.Token.IsZero(),
		})
	}
	base := cfg.Schedules
	globex := base
	globex.ActivityPoll, globex.ActivityLookback = 10*time.Second, 24*time.Hour
	want := []view{
		{ID: "acme", URL: "https://acme.okta.com", Streams: AllStreams(),
			Schedules: base, HasToken: true},
		{ID: "127.0.0.1:9001", URL: "http://127.0.0.1:9001",
			Streams: []string{"employees", "activity"}, Schedules: globex, HasToken: true},
		{ID: "initech", URL: "https://initech.oktapreview.com", ClientID: "0oa9",
			KeyID: "k1", Streams: AllStreams(), Scopes: []string{"okta.users.read"},
			Schedules: base},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tenants mismatch (-want +got):\n%s", diff)
	}
	if base.DirectoryPoll != 7*time.Minute {
		t.Errorf("environment schedule: got %v, want 7m", base.DirectoryPoll)
	}
}

func TestTenantsFileErrors(t *testing.T) {
	tokenFile := writeFile(t, "token", testToken)
	ref := "  token_file: " + tokenFile + "\n"
	tests := []struct {
		name, yaml string
		line       int
		want       string
	}{
		{"literal token", "- domain: a.okta.com\n  token: " + testToken + "\n", 2, `"token"`},
		{"api_token", "- domain: a.okta.com\n  api_token: abc\n", 2, "literal secret"},
		{"password", "- domain: a.okta.com\n" + ref + "  password: hunter2\n", 3,
			"literal secret"},
		{"private key pem", "- domain: a.okta.com\n  client_id: 0oa1\n" +
			"  key_id: |\n    -----BEGIN PRIVATE KEY-----\n    MIIB\n", 3, "looks like"},
		{"token-shaped value", "- domain: a.okta.com\n  client_id: " + testToken + "\n", 2,
			"looks like"},
		{"unknown field", "- domain: a.okta.com\n" + ref + "  colour: blue\n", 3,
			`unknown field "colour"`},
		{"duplicate id", "- id: a\n  domain: a.okta.com\n" + ref +
			"- id: a\n  domain: b.okta.com\n" + ref, 4, "already used on line 1"},
		{"duplicate default id", "- domain: a.okta.com\n" + ref +
			"- domain: A.okta.com\n" + ref, 3, `id "a.okta.com" already used`},
		{"missing domain", "- id: a\n" + ref, 1, "domain: missing"},
		{"http domain", "- domain: http://a.okta.com\n" + ref, 1, "loopback"},
		{"bad id", "- id: Big Co\n  domain: a.okta.com\n" + ref, 1, "invalid tenant id"},
		{"no credentials", "- domain: a.okta.com\n", 1, "exactly one"},
		{"two credentials", "- domain: a.okta.com\n" + ref + "  token_env: X\n", 1,
			"exactly one"},
		{"token_env unset", "- domain: a.okta.com\n  token_env: NOPE_UNSET\n", 2,
			"NOPE_UNSET is not set"},
		{"key without client", "- domain: a.okta.com\n" + ref + "  key_id: k\n", 3,
			"only for a service app"},
		{"client without key", "- domain: a.okta.com\n  client_id: 0oa1\n", 1,
			"private_key_file: missing"},
		{"unknown stream", "- domain: a.okta.com\n" + ref + "  streams: [users]\n", 3,
			`unknown stream "users"`},
		{"empty streams", "- domain: a.okta.com\n" + ref + "  streams: []\n", 3, "empty"},
		{"unknown schedule", "- domain: a.okta.com\n" + ref +
			"  schedules:\n    poll: 1m\n", 4, `unknown schedule "poll"`},
		{"bad duration", "- domain: a.okta.com\n" + ref +
			"  schedules:\n    org_poll_interval: hourly\n", 4, "not a duration"},
		{"days unit", "- domain: a.okta.com\n" + ref +
			"  schedules:\n    activity_lookback: 100d\n", 4, "not a duration"},
		{"lookback too long", "- domain: a.okta.com\n" + ref +
			"  schedules:\n    activity_lookback: 2400h\n", 4, "activity_lookback"},
		{"token pasted as token_env", "- domain: a.okta.com\n  token_env: 00abcSECRETx-9\n",
			2, "not a variable name"},
		{"token pasted as token_file", "- domain: a.okta.com\n  token_file: 00abcSECRETx9\n",
			2, "not a file path"},
		{"not a list", "domain: a.okta.com\n", 1, "list of tenants"},
		{"bad yaml", "- domain: [a\n", 0, "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeFile(t, "tenants.yaml", tt.yaml)
			cfg, err := LoadEnv([]string{"TENANTS_FILE=" + file})
			if err != nil {
				t.Fatalf("LoadEnv: %v", err)
			}
			_, err = cfg.Tenants()
			if err == nil {
				t.Fatalf("Tenants: got nil error, want %q", tt.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, file) || !strings.Contains(msg, tt.want) {
				t.Errorf("got %q, want it to name %q and say %q", msg, file, tt.want)
			}
			if line := fmt.Sprintf("line %d:", tt.line); tt.line > 0 &&
				!strings.Contains(msg, line) {
				t.Errorf("got %q, want %q", msg, line)
			}
			if strings.Contains(msg, testToken) || strings.Contains(msg, "hunter2") ||
				strings.Contains(msg, "SECRET") {
				t.Errorf("error reveals a secret: %q", msg)
			}
		})
	}
}

// TestSecretsNeverPrint prints a loaded Config and its tenants every way a
// maintainer might, and looks for the planted secrets.
func TestSecretsNeverPrint(t *testing.T) {
	cfg, err := LoadEnv([]string{
		"OKTA_DOMAIN=acme.okta.com", "OKTA_API_TOKEN=" + testToken,
		"KAFKA_SASL_MECHANISM=PLAIN", "KAFKA_SASL_USERNAME=u",
		"KAFKA_SASL_PASSWORD=" + testKafkaPW, "SCHEMA_REGISTRY_URL=http://127.0.0.1:8081",
		"SCHEMA_REGISTRY_USERNAME=u", "SCHEMA_REGISTRY_PASSWORD=" + testRegistry,
	})
	if err != nil {
		t.Fatalf("LoadEnv: %v", err)
	}
	ts, err := cfg.Tenants()
	if err != nil {
		t.Fatalf("Tenants: %v", err)
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	logger.Info("loaded", "config", cfg, "tenant", ts[0], "tenants", ts)
	logger.Info("loaded", slog.Any("okta", cfg.Okta), slog.Any("secret", cfg.Okta.APIToken))
	js, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v":         fmt.Sprintf("%v", cfg),
		"%+v":        fmt.Sprintf("%+v", cfg),
		"%#v":        fmt.Sprintf("%#v", cfg),
		"%x":         fmt.Sprintf("%x", cfg.Okta.APIToken),
		"%s":         fmt.Sprintf("%s", cfg.Kafka.SASLPassword),
		"%q":         fmt.Sprintf("%q", cfg.Registry.Password),
		"tenant %+v": fmt.Sprintf("%+v", ts),
		"tenant %#v": fmt.Sprintf("%#v", ts[0]),
		"slog":       logs.String(),
		"json":       string(js),
	}
	for how, out := range outputs {
		for _, secret := range []string{testToken, testKafkaPW, testRegistry} {
			if strings.Contains(out, secret) {
				t.Errorf("%s output reveals a secret: %s", how, out)
			}
		}
	}
	if !strings.Contains(outputs["%+v"], redacted) {
		t.Errorf("%%+v output: got %s, want %q in place of secrets", outputs["%+v"], redacted)
	}
	if cfg.Okta.APIToken.Reveal() != testToken {
		t.Errorf("Reveal: the token read is not the one set")
	}
}
