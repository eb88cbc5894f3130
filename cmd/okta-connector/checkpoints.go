package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/connector/config"
	"github.com/okta-connector/okta-connector/connector/ops"
)

// checkpointsUsage lists the subcommands of `checkpoints`.
const checkpointsUsage = `usage: okta-connector checkpoints <list|show|reset|set|audit> [flags]

  list    every tenant × stream: position, watermark, last success, lag,
          and the changes still queued
  show    one tenant's checkpoints (--tenant, optional --stream); long
          lists show their count and first and last entries (--full: all)
  reset   a full resync of a stream, or of every stream of a tenant
  set     the activity stream to a time (--since), or a stream with a
          watermark to it (--watermark)
  audit   the trail of changes: who, when, why, old and new

reset and set need --reason and validate before writing; --dry-run shows
the change and writes nothing. While a connector runs, the change is
queued and applied at the stream's next cycle.`

// cpFlags are the flags of every checkpoints subcommand.
type cpFlags struct {
	tenant, stream, reason, since, watermark string
	dryRun, full                             bool
}

// cmdCheckpoints lists, shows, resets and sets checkpoints on the store
// CHECKPOINT_STORE names, while connectors run or not.
func cmdCheckpoints(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signalContext()
	defer stop()
	return runCheckpoints(ctx, os.Environ(), args, stdout, stderr)
}

// runCheckpoints is cmdCheckpoints on a given environment.
func runCheckpoints(ctx context.Context, environ, args []string,
	stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, checkpointsUsage)
		return exitUsage
	}
	sub := args[0]
	run, ok := cpSubcommands[sub]
	if !ok {
		fmt.Fprintf(stderr, "okta-connector: unknown checkpoints command %q\n\n%s\n", sub,
			checkpointsUsage)
		return exitUsage
	}
	fs := flag.NewFlagSet("checkpoints "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f cpFlags
	fs.StringVar(&f.tenant, "tenant", "", "the tenant id")
	fs.StringVar(&f.stream, "stream", "", "the stream (employees, groups, apps, activity, …)")
	fs.StringVar(&f.reason, "reason", "", "why: recorded in the audit trail (reset, set)")
	fs.StringVar(&f.since, "since", "",
		"activity: replay from this time, RFC 3339 or a duration ago such as 48h or 7d")
	fs.StringVar(&f.watermark, "watermark", "",
		"employees, groups, apps: the new lastUpdated watermark, RFC 3339 or a duration ago")
	fs.BoolVar(&f.dryRun, "dry-run", false, "show the change, write nothing")
	fs.BoolVar(&f.full, "full", false,
		"show: print long lists (recent event uuids, versions) in full")
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return fail(stderr, exitUsage, fmt.Errorf("checkpoints %s: unexpected %q", sub,
			fs.Arg(0)))
	}
	// The commands read and write checkpoints only: the tenants' ids are
	// all they need of them, not their tokens.
	o, err := loadOffline(config.LoadEnvWithoutCredentials, environ, stderr)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	now := time.Now().UTC()
	writes := sub == "reset" || sub == "set"
	if writes || sub == "show" {
		// Refused as typed, before the store is opened: a usage error
		// whatever state the store is in.
		if err := (cpRun{o: o}).scope().Check(f.tenant, f.stream); err != nil {
			return fail(stderr, exitUsage, fmt.Errorf("checkpoints %s: %w", sub, err))
		}
	}
	t, closeTarget, err := openTarget(ctx, o, writes && !f.dryRun, stdout)
	if err != nil {
		return fail(stderr, exitFailed, err)
	}
	defer closeTarget()
	if err := run(ctx, cpRun{out: stdout, o: o, t: t, f: f, now: now}); err != nil {
		var ue usageError
		if errors.As(err, &ue) || errors.Is(err, ops.ErrInvalidRequest) {
			return fail(stderr, exitUsage, err)
		}
		return fail(stderr, exitFailed, err)
	}
	return exitOK
}

// usageError is a flag value that cannot be read.
type usageError struct{ error }

// cpRun is what a checkpoints subcommand works with.
type cpRun struct {
	out io.Writer
	o   offline
	t   ops.Target
	f   cpFlags
	now time.Time
}

