package bench

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// simReadyTimeout bounds the generation of an org: a million events take
// seconds, not minutes.
const simReadyTimeout = 5 * time.Minute

// sim is a running okta-sim process and a client of its admin API.
type sim struct {
	p      *proc
	url    string // base URL the connector and the peer are given
	admin  string // base URL this process reaches the admin API at
	token  string // never printed
	caFile string // the self-signed certificate, when TLS
	client *http.Client
}

// simSpec says which org to serve and how.
type simSpec struct {
	name   string
	org    Org
	seed   uint64
	limits bool // Okta's default buckets; else rate limits off
	// host, when set, makes the simulator serve TLS on port 443 with Link
	// URLs on https://host: the peer's view of Okta, which only a
	// network namespace of our own can give (Config.Namespace).
	host      string
	bin, work string
}

// startSim generates the org and waits until it is served.
func startSim(ctx context.Context, s simSpec) (*sim, error) {
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	argv := []string{filepath.Join(s.bin, "okta-sim"), "--addr", "127.0.0.1:0",
		"--seed", strconv.FormatUint(s.seed, 10),
		"--users", strconv.Itoa(s.org.Users), "--groups", strconv.Itoa(s.org.Groups),
		"--apps", strconv.Itoa(s.org.Apps), "--events", strconv.Itoa(s.org.Events),
		"--link-style", "separate"}
	if !s.limits {
		argv = append(argv, "--rate-limits", "off")
	}
	sm := &sim{token: token, client: &http.Client{Timeout: 5 * time.Minute}}
	if s.host != "" {
		sm.caFile = filepath.Join(s.work, s.name+"-ca.pem")
		argv[2] = "127.0.0.1:443"
		argv = append(argv, "--tls", "--tls-ca-out", sm.caFile,
			"--public-url", "https://"+s.host)
	}
	// The token travels in the environment, never on a command line
	// that any local user can read.
	env := append(baseEnv(), "OKTA_SIM_TOKEN="+token)
	sm.p, err = start(spec{name: s.name, argv: argv, env: env,
		log: filepath.Join(s.work, s.name+".log")})
	if err != nil {
		return nil, err
	}
	line, err := sm.p.ready(ctx, "okta-sim ready", simReadyTimeout)
	if err != nil {
		sm.p.stop()
		return nil, err
	}
	sm.p.drain()
	sm.url, sm.admin = fieldOf(line, "url"), fieldOf(line, "url")
	if s.host != "" {
		sm.url = "https://" + s.host
		if err := sm.trust(); err != nil {
			sm.p.stop()
			return nil, err
		}
	}
	return sm, nil
}

// trust makes the admin client accept the simulator's certificate.
func (s *sim) trust() error {
	pem, err := os.ReadFile(s.caFile)
	if err != nil {
		return fmt.Errorf("reading simulator certificate: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return fmt.Errorf("reading simulator certificate %q: no PEM certificate", s.caFile)
	}
	s.client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	return nil
}

func (s *sim) stop() { s.p.stop() }

// request is one entry of the simulator's request log.
type request struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Status int       `json:"status"`
	Bucket string    `json:"bucket"`
	Time   time.Time `json:"time"`
}

// requests returns the simulator's request log, Okta paths only.
func (s *sim) requests(ctx context.Context) ([]request, error) {
	var all []request
	if err := s.call(ctx, http.MethodGet, "/_sim/requests", &all); err != nil {
		return nil, err
	}
	out := all[:0]
	for _, r := range all {
		if !strings.HasPrefix(r.Path, "/_sim/") {
			out = append(out, r)
		}
	}
	return out, nil
}

// resetRequests empties the request log.
func (s *sim) resetRequests(ctx context.Context) error {
	return s.call(ctx, http.MethodDelete, "/_sim/requests", nil)
}

// deactivate deactivates a user as an admin would, writing the System
// Log event Okta writes.
func (s *sim) deactivate(ctx context.Context, id string) error {
	return s.call(ctx, http.MethodPost, "/_sim/users/"+id+"/deactivate", nil)
}

// activeUser returns the id of one ACTIVE user, through the Okta API.
func (s *sim) activeUser(ctx context.Context) (string, error) {
	var users []struct {
		ID string `json:"id"`
	}
	path := "/api/v1/users?limit=1&filter=" + url.QueryEscape(`status eq "ACTIVE"`)
	if err := s.call(ctx, http.MethodGet, path, &users); err != nil {
		return "", err
	}
	if len(users) == 0 {
		return "", fmt.Errorf("listing active users: none")
	}
	return users[0].ID, nil
}

// get returns the body of an Okta GET, for the baseline's replay.
func (s *sim) get(ctx context.Context, path string) ([]byte, error) {
	resp, err := s.do(ctx, http.MethodGet, path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("getting %s: status %d", path, resp.StatusCode)
	}
	return b, nil
}

func (s *sim) call(ctx context.Context, method, path string, out any) error {
	resp, err := s.do(ctx, method, path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("calling simulator %s %s: status %d: %s", method, path,
			resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decoding simulator %s %s: %w", method, path, err)
	}
	return nil
}

func (s *sim) do(ctx context.Context, method, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.admin+path, nil)
	if err != nil {
		return nil, fmt.Errorf("building simulator request %s: %w", path, err)
	}
	req.Header.Set("Authorization", "SSWS "+s.token)
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("calling simulator %s %s: %w", method, path, err)
	}
	return resp, nil
}

// newToken returns a random token for one run.
func newToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// fieldOf returns the value of key=value in a ready line.
func fieldOf(line, key string) string {
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			return v
		}
	}
	return ""
}

// baseEnv is the environment every child starts from: enough to run,
// and nothing of the caller's configuration (no stray KAFKA_* or OKTA_*).
func baseEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "LANG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// connectorEnv is baseEnv plus the collector's settings, GOGC and
// GOMEMLIMIT, so runs can compare them; they reach only the connector:
// the simulator holds a whole org and would thrash under its limit.
func connectorEnv() []string {
	env := baseEnv()
	for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}
