package kafkatest

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/okta-connector/okta-connector/internal/kafkatest/fakeserver"
)

// Secure describes a broker that speaks only TLS and requires SASL.
type Secure struct {
	// Brokers are the seed brokers.
	Brokers []string
	// CAFile is a PEM file with the CA that signed the broker's
	// certificate (for localhost, 127.0.0.1 and ::1).
	CAFile string
	// Mechanism is the SASL mechanism, SCRAM-SHA-256.
	Mechanism string
	// User and Password are the one SASL user's credentials. The password
	// is random per call, so it appears in no file of the repository.
	User     string
	Password string

	ca testCA
}

// SecureBroker starts an in-process fake broker that accepts only TLS (with
// a certificate from a CA generated for the test) and SCRAM-SHA-256
// authentication, and stops it at cleanup. A wrong password makes the fake
// close the connection (KAFKA-NOTES §2.2), which a client sees as EOF.
func SecureBroker(t testing.TB) Secure {
	t.Helper()
	ca := newTestCA(t)
	s := Secure{
		CAFile:    ca.writeCA(t),
		Mechanism: "SCRAM-SHA-256",
		User:      "connector",
		Password:  randomHex(t, 16),
		ca:        ca,
	}
	srv, err := fakeserver.Start(fakeserver.Config{
		NoRegistry: true,
		TLS: &tls.Config{
			Certificates: []tls.Certificate{ca.server},
			MinVersion:   tls.VersionTLS12,
		},
		Users: []fakeserver.User{{Mechanism: s.Mechanism, Name: s.User, Password: s.Password}},
	})
	if err != nil {
		t.Fatalf("starting a TLS and SASL fake broker: %v", err)
	}
	t.Cleanup(srv.Close)
	s.Brokers = srv.Addrs().Brokers
	return s
}

// ClientOpts returns the client options that reach the broker with these
// credentials, trusting only the test CA.
func (s Secure) ClientOpts() []kgo.Opt {
	auth := scram.Auth{User: s.User, Pass: s.Password}
	return []kgo.Opt{
		kgo.SeedBrokers(s.Brokers...),
		kgo.DialTLSConfig(s.TLSConfig()),
		kgo.SASL(auth.AsSha256Mechanism()),
	}
}

// TLSConfig returns a client TLS configuration that trusts only the test CA.
func (s Secure) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: s.ca.pool(), MinVersion: tls.VersionTLS12}
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("reading random bytes: %v", err)
	}
	return hex.EncodeToString(b)
}

// String describes the broker without its password, so a test that prints
// a Secure does not print the secret.
func (s Secure) String() string {
	return "Secure{Brokers: " + strings.Join(s.Brokers, ",") + ", CAFile: " + s.CAFile +
		", Mechanism: " + s.Mechanism + ", User: " + s.User + ", Password: [redacted]}"
}
