package connector

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

// TestKafkaCheckSecureBroker drives the connector's TLS and SASL/SCRAM
// settings, from environment variables to the start-up check, against a
// broker that accepts only TLS and SCRAM. A wrong setting must become words
// within seconds rather than a silent hang: the fake broker answers a bad
// password by closing the connection, which the client retries.
func TestKafkaCheckSecureBroker(t *testing.T) {
	sec := kafkatest.SecureBroker(t)
	good := []string{
		"KAFKA_BROKERS=" + strings.Join(sec.Brokers, ","),
		"KAFKA_TLS=true", "KAFKA_TLS_CA_FILE=" + sec.CAFile,
		"KAFKA_SASL_MECHANISM=" + sec.Mechanism, "KAFKA_SASL_USERNAME=" + sec.User,
		"KAFKA_SASL_PASSWORD=" + sec.Password,
	}
	cases := []struct {
		name   string
		env    []string
		wantOK bool
	}{
		{"right settings", good, true},
		{"wrong password", replace(good, "KAFKA_SASL_PASSWORD=", "not-the-password"), false},
		{"no TLS", drop(good, "KAFKA_TLS"), false},
		{"no SASL", drop(good, "KAFKA_SASL_"), false},
		{"untrusted CA", drop(good, "KAFKA_TLS_CA_FILE="), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.LoadEnv(tc.env)
			if err != nil {
				t.Fatalf("loading config: %v", err)
			}
			kc, err := kafkaConfig(cfg.Kafka)
			if err != nil {
				t.Fatalf("building kafka config: %v", err)
			}
			cl, err := NewProducer(kc)
			if err != nil {
				t.Fatalf("NewProducer: %v", err)
			}
			defer cl.Close()
			start := time.Now()
			err = CheckKafka(context.Background(), cl, kc.Brokers, 3*time.Second)
			took := time.Since(start)
			if tc.wantOK {
				if err != nil {
					t.Fatalf("got %v, want the check to pass", err)
				}
				return
			}
			if err == nil {
				t.Fatal("got no error, want the check to fail")
			}
			if took > 6*time.Second {
				t.Errorf("failing took %s, want a few seconds", took)
			}
			msg := err.Error()
			t.Logf("after %s: %s", took.Round(time.Millisecond), msg)
			if !strings.Contains(msg, "check KAFKA_BROKERS, TLS and SASL settings") {
				t.Errorf("got %q, want words naming the broker, TLS and SASL settings", msg)
			}
			if strings.Contains(msg, sec.Password) {
				t.Errorf("error %q holds the SASL password", msg)
			}
		})
	}
}

// replace returns env with the value of the variable prefix set to v.
func replace(env []string, prefix, v string) []string {
	out := drop(env, prefix)
	return append(out, prefix+v)
}

// drop returns env without the variables starting with prefix.
func drop(env []string, prefix string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, prefix) {
			out = append(out, e)
		}
	}
	return out
}
