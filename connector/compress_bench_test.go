package connector

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/schemas"
)

// BenchmarkBatchCompression weighs the producer's compression choices on
// the connector's own records: Avro values of a simulated org's users,
// memberships and System Log events with their keys, cut into batches of
// the size a page of each yields, compressed with kgo's compressor. It
// reports the CPU cost per input byte (ns/op over bytes/op) and the
// compressed share of the input (ratio, lower is better); NewProducer's
// comment quotes its figures.
func BenchmarkBatchCompression(b *testing.B) {
	batches := recordBatches(b)
	var in int
	for _, batch := range batches {
		in += len(batch)
	}
	codecs := []struct {
		name  string
		codec kgo.CompressionCodec
	}{
		{"zstd-fastest", kgo.ZstdCompression().WithLevel(int(zstd.SpeedFastest))},
		{"zstd-default", kgo.ZstdCompression()},
		{"lz4", kgo.Lz4Compression()},
		{"snappy", kgo.SnappyCompression()},
	}
	for _, c := range codecs {
		b.Run(c.name, func(b *testing.B) {
			comp, err := kgo.DefaultCompressor(c.codec)
			if err != nil {
				b.Fatalf("creating the compressor: %v", err)
			}
			var buf bytes.Buffer
			var out int
			b.SetBytes(int64(in))
			for b.Loop() {
				out = 0
				for _, batch := range batches {
					buf.Reset()
					got, _ := comp.Compress(&buf, batch)
					out += len(got)
				}
			}
			b.ReportMetric(float64(out)/float64(in), "ratio")
		})
	}
}

// recordBatches returns the key and value bytes of one page of each
// listing a full sync reads, one batch per page, as a producer batches
// them for a partition.
func recordBatches(b *testing.B) [][]byte {
	org, err := oktasim.NewOrg(oktasim.OrgConfig{Seed: 7, Users: 2000, Groups: 10, Apps: 5,
		Events: 20000, LookBack: 48 * time.Hour, Token: "bench",
		Limits: oktasim.RateLimits{Off: true}})
	if err != nil {
		b.Fatalf("generating the org: %v", err)
	}
	srv := httptest.NewServer(org.Handler())
	defer srv.Close()
	run := benchRun(b, srv.URL, &replay{next: http.DefaultTransport, pages: map[string]*page{}})
	codec, err := schemas.NewSingleObjectCodec()
	if err != nil {
		b.Fatalf("creating the codec: %v", err)
	}
	var batches [][]byte
	var cur bytes.Buffer
	add := func(stream, key string, v any) {
		val, err := codec.Encode(stream, v)
		if err != nil {
			b.Fatalf("encoding a %s record: %v", stream, err)
		}
		cur.WriteString(key)
		cur.Write(val)
	}
	cut := func() {
		if cur.Len() > 0 {
			batches = append(batches, bytes.Clone(cur.Bytes()))
			cur.Reset()
		}
	}
	now := time.Now()
	users := run.Client.Users(okta.UserQuery{})
	eachPage(b, users.Next, func(us []okta.User) {
		for _, u := range us {
			add(schemas.Employees, EntityKey(run.ID, u.ID), run.employee(u, now))
		}
		cut()
	})
	var groups []okta.Group
	eachPage(b, run.Client.Groups(okta.GroupQuery{}).Next, func(gs []okta.Group) {
		groups = append(groups, gs...)
	})
	for _, g := range groups {
		eachPage(b, run.Client.GroupMembers(g.ID, "").Next, func(us []okta.User) {
			for _, u := range us {
				add(schemas.GroupMembers, PairKey(run.ID, g.ID, u.ID), run.member(g.ID, u, now))
			}
			cut()
		})
	}
	logs := run.Client.Logs(okta.LogQuery{Since: now.Add(-72 * time.Hour)})
	for {
		events, caughtUp, err := logs.Next(b.Context())
		if err != nil {
			b.Fatalf("reading the system log: %v", err)
		}
		for _, e := range events {
			add(schemas.Activity, TenantKey(run.ID), run.event(e, now))
		}
		cut()
		if caughtUp {
			break
		}
	}
	if len(batches) == 0 {
		b.Fatal("no batch to compress")
	}
	return batches
}

// eachPage calls f with every page of a listing.
func eachPage[T any](b *testing.B, next func(ctx context.Context) ([]T, error), f func([]T)) {
	for {
		items, err := next(b.Context())
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			b.Fatalf("listing: %v", err)
		}
		f(items)
	}
}