// cpSubcommands maps each subcommand to its code.
var cpSubcommands = map[string]func(ctx context.Context, r cpRun) error{
	"list": func(ctx context.Context, r cpRun) error {
		return ops.List(ctx, r.out, r.t, r.scope(), r.now)
	},
	"show": func(ctx context.Context, r cpRun) error {
		t := r.t
		if !r.f.full {
			t.Reader = briefReader{t.Reader}
		}
		return ops.Show(ctx, r.out, t, r.scope(), r.f.tenant, r.f.stream)
	},
	"audit": func(ctx context.Context, r cpRun) error {
		return ops.Audit(ctx, r.out, r.t.Audit, r.f.tenant, r.f.stream)
	},
	"reset": func(ctx context.Context, r cpRun) error {
		return ops.Reset(ctx, r.out, r.t, ops.ResetOptions{Scope: r.scope(),
			Change: r.change(), Tenant: r.f.tenant, Stream: r.f.stream,
			Lookback: r.lookback()})
	},
	"set": func(ctx context.Context, r cpRun) error {
		since, err := pointInTime("--since", r.f.since, r.now)
		if err != nil {
			return err
		}
		wm, err := pointInTime("--watermark", r.f.watermark, r.now)
		if err != nil {
			return err
		}
		return ops.Set(ctx, r.out, r.t, ops.SetOptions{Scope: r.scope(), Change: r.change(),
			Tenant: r.f.tenant, Stream: r.f.stream, Since: since, Watermark: wm})
	},
}

// scope is what the configuration knows: its tenants and every stream.
func (r cpRun) scope() ops.Scope {
	s := ops.Scope{}
	for _, t := range r.o.tenants {
		s.Tenants = append(s.Tenants, t.ID)
	}
	return s
}

// change is the operator's change request of this run.
func (r cpRun) change() ops.Change {
	return ops.Change{Reason: r.f.reason, DryRun: r.f.dryRun, Now: r.now}
}

// lookback is where a reset activity stream of the tenant starts reading:
// its ACTIVITY_LOOKBACK (tenants file override included).
func (r cpRun) lookback() time.Duration {
	for _, t := range r.o.tenants {
		if t.ID == r.f.tenant {
			return t.Schedules.ActivityLookback
		}
	}
	return r.o.cfg.Schedules.ActivityLookback
}

// pointInTime reads a time given as RFC 3339 or as a duration before now
// ("48h", "90m", or whole days as "7d"); empty is the zero time.
func pointInTime(name, v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	if days, ok := strings.CutSuffix(v, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return time.Time{}, usageError{fmt.Errorf("%s %q: want an RFC 3339 time such as "+
			"2026-03-01T00:00:00Z or a duration ago such as 48h or 7d", name, v)}
	}
	return now.Add(-d), nil
}

// openTarget opens the store CHECKPOINT_STORE names for the commands. With
// the file store, a write takes the directory's lock when it is free and
// writes at once; when a connector holds it, and for every read, nothing
// is locked: reads go to the files and changes to the inbox. A directory
// that does not exist yet holds no checkpoint, which it says on note.
// With the Kafka store, changes always go to the inbox. The returned
// function closes what was opened.
func openTarget(ctx context.Context, o offline, write bool, note io.Writer) (ops.Target,
	func(), error) {
	cfg := o.cfg.Checkpoints
	if cfg.Store == "kafka" {
		ks, err := connector.OpenKafkaStore(ctx, o.cfg, o.log)
		if err != nil {
			return ops.Target{}, nil, err
		}
		return ops.Target{Reader: ks, Inbox: ks, Audit: ks}, func() { _ = ks.Close() }, nil
	}
	if write {
		st, err := checkpoint.NewFileStore(cfg.Dir)
		if err == nil {
			return ops.Target{Reader: st, Store: st, Audit: st}, func() { _ = st.Close() }, nil
		}
		if !errors.Is(err, checkpoint.ErrInUse) {
			return ops.Target{}, nil, err
		}
		o.log.Info("a connector holds the checkpoint store; queueing the change for it",
			"reason", err)
	}
	t := ops.Target{Inbox: checkpoint.NewFileInbox(cfg.Dir),
		Audit: checkpoint.NewFileAudit(cfg.Dir)}
	r, err := checkpoint.NewFileReader(cfg.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Not an error before the first sync, which creates it.
		fmt.Fprintf(note, "no checkpoints yet: CHECKPOINT_DIR %s does not exist\n", cfg.Dir)
		t.Reader = noCheckpoints{}
	case err != nil:
		return ops.Target{}, nil, fmt.Errorf("reading checkpoints (CHECKPOINT_DIR): %w", err)
	default:
		t.Reader = r
	}
	return t, func() {}, nil
}
