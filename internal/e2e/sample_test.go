package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/schemas"
)

// encoder is the part of schemas.Codec these tests use.
type encoder interface {
	Encode(stream string, v any) ([]byte, error)
}

const sampleTenant = "acme"

var sampleTime = time.Date(2024, 5, 1, 10, 0, 0, 123e6, time.UTC)

func str(s string) *string { return &s }

// sample is a small hand-made output of the connector: two employees (one
// with a Cyrillic name, a null department and a cleared custom attribute,
// one with a CJK name) and a membership that ended in a tombstone.
func sample(t testing.TB, codec encoder, prefix string) []*kgo.Record {
	t.Helper()
	employee := func(id, first string, dept *string) *kgo.Record {
		return record(t, codec, prefix, schemas.Employees, sampleTenant+"/"+id,
			schemas.Employee{
				TenantID: sampleTenant, OktaDomain: "acme.okta.com", ID: id,
				Status: "ACTIVE", Created: sampleTime, LastUpdated: sampleTime,
				Login: id + "@acme.example", FirstName: str(first), Department: dept,
				CustomAttributes: map[string]*string{"costCode": str("42"), "cleared": nil},
				SyncedAt:         sampleTime,
			})
	}
	member := func(group, user string) *kgo.Record {
		return record(t, codec, prefix, schemas.GroupMembers,
			sampleTenant+"/"+group+"/"+user, schemas.GroupMember{
				TenantID: sampleTenant, OktaDomain: "acme.okta.com",
				GroupID: group, UserID: user, SyncedAt: sampleTime,
			})
	}
	ended := member("00g1", "00u2")
	ended.Value = nil
	return []*kgo.Record{
		employee("00u1", "Дмитрий", nil),
		employee("00u2", "李小龍", str("Sales")),
		member("00g1", "00u1"),
		member("00g1", "00u2"),
		ended,
	}
}

// sampleTruth is what sample wrote.
func sampleTruth() Truth {
	return Truth{
		Topics: map[string]TopicTruth{
			schemas.Employees: {
				Upserts: Count(2), Tombstones: Count(0),
				Keys: []string{"acme/00u1", "acme/00u2"},
			},
			schemas.GroupMembers: {
				Upserts: Count(2), Tombstones: Count(1),
				Keys: []string{"acme/00g1/00u1", "acme/00g1/00u2"},
			},
		},
		Values: []ValueCheck{
			{Topic: schemas.Employees, Key: "acme/00u1", Field: "first_name",
				Want: "Дмитрий", Why: "a Cyrillic name"},
			{Topic: schemas.Employees, Key: "acme/00u2", Field: "first_name",
				Want: "李小龍", Why: "a CJK name"},
			{Topic: schemas.Employees, Key: "acme/00u1", Field: "department",
				Want: nil, Why: "a null department"},
			{Topic: schemas.Employees, Key: "acme/00u1",
				Field: "custom_attributes.costCode", Want: "42", Why: "a custom attribute"},
			{Topic: schemas.Employees, Key: "acme/00u1",
				Field: "custom_attributes.cleared", Want: nil, Why: "a cleared attribute"},
			{Topic: schemas.Employees, Key: "acme/00u1", Field: "created",
				Want: "2024-05-01T10:00:00.123Z", Why: "a timestamp-millis"},
		},
	}
}

func record(t testing.TB, codec encoder, prefix, stream, key string, v any) *kgo.Record {
	t.Helper()
	value, err := codec.Encode(stream, v)
	if err != nil {
		t.Fatalf("encoding a %s record: %v", stream, err)
	}
	return &kgo.Record{Topic: prefix + stream, Key: []byte(key), Value: value}
}

// createTopics creates the sample's topics: a real broker in CI does not
// create topics on first produce.
func createTopics(t testing.TB, brokers []string, prefix string) {
	t.Helper()
	for _, s := range []string{schemas.Employees, schemas.GroupMembers} {
		kafkatest.CreateTopic(t, brokers, prefix+s, 3, nil)
	}
}

// produce writes recs idempotently and returns them with partition and
// offset filled in.
func produce(t testing.TB, brokers []string, recs ...*kgo.Record) []*kgo.Record {
	t.Helper()
	cl := kafkatest.NewClient(t, brokers)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("producing %d records: %v", len(recs), err)
	}
	return recs
}

// produceAborted writes recs in a transaction that it aborts, so a
// read_committed reader must never see them.
func produceAborted(t testing.TB, brokers []string, recs ...*kgo.Record) {
	t.Helper()
	cl := kafkatest.NewClient(t, brokers, kgo.TransactionalID(t.Name()))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatalf("beginning a transaction: %v", err)
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("producing %d records in a transaction: %v", len(recs), err)
	}
	if err := cl.EndTransaction(ctx, kgo.TryAbort); err != nil {
		t.Fatalf("aborting a transaction: %v", err)
	}
}

func registryCodec(t testing.TB, url, prefix string) encoder {
	t.Helper()
	cl, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatalf("creating a registry client of %s: %v", url, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	codec, err := schemas.NewRegistryCodec(ctx, cl, func(s string) string { return prefix + s })
	if err != nil {
		t.Fatalf("registering schemas at %s: %v", url, err)
	}
	return codec
}

func soeCodec(t testing.TB) encoder {
	t.Helper()
	codec, err := schemas.NewSingleObjectCodec()
	if err != nil {
		t.Fatalf("creating the single-object codec: %v", err)
	}
	return codec
}
