package bench

import (
	"context"
	"fmt"
	"os"
	"time"
)

// Run measures every row cfg asks for and returns the result. A row that
// fails is recorded in Skipped with its error; Run fails only when the
// parties of the main rows cannot start.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("checking configuration: %w", err)
	}
	if cfg.PeerHost == "" {
		cfg.PeerHost = fmt.Sprintf("sim%d.okta.com", cfg.Seed)
	}
	if err := os.MkdirAll(cfg.WorkDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating work directory: %w", err)
	}
	t0 := time.Now()
	res := &Result{Started: t0.UTC(), Machine: thisMachine(), Org: cfg.Org,
		Broker: "kfake-server", Skipped: map[string]string{}}
	if len(cfg.Brokers) > 0 {
		res.Broker = "KAFKA_BROKERS"
	}
	b, err := startBroker(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer b.stop()
	prefix := fmt.Sprintf("bench%d.", t0.Unix())
	if err := runMain(ctx, cfg, b, prefix, res); err != nil {
		return nil, err
	}
	if cfg.RateLimitedOrg.Users > 0 {
		rl, err := runRateLimited(ctx, cfg, b, prefix+"rl.")
		if err != nil {
			res.Skipped["rate-limited"] = err.Error()
		}
		res.RateLimited = rl
	} else {
		res.Skipped["rate-limited"] = "not asked for (--rl-users 0)"
	}
	res.Took = secs(time.Since(t0))
	return res, nil
}

// runMain runs the rows that share the unthrottled org: full sync, idle
// cycle, change latency and the peer.
func runMain(ctx context.Context, cfg Config, b *broker, prefix string, res *Result) error {
	host := ""
	if cfg.Namespace != "" {
		host = cfg.PeerHost
	}
	cfg.progress("generating the org (%s)", cfg.Org)
	s, err := startSim(ctx, simSpec{name: "okta-sim", org: cfg.Org, seed: cfg.Seed,
		host: host, bin: cfg.BinDir, work: cfg.WorkDir})
	if err != nil {
		return err
	}
	defer s.stop()
	// A fresh checkpoint directory, so a reused work directory never
	// turns the full sync into an incremental one.
	ckpt, err := os.MkdirTemp(cfg.WorkDir, "checkpoints-")
	if err != nil {
		return fmt.Errorf("creating checkpoint directory: %w", err)
	}
	run := connRun{name: "connector-full", sim: s, brokers: b.addrs, prefix: prefix,
		ckpt: ckpt}
	cfg.progress("full sync, rate limits off")
	res.Unthrottled, err = runUnthrottled(ctx, cfg, s, b, run)
	if err != nil {
		return err
	}
	cfg.progress("idle incremental cycle")
	run.name = "connector-idle"
	res.Idle, err = runIdle(ctx, cfg, s, b, run)
	if err != nil {
		res.Skipped["idle"] = err.Error()
	}
	if cfg.Latency {
		cfg.progress("change latency under okta-connector run")
		run.name = "connector-run"
		res.Latency, err = runLatency(ctx, cfg, s, b, run)
		if err != nil {
			res.Skipped["latency"] = err.Error()
		}
	} else {
		res.Skipped["latency"] = "not asked for"
	}
	if cfg.Peer {
		cfg.progress("peer: airbyte-source-okta read")
		res.Peer, err = runPeer(ctx, cfg, s, res.Unthrottled)
		if err != nil {
			res.Skipped["peer"] = err.Error()
		}
	} else if _, ok := res.Skipped["peer"]; !ok {
		res.Skipped["peer"] = "not asked for"
	}
	return nil
}
