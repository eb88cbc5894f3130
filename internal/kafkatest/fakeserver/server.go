// Package fakeserver runs franz-go's fake Kafka cluster (kfake) and its fake
// schema registry (srfake) on loopback, so that tests, tools and programs in
// other languages can reach them as they would a real broker and registry.
//
// Known limits, inherited from the fakes (see KAFKA-NOTES §2 and §3): data
// lives in memory; the registry never enforces compatibility and only parses
// schemas as JSON; a wrong SASL password closes the connection instead of
// answering an authentication error; compaction runs only on a timer
// (log.cleaner.backoff.ms, an hour) or when asked, not per segment.
package fakeserver

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

// DefaultBrokerConfigs are the broker configs every fake cluster starts
// with, merged under Config.BrokerConfigs. NOTE: the fake's compaction
// timer stays at its default of an hour: each pass rescans whole
// partitions, and at 250 ms or even 3 s a fake holding a few hundred
// thousand records stalled producers and grew without bound while idle
// (22 GB before the kernel killed it). A test that wants compaction calls
// Cluster().Compact() itself.
var DefaultBrokerConfigs = map[string]string{
	"log.cleaner.backoff.ms": "3600000",
}

// Config says what Start runs. The zero value is one broker on a free port
// and a registry on a free port, both on 127.0.0.1.
type Config struct {
	// Brokers is the number of brokers; 0 means 1.
	Brokers int
	// Ports fixes the brokers' ports; empty means free ones.
	Ports []int
	// RegistryAddr is the registry's listen address, a loopback host with
	// an optional port; empty means 127.0.0.1 on a free port.
	RegistryAddr string
	// NoRegistry leaves the registry out.
	NoRegistry bool
	// BrokerConfigs override DefaultBrokerConfigs key by key.
	BrokerConfigs map[string]string
	// TLS, when set, makes every broker listener speak TLS only.
	TLS *tls.Config
	// Users, when not empty, turns SASL on with these superusers.
	Users []User
	// Logger receives the cluster's own log; nil means none.
	Logger kfake.Logger
}

// User is a SASL superuser of the fake cluster.
type User struct {
	// Mechanism is PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.
	Mechanism string
	Name      string
	Password  string
}

// Addrs are the addresses a client needs; it is also the one JSON line
// cmd/kfake-server prints, so its field names are a contract.
type Addrs struct {
	Brokers  []string `json:"brokers"`
	Registry string   `json:"registry,omitempty"`
}

// Server is a running fake cluster and registry. Close stops both; it is
// safe for concurrent use, as are the fakes it holds.
type Server struct {
	cluster  *kfake.Cluster
	registry *srfake.Registry
	http     *http.Server
	addrs    Addrs
}

// Start runs the cluster and, unless cfg.NoRegistry, the registry.
func Start(cfg Config) (*Server, error) {
	var ln net.Listener
	if !cfg.NoRegistry {
		var err error
		if ln, err = listenLoopback(cfg.RegistryAddr); err != nil {
			return nil, fmt.Errorf("listening for the registry: %w", err)
		}
	}
	cluster, err := kfake.NewCluster(clusterOpts(cfg)...)
	if err != nil {
		if ln != nil {
			ln.Close()
		}
		return nil, fmt.Errorf("starting the fake cluster: %w", err)
	}
	s := &Server{cluster: cluster}
	s.addrs.Brokers = cluster.ListenAddrs()
	if ln != nil {
		s.serveRegistry(ln)
	}
	return s, nil
}

func clusterOpts(cfg Config) []kfake.Opt {
	n := cfg.Brokers
	if n <= 0 {
		n = 1
	}
	opts := []kfake.Opt{
		kfake.NumBrokers(n),
		kfake.BrokerConfigs(DefaultBrokerConfigs),
	}
	if len(cfg.Ports) > 0 {
		opts = append(opts, kfake.Ports(cfg.Ports...))
	}
	if len(cfg.BrokerConfigs) > 0 {
		opts = append(opts, kfake.BrokerConfigs(cfg.BrokerConfigs))
	}
	if cfg.TLS != nil {
		opts = append(opts, kfake.TLS(cfg.TLS))
	}
	if len(cfg.Users) > 0 {
		opts = append(opts, kfake.EnableSASL())
	}
	for _, u := range cfg.Users {
		opts = append(opts, kfake.Superuser(u.Mechanism, u.Name, u.Password))
	}
	if cfg.Logger != nil {
		opts = append(opts, kfake.WithLogger(cfg.Logger))
	}
	return opts
}

func (s *Server) serveRegistry(ln net.Listener) {
	s.registry = srfake.NewRegistry()
	s.http = &http.Server{
		Handler:           s.registry.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	s.addrs.Registry = "http://" + ln.Addr().String()
	go func() {
		// Serve returns ErrServerClosed after Close, the only way it ends.
		_ = s.http.Serve(ln)
	}()
}

// listenLoopback listens on addr, refusing any host that is not loopback:
// the fakes have no authentication worth the name and must not be reachable
// from elsewhere.
func listenLoopback(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("parsing %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("address %q: %w", addr, errNotLoopback)
	}
	return net.Listen("tcp", addr)
}

var errNotLoopback = errors.New("host is not a loopback address")

// Addrs returns the brokers' and the registry's addresses.
func (s *Server) Addrs() Addrs { return s.addrs }

// Cluster returns the fake cluster, for control hooks and Compact.
func (s *Server) Cluster() *kfake.Cluster { return s.cluster }

// Registry returns the fake registry, nil when Config.NoRegistry was set.
func (s *Server) Registry() *srfake.Registry { return s.registry }

// Close stops the registry and the cluster.
func (s *Server) Close() {
	if s.http != nil {
		s.http.Close()
	}
	s.cluster.Close()
}
