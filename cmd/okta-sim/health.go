package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// healthOptions are the healthcheck subcommand's flags.
type healthOptions struct {
	url     string
	timeout time.Duration
	caFile  string
}

// newHealthFlagSet declares the healthcheck flags, bound to o.
func newHealthFlagSet(o *healthOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("okta-sim healthcheck", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: okta-sim healthcheck [flags]\n\n"+
			"Exits 0 when a running okta-sim answers its health endpoint, 1 otherwise:\n"+
			"a probe for container health checks on images without a shell.\n\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8089"+oktasim.HealthPath,
		"health endpoint to probe")
	fs.DurationVar(&o.timeout, "timeout", 3*time.Second, "give up after this long")
	fs.StringVar(&o.caFile, "ca", "", "PEM certificate to trust for an https URL "+
		"(what --tls-ca-out wrote)")
	return fs
}

// healthcheck probes a running simulator once; an error means unhealthy.
func healthcheck(args []string) error {
	var o healthOptions
	if err := newHealthFlagSet(&o).Parse(args); err != nil {
		return err
	}
	client, err := o.client()
	if err != nil {
		return err
	}
	resp, err := client.Get(o.url)
	if err != nil {
		return fmt.Errorf("probing health: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("probing health at %q: got status %d, want 200", o.url, resp.StatusCode)
	}
	return nil
}

// client is an HTTP client with the timeout that trusts --ca when given.
// It follows no redirect: a health endpoint answers itself.
func (o healthOptions) client() (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	if o.caFile != "" {
		pem, err := os.ReadFile(o.caFile)
		if err != nil {
			return nil, fmt.Errorf("reading --ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("reading --ca %q: no PEM certificate", o.caFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: tr, Timeout: o.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return errors.New("health endpoint redirected")
		}}, nil
}
