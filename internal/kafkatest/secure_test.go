package kafkatest_test

import (
	"context"
	"crypto/tls"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

// TestSecureBroker proves the broker really requires what it advertises:
// the right TLS and SCRAM settings reach it, and each wrong one fails
// within a deadline instead of hanging.
func TestSecureBroker(t *testing.T) {
	s := kafkatest.SecureBroker(t)
	pem, err := os.ReadFile(s.CAFile)
	if err != nil || !strings.Contains(string(pem), "CERTIFICATE") {
		t.Fatalf("CA file %q: got err %v and %d bytes, want a PEM certificate",
			s.CAFile, err, len(pem))
	}
	if strings.Contains(s.String(), s.Password) {
		t.Errorf("String() shows the password")
	}
	right := scram.Auth{User: s.User, Pass: s.Password}.AsSha256Mechanism()
	wrong := scram.Auth{User: s.User, Pass: s.Password + "x"}.AsSha256Mechanism()
	seeds := kgo.SeedBrokers(s.Brokers...)
	tlsOpt := kgo.DialTLSConfig(s.TLSConfig())
	tests := []struct {
		name   string
		opts   []kgo.Opt
		wantOK bool
	}{
		{"client opts", s.ClientOpts(), true},
		{"right settings", []kgo.Opt{seeds, tlsOpt, kgo.SASL(right)}, true},
		{"wrong password", []kgo.Opt{seeds, tlsOpt, kgo.SASL(wrong)}, false},
		{"no sasl", []kgo.Opt{seeds, tlsOpt}, false},
		{"no tls", []kgo.Opt{seeds, kgo.SASL(right)}, false},
		{"untrusted ca", []kgo.Opt{seeds, kgo.DialTLSConfig(&tls.Config{
			MinVersion: tls.VersionTLS12,
		}), kgo.SASL(right)}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cl := kafkatest.NewClient(t, nil, append(tc.opts, kgo.RequestRetries(0))...)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			err := cl.Ping(ctx)
			if gotOK := err == nil; gotOK != tc.wantOK {
				t.Errorf("ping: got err %v, want success %v", err, tc.wantOK)
			}
		})
	}
}
