package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/okta-connector/okta-connector/schemas"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
)

// TopicsConfig describes the topics the connector writes.
type TopicsConfig struct {
	Prefix            string        // e.g. "okta."
	Partitions        int32         // -1: the broker's default
	ReplicationFactor int16         // -1: the broker's default
	ActivityRetention time.Duration // retention.ms of the activity topic
}

// Topic returns the topic of a stream: the prefix, then the stream name
// (DESIGN §3).
func (c TopicsConfig) Topic(stream string) string { return c.Prefix + stream }

// topicConfigs returns the settings a stream's topic is created with:
// compacted for entities and markers (the latest value per key is the
// state), deleted by age for the System Log (DESIGN §3).
func (c TopicsConfig) topicConfigs(stream string) map[string]*string {
	if stream != StreamActivity {
		return map[string]*string{"cleanup.policy": ptr("compact")}
	}
	ms := strconv.FormatInt(c.ActivityRetention.Milliseconds(), 10)
	cfg := map[string]*string{"cleanup.policy": ptr("delete")}
	if c.ActivityRetention > 0 {
		cfg["retention.ms"] = &ms
	}
	return cfg
}

// EnsureTopics creates every stream's topic that is missing and warns, by
// name, about an existing topic whose cleanup policy differs from the one
// DESIGN §3 gives it (a compacted topic that deletes loses state; an
// activity topic that compacts keeps one event per tenant).
func EnsureTopics(ctx context.Context, adm *kadm.Client, cfg TopicsConfig,
	log *slog.Logger) error {
	for _, stream := range schemas.Published() {
		topic := cfg.Topic(stream)
		want := cfg.topicConfigs(stream)
		resp, err := adm.CreateTopic(ctx, cfg.Partitions, cfg.ReplicationFactor,
			want, topic)
		if err == nil {
			err = resp.Err
		}
		switch {
		case err == nil:
			log.Info("created topic", "topic", topic,
				"cleanup", *want["cleanup.policy"])
			continue
		case !errors.Is(err, kerr.TopicAlreadyExists):
			return fmt.Errorf("creating topic %q: %w", topic, err)
		}
		if err := checkCleanup(ctx, adm, topic, *want["cleanup.policy"], log); err != nil {
			return err
		}
	}
	return nil
}

// checkCleanup warns when an existing topic's cleanup policy is not want.
func checkCleanup(ctx context.Context, adm *kadm.Client, topic, want string,
	log *slog.Logger) error {
	rcs, err := adm.DescribeTopicConfigs(ctx, topic)
	if err != nil {
		return fmt.Errorf("describing topic %q: %w", topic, err)
	}
	rc, err := rcs.On(topic, nil)
	if err != nil {
		return fmt.Errorf("describing topic %q: %w", topic, err)
	}
	got := "delete" // Kafka's default when the topic does not say
	for _, c := range rc.Configs {
		if c.Key == "cleanup.policy" && c.Value != nil {
			got = *c.Value
		}
	}
	if got != want {
		log.Warn("topic has the wrong cleanup policy", "topic", topic,
			"cleanup", got, "want", want)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
