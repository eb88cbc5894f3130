package oktasim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// ServerConfig says where and how to serve orgs.
type ServerConfig struct {
	// Addr is the first org's listen address; default 127.0.0.1:0. Every
	// further org listens on a free port of the same host.
	Addr string
	// HostRouting serves every org on the one listener at Addr and picks
	// the org by the request's Host, matched against each org's PublicURL
	// host or "<subdomain>." prefix.
	HostRouting bool
	// TLS serves HTTPS, with CertFile and KeyFile when given, else with a
	// self-signed certificate for 127.0.0.1, ::1, localhost and the
	// orgs' public hosts, generated at start.
	TLS      bool
	CertFile string
	KeyFile  string
	// CAFile, when set with a generated certificate, receives its PEM,
	// so clients in other processes can trust it.
	CAFile string
}

// Server serves one or more orgs on loopback listeners. Close stops it.
type Server struct {
	srvs    []*http.Server
	urls    []string
	certPEM []byte
	errc    chan error
}

// Start serves orgs and returns once every listener is accepting.
func Start(cfg ServerConfig, orgs ...*Org) (*Server, error) {
	if len(orgs) == 0 {
		return nil, errors.New("starting simulator: no org to serve")
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("starting simulator on %q: %w", cfg.Addr, err)
	}
	s := &Server{errc: make(chan error, len(orgs))}
	tlsCfg, err := s.tlsConfig(cfg, orgs)
	if err != nil {
		return nil, fmt.Errorf("starting simulator: %w", err)
	}
	if cfg.HostRouting {
		err = s.serve(cfg.Addr, tlsCfg, hostRouter(orgs), orgs...)
	} else {
		for i, o := range orgs {
			addr := cfg.Addr
			if i > 0 {
				addr = net.JoinHostPort(host, "0")
			}
			if err = s.serve(addr, tlsCfg, o.Handler(), o); err != nil {
				break
			}
		}
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("starting simulator: %w", err)
	}
	return s, nil
}

func (s *Server) serve(addr string, tc *tls.Config, h http.Handler, orgs ...*Org) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %q: %w", addr, err)
	}
	scheme := "http"
	if tc != nil {
		ln = tls.NewListener(ln, tc)
		scheme = "https"
	}
	base := scheme + "://" + ln.Addr().String()
	for _, o := range orgs {
		if len(orgs) == 1 {
			o.setBaseURL(base)
		}
		u := base
		if o.cfg.PublicURL != "" && len(orgs) > 1 {
			u = strings.TrimSuffix(o.cfg.PublicURL, "/")
		}
		s.urls = append(s.urls, u)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	s.srvs = append(s.srvs, srv)
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.errc <- err
		}
	}()
	return nil
}

// hostRouter picks the org for a request by its Host.
func hostRouter(orgs []*Org) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == HealthPath {
			// A health check dials the listener's address, which
			// names no org.
			serveHealth(w, r)
			return
		}
		host := r.Host
		for _, o := range orgs {
			if u, err := url.Parse(o.cfg.PublicURL); err == nil && u.Host != "" && u.Host == host {
				o.Handler().ServeHTTP(w, r)
				return
			}
			if strings.HasPrefix(host, o.cfg.Subdomain+".") {
				o.Handler().ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(errNotFound(host, "Org").body())
	})
}

// URL is the first org's base URL.
func (s *Server) URL() string { return s.urls[0] }

// URLs are every org's base URL, in the order given to Start.
func (s *Server) URLs() []string { return append([]string(nil), s.urls...) }

// CertPEM is the generated certificate, nil without TLS or with given
// files.
func (s *Server) CertPEM() []byte { return s.certPEM }

// Client returns an HTTP client that trusts the server's certificate.
func (s *Server) Client() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if s.certPEM != nil {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(s.certPEM)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: tr, Timeout: time.Minute}
}

// Err returns a channel that receives a listener's failure.
func (s *Server) Err() <-chan error { return s.errc }

// Close stops every listener and waits up to five seconds for requests in
// flight.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, srv := range s.srvs {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, srv.Close())
		}
	}
	return errors.Join(errs...)
}

func (s *Server) tlsConfig(cfg ServerConfig, orgs []*Org) (*tls.Config, error) {
	if !cfg.TLS {
		return nil, nil
	}
	var cert tls.Certificate
	var err error
	if cfg.CertFile != "" || cfg.KeyFile != "" {
		cert, err = tls.LoadX509KeyPair(cfg.CertFile, cfg.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("loading certificate %q: %w", cfg.CertFile, err)
		}
	} else {
		var hosts []string
		for _, o := range orgs {
			if u, err := url.Parse(o.cfg.PublicURL); err == nil && u.Hostname() != "" {
				hosts = append(hosts, u.Hostname())
			}
		}
		cert, s.certPEM, err = selfSigned(hosts)
		if err != nil {
			return nil, err
		}
		if cfg.CAFile != "" {
			if err := os.WriteFile(cfg.CAFile, s.certPEM, 0o644); err != nil {
				return nil, fmt.Errorf("writing certificate to %q: %w", cfg.CAFile, err)
			}
		}
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
