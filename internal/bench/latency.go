package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/okta-connector/okta-connector/schemas"
)

const (
	// activityPoll is the connector's default System Log poll interval
	// (ACTIVITY_POLL_INTERVAL), which the latency row runs with.
	activityPoll = 30 * time.Second
	// latencyTimeout gives up on the record well past the target of two
	// poll intervals, so a miss shows as an error rather than a hang.
	latencyTimeout = 4 * activityPoll
	// settleTimeout bounds the daemon's first cycle.
	settleTimeout = 3 * time.Minute
)

// runLatency starts okta-connector run, waits for its first cycle to reach
// the System Log, deactivates a user in the simulator and times the
// user's DEPROVISIONED record on Kafka.
func runLatency(ctx context.Context, cfg Config, s *sim, b *broker,
	run connRun) (*LatencyResult, error) {
	id, err := s.activeUser(ctx)
	if err != nil {
		return nil, err
	}
	topic := run.prefix + schemas.Employees
	cl, err := tailClient(ctx, b, topic)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	if err := s.resetRequests(ctx); err != nil {
		return nil, err
	}
	run.command = "run"
	p, err := start(run.spec(cfg))
	if err != nil {
		return nil, err
	}
	p.drain()
	defer p.stop()
	if err := waitForLogsPoll(ctx, s); err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := s.deactivate(ctx, id); err != nil {
		return nil, err
	}
	seen, err := awaitStatus(ctx, cl, tenantID+"/"+id, "DEPROVISIONED")
	if err != nil {
		return nil, err
	}
	return &LatencyResult{Latency: secs(seen.Sub(t0)), PollInterval: secs(activityPoll)},
		nil
}

// waitForLogsPoll waits until the daemon has read the System Log once:
// its first cycle is over and the next poll is at most an interval away.
func waitForLogsPoll(ctx context.Context, s *sim) error {
	deadline := time.Now().Add(settleTimeout)
	for time.Now().Before(deadline) {
		reqs, err := s.requests(ctx)
		if err != nil {
			return err
		}
		for _, r := range reqs {
			if strings.HasPrefix(r.Path, "/api/v1/logs") {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return fmt.Errorf("waiting for the daemon's first System Log poll: none after %s",
		settleTimeout)
}

// tailClient consumes topic from its current end.
func tailClient(ctx context.Context, b *broker, topic string) (*kgo.Client, error) {
	admin, err := kgo.NewClient(kgo.SeedBrokers(b.addrs...))
	if err != nil {
		return nil, fmt.Errorf("connecting to %v: %w", b.addrs, err)
	}
	offs, err := kadm.NewClient(admin).ListEndOffsets(ctx, topic)
	admin.Close()
	if err != nil {
		return nil, fmt.Errorf("listing end offsets of %q: %w", topic, err)
	}
	start := map[string]map[int32]kgo.Offset{topic: {}}
	offs.Each(func(o kadm.ListedOffset) {
		start[topic][o.Partition] = kgo.NewOffset().At(o.Offset)
	})
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.addrs...), kgo.ConsumePartitions(start))
	if err != nil {
		return nil, fmt.Errorf("connecting to %v: %w", b.addrs, err)
	}
	return cl, nil
}

// awaitStatus returns when a record of key with the status arrived.
func awaitStatus(ctx context.Context, cl *kgo.Client, key, status string) (time.Time, error) {
	codec, err := schemas.NewSingleObjectCodec()
	if err != nil {
		return time.Time{}, fmt.Errorf("building codec: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, latencyTimeout)
	defer cancel()
	for {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return time.Time{}, fmt.Errorf("waiting for %s %s on Kafka: none after %s",
				key, status, latencyTimeout)
		}
		now := time.Now()
		var found bool
		fs.EachRecord(func(r *kgo.Record) {
			if string(r.Key) != key || r.Value == nil {
				return
			}
			var e schemas.Employee
			if codec.Decode(r.Value, schemas.Employees, &e) == nil && e.Status == status {
				found = true
			}
		})
		if found {
			return now, nil
		}
	}
}
