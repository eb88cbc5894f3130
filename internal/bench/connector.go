package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// tenantID is the tenant every run syncs, so keys do not depend on ports.
const tenantID = "bench"

// connRun is one okta-connector process: which command, against which
// simulator, into which topics and checkpoints.
type connRun struct {
	name    string // log file name
	command string // sync or run
	sim     *sim
	brokers []string
	prefix  string
	ckpt    string
	share   float64 // RATE_LIMIT_SHARE; 0 keeps the default
}

// env is the connector's whole environment: the product's own variables
// only, each documented in the README.
func (r connRun) env() []string {
	env := append(connectorEnv(),
		"OKTA_DOMAIN="+r.sim.url, "OKTA_API_TOKEN="+r.sim.token, "TENANT_ID="+tenantID,
		"KAFKA_BROKERS="+strings.Join(r.brokers, ","), "TOPIC_PREFIX="+r.prefix,
		"CHECKPOINT_DIR="+r.ckpt, "LOG_FORMAT=json", "LOG_LEVEL=info")
	if r.sim.caFile != "" {
		// Go reads extra roots from here: how the connector trusts the
		// simulator's self-signed certificate without a flag of its own.
		env = append(env, "SSL_CERT_FILE="+r.sim.caFile)
	}
	if r.share > 0 {
		env = append(env, fmt.Sprintf("RATE_LIMIT_SHARE=%g", r.share))
	}
	return env
}

func (r connRun) spec(cfg Config) spec {
	return spec{name: "okta-connector " + r.command,
		argv: []string{filepath.Join(cfg.BinDir, "okta-connector"), r.command},
		env:  r.env(), log: filepath.Join(cfg.WorkDir, r.name+".log")}
}

// syncResult is what one okta-connector sync cost.
type syncResult struct {
	Wall time.Duration
	usage
}

// runSync runs okta-connector sync to its end.
func runSync(ctx context.Context, cfg Config, r connRun) (syncResult, error) {
	r.command = "sync"
	sp := r.spec(cfg)
	t0 := time.Now()
	p, err := start(sp)
	if err != nil {
		return syncResult{}, err
	}
	p.drain()
	u, err := p.wait(ctx)
	res := syncResult{Wall: time.Since(t0), usage: u}
	if err != nil {
		return res, exitErr(sp.name, err, sp.log)
	}
	return res, nil
}
