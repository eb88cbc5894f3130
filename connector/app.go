package connector

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/schemas"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
	"github.com/twmb/franz-go/pkg/sr"
)

// kafkaCheckTimeout bounds the start-up check of the brokers.
const kafkaCheckTimeout = 15 * time.Second

// AppConfig is what Open wires together.
type AppConfig struct {
	Config  config.Config   // validated
	Tenants []config.Tenant // from Config.Tenants
	Logger  *slog.Logger
	// KafkaLogger receives franz-go's own logs; nil keeps it silent.
	KafkaLogger kgo.Logger
	// HTTPClient is given to every tenant's Okta client; nil takes the
	// client's default.
	HTTPClient *http.Client
}

// App is the engine wired to Kafka, a codec, a checkpoint store and the
// tenants' Okta clients: what the run, sync and dev commands share. Close
// it once.
type App struct {
	Engine    *Engine
	Publisher *KafkaPublisher
	Topics    TopicsConfig
	Producer  *kgo.Client
	Store     checkpoint.Store
	log       *slog.Logger
}

// Open checks that Kafka answers, creates missing topics, registers the
// schemas (with a registry), opens the checkpoint store and builds every
// tenant's Okta client. Nothing has been read from Okta when it returns.
func Open(ctx context.Context, ac AppConfig) (*App, error) {
	cfg, log := ac.Config, ac.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Checkpoints.Store != "file" {
		return nil, fmt.Errorf("opening checkpoint store: CHECKPOINT_STORE=%q is not "+
			"available yet; use file", cfg.Checkpoints.Store)
	}
	kc, err := kafkaConfig(cfg.Kafka)
	if err != nil {
		return nil, err
	}
	kc.Logger = ac.KafkaLogger
	producer, err := NewProducer(kc)
	if err != nil {
		return nil, err
	}
	a := &App{Producer: producer, log: log, Topics: topicsConfig(cfg.Topics)}
	if err := a.open(ctx, ac); err != nil {
		producer.Close()
		if a.Store != nil {
			a.Store.Close()
		}
		return nil, err
	}
	return a, nil
}

func (a *App) open(ctx context.Context, ac AppConfig) error {
	cfg := ac.Config
	if err := CheckKafka(ctx, a.Producer, cfg.Kafka.Brokers, kafkaCheckTimeout); err != nil {
		return err
	}
	if err := EnsureTopics(ctx, kadm.NewClient(a.Producer), a.Topics, a.log); err != nil {
		return err
	}
	codec, err := newCodec(ctx, cfg.Registry, a.Topics.Topic)
	if err != nil {
		return err
	}
	store, err := checkpoint.NewFileStore(cfg.Checkpoints.Dir)
	if err != nil {
		return fmt.Errorf("opening checkpoint store: %w", err)
	}
	a.Store = store
	tenants, err := oktaTenants(ac)
	if err != nil {
		return err
	}
	a.Publisher = NewKafkaPublisher(a.Producer, codec, store, a.Topics)
	a.Engine = NewEngine(EngineConfig{
		Tenants: tenants, Store: store, Publisher: a.Publisher,
		Options: Options{
			Reconcile:        cfg.Schedules.Reconcile,
			ActivityLookback: cfg.Schedules.ActivityLookback,
		},
		Logger:               a.log,
		MaxConcurrentTenants: cfg.Limits.MaxConcurrentTenants,
	})
	return nil
}

// Close flushes what the producer still holds, then closes it and the
// store. Call it after the engine returned, so no batch is in flight.
func (a *App) Close(ctx context.Context) error {
	ferr := a.Producer.Flush(ctx)
	a.Producer.Close()
	var serr error
	if a.Store != nil {
		serr = a.Store.Close()
	}
	if ferr != nil {
		ferr = fmt.Errorf("flushing the producer: %w", ferr)
	}
	if serr != nil {
		serr = fmt.Errorf("closing checkpoint store: %w", serr)
	}
	return errors.Join(ferr, serr)
}

