package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/okta-connector/okta-connector/internal/kafkatest/fakeserver"
)

// passwordEnv names the variable holding the SASL password, kept off the
// command line where any local user could read it in the process list.
const passwordEnv = "KFAKE_SASL_PASSWORD"

type options struct {
	brokers    int
	ports      string
	registry   string
	noRegistry bool
	configs    keyValues
	tlsCert    string
	tlsKey     string
	mechanism  string
	user       string
	logLevel   string
	exitOnEOF  bool
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	o := options{configs: keyValues{}}
	fs := flag.NewFlagSet("kfake-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.brokers, "brokers", 1, "number of brokers")
	fs.StringVar(&o.ports, "ports", "", "comma-separated fixed broker ports (default: free ones)")
	fs.StringVar(&o.registry, "registry", "127.0.0.1:0", "registry listen address (loopback only)")
	fs.BoolVar(&o.noRegistry, "no-registry", false, "do not serve the schema registry")
	fs.Var(o.configs, "c", "broker config key=value (repeatable)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "PEM certificate file: brokers speak TLS only")
	fs.StringVar(&o.tlsKey, "tls-key", "", "PEM private key file for -tls-cert")
	fs.StringVar(&o.mechanism, "sasl-mechanism", "SCRAM-SHA-256",
		"SASL mechanism of -sasl-user: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
	fs.StringVar(&o.user, "sasl-user", "",
		"enable SASL with this superuser; the password comes from $"+passwordEnv)
	fs.StringVar(&o.logLevel, "log-level", "none",
		"cluster log level: none, error, warn, info, debug")
	fs.BoolVar(&o.exitOnEOF, "exit-on-stdin-eof", false, "stop when standard input closes")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return o, nil
}

func (o options) config(stderr io.Writer) (fakeserver.Config, error) {
	cfg := fakeserver.Config{
		Brokers:       o.brokers,
		RegistryAddr:  o.registry,
		NoRegistry:    o.noRegistry,
		BrokerConfigs: o.configs,
	}
	var err error
	if cfg.Ports, err = parsePorts(o.ports); err != nil {
		return cfg, err
	}
	if cfg.TLS, err = loadTLS(o.tlsCert, o.tlsKey); err != nil {
		return cfg, err
	}
	if o.user != "" {
		pass := os.Getenv(passwordEnv)
		if pass == "" {
			return cfg, fmt.Errorf("-sasl-user given: %w", errNoPassword)
		}
		cfg.Users = []fakeserver.User{{Mechanism: o.mechanism, Name: o.user, Password: pass}}
	}
	level, err := parseLevel(o.logLevel)
	if err != nil {
		return cfg, err
	}
	if level != kfake.LogLevelNone {
		cfg.Logger = kfake.BasicLogger(stderr, level)
	}
	return cfg, nil
}

var errNoPassword = errors.New("$" + passwordEnv + " is empty")

func parsePorts(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var ports []int
	for _, f := range strings.Split(s, ",") {
		p, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || p < 1 || p > 65535 {
			return nil, fmt.Errorf("parsing -ports: %q is not a port", f)
		}
		ports = append(ports, p)
	}
	return ports, nil
}

func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading -tls-cert %q and -tls-key %q: %w", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

func parseLevel(s string) (kfake.LogLevel, error) {
	levels := map[string]kfake.LogLevel{
		"none":  kfake.LogLevelNone,
		"error": kfake.LogLevelError,
		"warn":  kfake.LogLevelWarn,
		"info":  kfake.LogLevelInfo,
		"debug": kfake.LogLevelDebug,
	}
	l, ok := levels[strings.ToLower(s)]
	if !ok {
		return 0, fmt.Errorf("parsing -log-level: unknown level %q", s)
	}
	return l, nil
}

// keyValues collects repeated key=value flags.
type keyValues map[string]string

func (kv keyValues) String() string { return fmt.Sprint(map[string]string(kv)) }

func (kv keyValues) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", s)
	}
	kv[k] = v
	return nil
}
