package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/okta-connector/okta-connector/connector"
	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/schemas"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"
)

// samplesPerTopic is how many decoded records dev shows per topic.
const samplesPerTopic = 2

// sampleWidth cuts a sample's JSON so a record fits a few terminal lines.
const sampleWidth = 400

// printSamples reads the first records of every topic back from the broker
// and prints them decoded with the registered schemas, under the schemas'
// field names, as any consumer would see them.
func printSamples(ctx context.Context, w io.Writer, topics connector.TopicsConfig,
	env *devEnv) error {
	reg, err := sr.NewClient(sr.URLs(env.reg.URL()))
	if err != nil {
		return err
	}
	dec, err := schemas.NewDecoder(reg)
	if err != nil {
		return err
	}
	for _, stream := range schemas.Published() {
		recs, err := firstRecords(ctx, env.kafka.ListenAddrs(), topics.Topic(stream))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n%s\n", topics.Topic(stream))
		for _, r := range recs {
			var v map[string]any
			if err := dec.Decode(ctx, r.Value, stream, &v); err != nil {
				return fmt.Errorf("decoding a record of %s: %w", topics.Topic(stream), err)
			}
			text, _ := json.Marshal(v)
			if len(text) > sampleWidth {
				text = append(text[:sampleWidth], "…"...)
			}
			fmt.Fprintf(w, "  key %s\n  %s\n", r.Key, text)
		}
	}
	return nil
}

// firstRecords reads up to samplesPerTopic non-tombstone records of topic.
func firstRecords(ctx context.Context, brokers []string, topic string) ([]*kgo.Record, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var out []*kgo.Record
	for len(out) < samplesPerTopic && ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			if r.Value != nil && len(out) < samplesPerTopic {
				out = append(out, r)
			}
		})
	}
	return out, nil
}

// simulate changes the org every few seconds, as people and admins would,
// until ctx ends: a profile edit, a sign-in event, now and then a
// membership change. Each mutation writes its System Log event.
func simulate(ctx context.Context, org *oktasim.Org, seed int64) {
	r := rand.New(rand.NewPCG(uint64(seed), 7))
	users, groups := org.Users(), org.Groups()
	titles := []string{"Engineer", "Analyst", "Designer", "Manager", "Director"}
	tick := time.NewTicker(3 * time.Second)
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		u := users[r.IntN(len(users))]
		_ = org.UpdateUser(u.ID, map[string]any{"title": titles[r.IntN(len(titles))]})
		_, _ = org.AddEvent(oktasim.EventInput{EventType: "user.session.start",
			ActorID: u.ID})
		if n%3 == 0 && len(groups) > 1 {
			g := groups[1+r.IntN(len(groups)-1)]
			_ = org.AddGroupMember(g.ID, u.ID)
		}
	}
}
