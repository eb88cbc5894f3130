package connector

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/connector/okta"
	"github.com/okta-connector/okta-connector/internal/oktasim"
	"github.com/okta-connector/okta-connector/schemas"
)

// BenchmarkPipelineDecodeEncode is the floor the connector's CPU time per
// record is compared with (issue 3, Speed): the simulator's pages of users,
// group members, app users and System Log events, replayed from memory
// through the Okta client (its decoder and pagers, no network), mapped to
// records and Avro-encoded, with nothing else. It reports wall and CPU
// (user plus system, garbage collection included, as in the connector's
// rusage) nanoseconds per record.
func BenchmarkPipelineDecodeEncode(b *testing.B) {
	org, err := oktasim.NewOrg(oktasim.OrgConfig{Seed: 5, Users: 5000, Groups: 40, Apps: 15,
		Events: 50000, LookBack: 48 * time.Hour, Token: "bench",
		Limits: oktasim.RateLimits{Off: true}})
	if err != nil {
		b.Fatalf("generating the org: %v", err)
	}
	srv := httptest.NewServer(org.Handler())
	defer srv.Close()
	tape := &replay{next: http.DefaultTransport, pages: map[string]*page{}}
	run := benchRun(b, srv.URL, tape)
	codec, err := schemas.NewSingleObjectCodec()
	if err != nil {
		b.Fatalf("creating the codec: %v", err)
	}
	since := time.Now().Add(-72 * time.Hour)
	n := decodeEncodeAll(b, run, codec, since) // records the tape
	tape.offline = true
	b.ReportAllocs()
	cpu0 := processCPU(b)
	for b.Loop() {
		if got := decodeEncodeAll(b, run, codec, since); got != n {
			b.Fatalf("replay: got %d records, want %d", got, n)
		}
	}
	records := float64(int64(b.N) * int64(n))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/records, "ns/record")
	b.ReportMetric(float64((processCPU(b)-cpu0).Nanoseconds())/records, "cpu-ns/record")
	b.ReportMetric(float64(n), "records/op")
}

// processCPU returns the CPU time this process used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("reading rusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchRun(b *testing.B, base string, tape *replay) *tenantRun {
	u, _ := url.Parse(base)
	cl, err := okta.New(okta.Config{BaseURL: u, RateShare: 1,
		Credentials: okta.Credentials{Token: okta.NewToken("bench")},
		HTTPClient:  &http.Client{Transport: tape}})
	if err != nil {
		b.Fatalf("creating the client: %v", err)
	}
	return &tenantRun{Tenant: Tenant{ID: "bench", Domain: u.Host, Client: cl},
		now: time.Now}
}

// decodeEncodeAll reads every listing a full sync reads and encodes each
// item as its record; it returns the number of records. The System Log is
// read from since, fixed so that every replay asks for the recorded URL.
func decodeEncodeAll(b *testing.B, t *tenantRun, codec schemas.Codec, since time.Time) int {
	ctx := context.Background()
	now := t.now()
	n := 0
	enc := func(stream string, v any) {
		if _, err := codec.Encode(stream, v); err != nil {
			b.Fatalf("encoding a %s record: %v", stream, err)
		}
		n++
	}
	each(b, t.Client.Users(okta.UserQuery{}), func(u okta.User) {
		enc(schemas.Employees, t.employee(u, now))
	})
	var groups []okta.Group
	each(b, t.Client.Groups(okta.GroupQuery{}), func(g okta.Group) { groups = append(groups, g) })
	for _, g := range groups {
		enc(schemas.Groups, t.group(g, now))
		each(b, t.Client.GroupMembers(g.ID, ""), func(u okta.User) {
			enc(schemas.GroupMembers, t.member(g.ID, u, now))
		})
	}
	var apps []okta.App
	each(b, t.Client.Apps(""), func(a okta.App) { apps = append(apps, a) })
	for _, a := range apps {
		enc(schemas.Apps, t.app(a, now))
		each(b, t.Client.AppUsers(a.ID, ""), func(u okta.AppUser) {
			enc(schemas.AppAssignments, t.assignment(a.ID, u, now))
		})
	}
	logs := t.Client.Logs(okta.LogQuery{Since: since})
	for {
		events, caughtUp, err := logs.Next(ctx)
		if err != nil {
			b.Fatalf("reading the system log: %v", err)
		}
		for _, e := range events {
			enc(schemas.Activity, t.event(e, now))
		}
		if caughtUp {
			return n
		}
	}
}

func each[T any](b *testing.B, p *okta.Pager[T], f func(T)) {
	for {
		items, err := p.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			b.Fatalf("listing: %v", err)
		}
		for _, it := range items {
			f(it)
		}
	}
}

// replay records every response by URL while online and serves them from
// memory once offline, so the timed loop spends nothing on HTTP.
type replay struct {
	next    http.RoundTripper
	mu      sync.Mutex
	pages   map[string]*page
	offline bool
}

type page struct {
	status int
	header http.Header
	body   []byte
}

func (r *replay) RoundTrip(req *http.Request) (*http.Response, error) {
	key := req.URL.String()
	r.mu.Lock()
	p, ok := r.pages[key]
	offline := r.offline
	r.mu.Unlock()
	if !ok {
		if offline {
			return nil, errors.New("replay: no recorded page for " + key)
		}
		resp, err := r.next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		p = &page{status: resp.StatusCode, header: resp.Header, body: body}
		r.mu.Lock()
		r.pages[key] = p
		r.mu.Unlock()
	}
	return &http.Response{StatusCode: p.status, Header: p.header.Clone(),
		Body: io.NopCloser(bytes.NewReader(p.body)), Request: req,
		ContentLength: int64(len(p.body))}, nil
}
