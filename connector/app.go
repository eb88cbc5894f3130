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
	"github.com/okta-connector/okta-connector/connector/admin"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/metrics"
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
	Config config.Config // validated
	// Tenants are from Config.AllTenants: those with Err set are not run
	// but reported (log, /status, metrics).
	Tenants []config.Tenant
	Logger  *slog.Logger
	// KafkaLogger receives franz-go's own logs; nil keeps it silent.
	KafkaLogger kgo.Logger
	// HTTPClient is given to every tenant's Okta client; nil takes the
	// client's default. With Metrics set, its transport is wrapped.
	HTTPClient *http.Client
	// Metrics receives every tenant's Okta requests and rate-limit waits;
	// nil counts nothing. Open sets it (App.AppConfig returns it).
	Metrics *metrics.Metrics
	// Board is the status board /status shows; Open sets it, so that a
	// reloader can drop a removed tenant from it.
	Board *admin.StatusBoard
	// Cluster, with the Kafka store, leaves the shards to the instances'
	// group (App.Cluster) instead of claiming them all at Open: what run
	// does, so that several instances share them.
	Cluster bool
}

// App is the engine wired to Kafka, a codec, a checkpoint store, the
// tenants' Okta clients, metrics and the admin endpoint's status board:
// what the run, sync and dev commands share. Close it once.
type App struct {
	Engine *Engine
	// Publisher is the engine's publisher: per-batch transactions with
	// the Kafka store, produce-then-save with the file store.
	Publisher CountingPublisher
	Topics    TopicsConfig
	Producer  *kgo.Client
	Store     checkpoint.Store

	ac      AppConfig
	txn     *TxnPublisher // nil with the file store
	metrics *metrics.Metrics
	board   *admin.StatusBoard
	loaded  admin.Flag // raised once the checkpoints are readable
	log     *slog.Logger
}

// Open checks that Kafka answers, creates missing topics, registers the
// schemas (with a registry), opens the checkpoint store (with the Kafka
// store: claims every shard, fencing any earlier owner, and reads the
// checkpoint topic) and builds every tenant's Okta client. Nothing has
// been read from Okta when it returns.
func Open(ctx context.Context, ac AppConfig) (*App, error) {
	if ac.Logger == nil {
		ac.Logger = slog.New(slog.DiscardHandler)
	}
	if ac.Metrics == nil {
		ac.Metrics = metrics.New(metrics.Options{})
	}
	if ac.Board == nil {
		ac.Board = admin.NewStatusBoard(nil)
	}
	kc, err := kafkaConfig(ac.Config.Kafka)
	if err != nil {
		return nil, err
	}
	kc.Logger = ac.KafkaLogger
	producer, err := NewProducer(kc)
	if err != nil {
		return nil, err
	}
	a := &App{Producer: producer, log: ac.Logger, Topics: topicsConfig(ac.Config.Topics),
		ac: ac, metrics: ac.Metrics, board: ac.Board}
	if err := a.open(ctx, kc); err != nil {
		a.closeAll()
		return nil, err
	}
	return a, nil
}

func (a *App) open(ctx context.Context, kc KafkaConfig) error {
	cfg := a.ac.Config
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
	var pub CountingPublisher
	if cfg.Checkpoints.Store == "kafka" {
		pub, err = a.openKafkaStore(ctx, kc, codec)
	} else {
		pub, err = a.openFileStore(codec)
	}
	if err != nil {
		return err
	}
	a.Publisher = newAppPublisher(pub, a.metrics, a.txn, a.log)
	tenants, err := oktaTenants(a.ac)
	if err != nil {
		return err
	}
	a.Engine = NewEngine(EngineConfig{
		Tenants: tenants, Store: a.Store, Publisher: a.Publisher,
		Options: Options{
			Reconcile:        cfg.Schedules.Reconcile,
			ActivityLookback: cfg.Schedules.ActivityLookback,
		},
		Logger:               a.log,
		MaxConcurrentTenants: cfg.Limits.MaxConcurrentTenants,
		Observer:             a,
	})
	a.loaded.Raise()
	return nil
}