func topicsConfig(t config.Topics) TopicsConfig {
	return TopicsConfig{Prefix: t.Prefix, Partitions: t.Partitions,
		ReplicationFactor: t.ReplicationFactor, ActivityRetention: t.ActivityRetention}
}

// newCodec registers the schemas when a registry is configured, else
// returns the single-object codec (DESIGN §3).
func newCodec(ctx context.Context, r config.Registry,
	topicOf func(string) string) (Encoder, error) {
	if r.URL == "" {
		c, err := schemas.NewSingleObjectCodec()
		if err != nil {
			return nil, fmt.Errorf("loading schemas: %w", err)
		}
		return c, nil
	}
	opts := []sr.ClientOpt{sr.URLs(r.URL)}
	if r.Username != "" {
		opts = append(opts, sr.BasicAuth(r.Username, r.Password.Reveal()))
	}
	cl, err := sr.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("creating schema registry client: %w", err)
	}
	c, err := schemas.NewRegistryCodec(ctx, cl, topicOf)
	if err != nil {
		return nil, fmt.Errorf("registering schemas: %w", err)
	}
	return c, nil
}

// kafkaConfig turns the validated Kafka settings into client options.
func kafkaConfig(k config.Kafka) (KafkaConfig, error) {
	kc := KafkaConfig{Brokers: k.Brokers}
	if k.TLS {
		tc, err := tlsConfig(k)
		if err != nil {
			return kc, err
		}
		kc.TLS = tc
	}
	kc.SASL = saslMechanism(k)
	return kc, nil
}

func tlsConfig(k config.Kafka) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if k.TLSCAFile != "" {
		pem, err := os.ReadFile(k.TLSCAFile)
		if err != nil {
			return nil, fmt.Errorf("reading KAFKA_TLS_CA_FILE: %w", err)
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("reading KAFKA_TLS_CA_FILE %q: no PEM certificate",
				k.TLSCAFile)
		}
	}
	if k.TLSCertFile != "" {
		cert, err := tls.LoadX509KeyPair(k.TLSCertFile, k.TLSKeyFile)
		if err != nil {
			return nil, fmt.Errorf("reading KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

func saslMechanism(k config.Kafka) sasl.Mechanism {
	user, pass := k.SASLUsername, k.SASLPassword.Reveal()
	switch k.SASLMechanism {
	case "PLAIN":
		return plain.Auth{User: user, Pass: pass}.AsMechanism()
	case "SCRAM-SHA-256":
		return scram.Auth{User: user, Pass: pass}.AsSha256Mechanism()
	case "SCRAM-SHA-512":
		return scram.Auth{User: user, Pass: pass}.AsSha512Mechanism()
	}
	return nil
}

// oktaTenants builds each tenant's Okta client.
func oktaTenants(ac AppConfig) ([]Tenant, error) {
	out := make([]Tenant, 0, len(ac.Tenants))
	for _, t := range ac.Tenants {
		cl, err := okta.New(okta.Config{
			BaseURL: t.BaseURL, Credentials: t.Credentials, HTTPClient: ac.HTTPClient,
			RateShare:   ac.Config.Limits.RateLimitShare,
			MaxInFlight: ac.Config.Limits.MaxRequestsInFlight,
			Logger:      ac.Logger.With("tenant", t.ID),
		})
		if err != nil {
			return nil, fmt.Errorf("creating okta client of tenant %q: %w", t.ID, err)
		}
		out = append(out, Tenant{
			ID: t.ID, Domain: t.BaseURL.Host, Client: cl, Streams: t.Streams,
			Schedules: intervals(t.Schedules),
			Reconcile: t.Schedules.Reconcile, Lookback: t.Schedules.ActivityLookback,
		})
	}
	return out, nil
}

// intervals maps a tenant's schedules onto the streams they drive.
func intervals(s config.Schedules) map[string]time.Duration {
	return map[string]time.Duration{
		StreamActivity: s.ActivityPoll, StreamEmployees: s.DirectoryPoll,
		StreamGroups: s.DirectoryPoll, StreamApps: s.AppsPoll,
		StreamOrganizations: s.OrgPoll,
	}
}
