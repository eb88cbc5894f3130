package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/internal/logging"
	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

// devFlags size the simulated org.
type devFlags struct {
	once                        bool
	seed                        uint64
	users, groups, apps, events int
	logLevel                    string
}

// devEnv is the simulated world: an org, a broker and a registry, all on
// loopback, all stopped by close.
type devEnv struct {
	org   *oktasim.Org
	sim   *oktasim.Server
	kafka *kfake.Cluster
	reg   *srfake.Registry
	dir   string
	token string
}

func (d *devEnv) close() {
	if d.sim != nil {
		d.sim.Close()
	}
	if d.kafka != nil {
		d.kafka.Close()
	}
	if d.reg != nil {
		d.reg.Close()
	}
	if d.dir != "" {
		os.RemoveAll(d.dir)
	}
}

// cmdDev runs the connector against a simulated org, an in-process kfake
// broker and an srfake registry: a first full sync, a summary against the
// org's truth and a sample of decoded records, then (without --once) live
// simulated activity until Ctrl-C.
func cmdDev(args []string, stdout, stderr io.Writer) int {
	var f devFlags
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&f.once, "once", false, "exit after the first full sync with a summary")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the generated org")
	fs.IntVar(&f.users, "users", 2000, "users in the generated org")
	fs.IntVar(&f.groups, "groups", 150, "groups in the generated org")
	fs.IntVar(&f.apps, "apps", 40, "apps in the generated org")
	fs.IntVar(&f.events, "events", 20000, "System Log events in the generated org")
	fs.StringVar(&f.logLevel, "log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	ctx, stop := signalContext()
	defer stop()
	env, err := startDev(f)
	if err != nil {
		return fail(stderr, exitFailed, err)
	}
	defer env.close()
	return runDev(ctx, f, env, stdout, stderr)
}

// startDev generates the org and starts the three servers.
func startDev(f devFlags) (*devEnv, error) {
	env := &devEnv{token: randomToken()}
	var err error
	env.org, err = oktasim.NewOrg(oktasim.OrgConfig{Seed: f.seed, Users: f.users,
		Groups: f.groups, Apps: f.apps, Events: f.events, Token: env.token})
	if err != nil {
		return nil, fmt.Errorf("generating the simulated org: %w", err)
	}
	if env.sim, err = oktasim.Start(oktasim.ServerConfig{}, env.org); err != nil {
		return nil, fmt.Errorf("starting the okta simulator: %w", err)
	}
	env.kafka, err = kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		env.close()
		return nil, fmt.Errorf("starting the in-process kafka broker: %w", err)
	}
	env.reg = srfake.New()
	if env.dir, err = os.MkdirTemp("", "okta-connector-dev-"); err != nil {
		env.close()
		return nil, fmt.Errorf("creating a checkpoint directory: %w", err)
	}
	return env, nil
}

// devConfig builds the configuration through the same loader as run and
// sync, from variables pointing at the simulated world.
func devConfig(env *devEnv, f devFlags) (config.Config, error) {
	return config.LoadEnv([]string{
		"KAFKA_BROKERS=" + env.kafka.ListenAddrs()[0],
		"SCHEMA_REGISTRY_URL=" + env.reg.URL(),
		"CHECKPOINT_DIR=" + env.dir,
		"OKTA_DOMAIN=" + env.sim.URL(),
		"OKTA_API_TOKEN=" + env.token,
		"TENANT_ID=dev",
		"TOPIC_PARTITIONS=3",
		"RATE_LIMIT_SHARE=1",
		"ACTIVITY_POLL_INTERVAL=2s",
		"DIRECTORY_POLL_INTERVAL=10s",
		"APPS_POLL_INTERVAL=30s",
		"ORG_POLL_INTERVAL=1m",
		"LOG_LEVEL=" + f.logLevel,
	})
}

func runDev(ctx context.Context, f devFlags, env *devEnv, stdout, stderr io.Writer) int {
	cfg, err := devConfig(env, f)
	if err != nil {
		return fail(stderr, exitFailed, err)
	}
	log, err := logging.New(stderr, cfg.Log.Level, cfg.Log.Format)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	tenants, err := cfg.Tenants()
	if err != nil {
		return fail(stderr, exitFailed, err)
	}
	fmt.Fprintf(stdout, "okta simulator   %s (seed %d: %d users, %d groups, %d apps, "+
		"%d events)\nkafka broker     %s\nschema registry  %s\ncheckpoints      %s\n\n",
		env.sim.URL(), f.seed, f.users, f.groups, f.apps, f.events,
		env.kafka.ListenAddrs()[0], env.reg.URL(), env.dir)
	app, err := connector.Open(ctx, connector.AppConfig{Config: cfg, Tenants: tenants,
		Logger: log, KafkaLogger: logging.KafkaLogger(log)})
	if err != nil {
		return fail(stderr, exitFailed, err)
	}
	status := firstSync(ctx, app, env, stdout, stderr)
	if status == exitOK && !f.once {
		fmt.Fprintln(stdout, "\ntailing live simulated activity; Ctrl-C to stop")
		go simulate(ctx, env.org, time.Now().UnixNano())
		app.Engine.Run(ctx)
	}
	if closeApp(app, stderr) != nil {
		return exitFailed
	}
	return status
}

// firstSync runs one pass, then prints the table of expected and published
// records per topic and a sample of decoded records.
func firstSync(ctx context.Context, app *connector.App, env *devEnv,
	stdout, stderr io.Writer) int {
	since := time.Now().Add(-7 * 24 * time.Hour)
	started := time.Now()
	results := app.Engine.SyncOnce(ctx, "")
	if printFailures(stderr, results) > 0 {
		return exitFailed
	}
	if ctx.Err() != nil {
		return fail(stderr, exitFailed, errors.New("dev interrupted"))
	}
	fmt.Fprintf(stdout, "first full sync took %s\n\n", time.Since(started).Round(time.Millisecond))
	want := orgTruth(env.org, since)
	got := app.Publisher.Counts()
	printCounts(stdout, app.Topics, got, want)
	if err := printSamples(ctx, stdout, app.Topics, env); err != nil {
		fmt.Fprintln(stderr, "okta-connector: reading samples:", err)
	}
	for stream, n := range want {
		if got[app.Topics.Topic(stream)].Records != n {
			return fail(stderr, exitFailed,
				fmt.Errorf("topic %s: published %d records, expected %d",
					app.Topics.Topic(stream), got[app.Topics.Topic(stream)].Records, n))
		}
	}
	return exitOK
}

func randomToken() string {
	b := make([]byte, 20)
	rand.Read(b)
	return hex.EncodeToString(b)
}