// openFileStore opens the file store (one instance per directory) and its
// publisher, which saves a batch's checkpoints after Kafka acknowledged
// its records (at-least-once, DESIGN §5).
func (a *App) openFileStore(codec Encoder) (CountingPublisher, error) {
	store, err := checkpoint.NewFileStore(a.ac.Config.Checkpoints.Dir)
	if err != nil {
		return nil, err // NewFileStore names the store and the directory
	}
	a.Store = store
	return NewKafkaPublisher(a.Producer, codec, store, a.Topics), nil
}

// AppConfig returns the configuration the app was opened with, Metrics
// and Board included: what NewReloader needs to build clients like
// Open's and to forget removed tenants.
func (a *App) AppConfig() AppConfig { return a.ac }

// Close flushes what the producer still holds, then closes it, the
// transactional publisher and the store. Call it after the engine
// returned, so no batch is in flight.
func (a *App) Close(ctx context.Context) error {
	ferr := a.Producer.Flush(ctx)
	if ferr != nil {
		ferr = fmt.Errorf("flushing the producer: %w", ferr)
	}
	return errors.Join(ferr, a.closeAll())
}

// closeAll closes whatever Open made, in the reverse order.
func (a *App) closeAll() error {
	if a.txn != nil {
		a.txn.Close()
	}
	var serr error
	if a.Store != nil {
		if err := a.Store.Close(); err != nil {
			serr = fmt.Errorf("closing checkpoint store: %w", err)
		}
	}
	a.Producer.Close()
	return serr
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

// oktaTenants builds each tenant's Okta client. A tenant whose
// credentials could not be read (config.Tenant.Err) is reported and left
// out, so that the others run; a reloader retries it.
func oktaTenants(ac AppConfig) ([]Tenant, error) {
	out := make([]Tenant, 0, len(ac.Tenants))
	for _, t := range ac.Tenants {
		if t.Err != nil {
			configFailed(ac, ac.Logger, t, false)
			continue
		}
		cl, err := NewOktaClient(ac, t)
		if err != nil {
			return nil, err
		}
		out = append(out, engineTenant(t, cl))
	}
	return out, nil
}

// NewOktaClient builds a tenant's Okta client as the engine runs it: the
// app's limits, a SlotClock that lends the stream's concurrency slot away
// during long sleeps and, when ac.Metrics is set, a transport counting
// requests by endpoint and status and an observer of rate-limit waits
// and budgets. A tenant whose credentials could not be read is refused
// with the reason (config.Tenant.Err).
func NewOktaClient(ac AppConfig, t config.Tenant) (*okta.Client, error) {
	if t.Err != nil {
		return nil, t.Err // names the tenant, the file and line, and the fix
	}
	log := ac.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	oc := okta.Config{
		BaseURL: t.BaseURL, Credentials: t.Credentials, HTTPClient: ac.HTTPClient,
		RateShare:   ac.Config.Limits.RateLimitShare,
		MaxInFlight: ac.Config.Limits.MaxRequestsInFlight,
		Clock:       SlotClock{},
		Logger:      log.With("tenant", t.ID),
	}
	if ac.Metrics != nil {
		mt := ac.Metrics.Tenant(t.ID)
		oc.Observer = mt
		oc.HTTPClient = meteredHTTPClient(ac.HTTPClient, mt)
	}
	cl, err := okta.New(oc)
	if err != nil {
		return nil, fmt.Errorf("creating okta client of tenant %q: %w", t.ID, err)
	}
	return cl, nil
}

// meteredHTTPClient is a copy of base (nil: a client with the Okta
// client's default timeout) whose transport mt counts. The Okta client
// still refuses redirects on it, as on any client it is given.
func meteredHTTPClient(base *http.Client, mt metrics.Tenant) *http.Client {
	hc := &http.Client{Timeout: okta.DefaultHTTPTimeout}
	if base != nil {
		c := *base
		hc = &c
	}
	hc.Transport = mt.Transport(hc.Transport)
	return hc
}

// intervals maps a tenant's schedules onto the streams they drive.
func intervals(s config.Schedules) map[string]time.Duration {
	return map[string]time.Duration{
		StreamActivity: s.ActivityPoll, StreamEmployees: s.DirectoryPoll,
		StreamGroups: s.DirectoryPoll, StreamApps: s.AppsPoll,
		StreamOrganizations: s.OrgPoll,
	}
}
