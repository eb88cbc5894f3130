package kafkatest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
	"time"
)

// adminTimeout bounds each admin request of the helpers below.
const adminTimeout = 30 * time.Second

// TopicConfig returns the configs of topic as the broker reports them,
// defaults included, keyed by config name.
func TopicConfig(t testing.TB, brokers []string, topic string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	rcs, err := newAdmin(t, brokers).DescribeTopicConfigs(ctx, topic)
	if err != nil {
		t.Fatalf("describing configs of topic %q: %v", topic, err)
	}
	rc, err := rcs.On(topic, nil)
	if err == nil {
		err = rc.Err
	}
	if err != nil {
		t.Fatalf("describing configs of topic %q: %v", topic, err)
	}
	m := make(map[string]string, len(rc.Configs))
	for _, c := range rc.Configs {
		m[c.Key] = c.MaybeValue()
	}
	return m
}

// Partitions returns the partition count of topic.
func Partitions(t testing.TB, brokers []string, topic string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	tds, err := newAdmin(t, brokers).ListTopics(ctx, topic)
	if err != nil {
		t.Fatalf("describing topic %q: %v", topic, err)
	}
	td, ok := tds[topic]
	if !ok {
		t.Fatalf("describing topic %q: not in the broker's answer", topic)
	}
	if td.Err != nil {
		t.Fatalf("describing topic %q: %v", topic, td.Err)
	}
	return len(td.Partitions)
}

// CreateTopic creates topic with partitions and configs (replication as
// the broker's default) and fails the test unless the broker creates it.
func CreateTopic(
	t testing.TB, brokers []string, topic string, partitions int32, configs map[string]*string,
) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	resp, err := newAdmin(t, brokers).CreateTopic(ctx, partitions, -1, configs, topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil {
		t.Fatalf("creating topic %q: %v", topic, err)
	}
}

var unsafeTopicChars = regexp.MustCompile(`[^a-z0-9._-]+`)

// maxNameInPrefix keeps prefixes short: Kafka caps topic names at 249
// characters, and the product appends its own names to the prefix.
const maxNameInPrefix = 40

// UniqueTopicPrefix returns a topic name prefix, ending in ".", made of the
// test's name and random hex, so tests sharing one real broker (and reruns
// against it) never write to each other's topics.
func UniqueTopicPrefix(t testing.TB) string {
	t.Helper()
	name := unsafeTopicChars.ReplaceAllString(strings.ToLower(t.Name()), "-")
	name = strings.Trim(name, "-.")
	if len(name) > maxNameInPrefix {
		// The tail names the subtest, the most telling part.
		name = strings.Trim(name[len(name)-maxNameInPrefix:], "-.")
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("reading random bytes: %v", err)
	}
	return "test." + name + "." + hex.EncodeToString(b[:]) + "."
}

// StringPtr returns a pointer to s, for topic config maps.
func StringPtr(s string) *string { return &s }
