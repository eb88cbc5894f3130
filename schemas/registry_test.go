package schemas

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/sr"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

func topicOf(stream string) string { return "okta." + stream }

func newRegistry(t testing.TB) (*srfake.Registry, *sr.Client) {
	t.Helper()
	reg := srfake.New()
	t.Cleanup(reg.Close)
	cl, err := sr.NewClient(sr.URLs(reg.URL()))
	if err != nil {
		t.Fatal(err)
	}
	return reg, cl
}

func newRegistryCodec(t testing.TB, cl *sr.Client) *RegistryCodec {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := NewRegistryCodec(ctx, cl, topicOf)
	if err != nil {
		t.Fatalf("NewRegistryCodec: %v", err)
	}
	return c
}

func TestRegistryCodecRegisters(t *testing.T) {
	_, cl := newRegistry(t)
	c := newRegistryCodec(t, cl)
	ctx := context.Background()

	subjects, err := cl.Subjects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, name := range Published() {
		want = append(want, "okta."+name+"-value")
	}
	slices.Sort(subjects)
	slices.Sort(want)
	if diff := cmp.Diff(want, subjects); diff != "" {
		t.Errorf("subjects (-want +got):\n%s", diff)
	}
	for _, name := range Published() {
		t.Run(name, func(t *testing.T) {
			ss, err := cl.SchemaByVersion(ctx, topicOf(name)+"-value", -1)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := c.SchemaID(name), strconv.Itoa(ss.ID); got != want {
				t.Errorf("got SchemaID %q, want the registry's %q", got, want)
			}
			text, _ := Text(name)
			if ss.Schema.Schema != text {
				t.Error("registered schema text differs from the embedded .avsc")
			}
		})
	}

	again := newRegistryCodec(t, cl)
	for _, name := range Published() {
		if got, want := again.SchemaID(name), c.SchemaID(name); got != want {
			t.Errorf("%s: second registration got id %s, want the same %s", name, got, want)
		}
	}
}

func TestRegistryCodecRoundTrip(t *testing.T) {
	_, cl := newRegistry(t)
	c := newRegistryCodec(t, cl)
	remote, err := NewDecoder(cl)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range samples() {
		t.Run(s.stream, func(t *testing.T) {
			data, err := c.Encode(s.stream, s.full)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			id, _ := strconv.Atoi(c.SchemaID(s.stream))
			want := binary.BigEndian.AppendUint32([]byte{0x00}, uint32(id))
			if got := data[:5]; string(got) != string(want) {
				t.Errorf("got header % x, want % x", got, want)
			}
			out := s.newOut()
			if err := c.Decode(data, s.stream, out); err != nil {
				t.Fatalf("codec Decode: %v", err)
			}
			if diff := cmp.Diff(s.full, out, cmpOpts); diff != "" {
				t.Errorf("codec round trip (-in +out):\n%s", diff)
			}
			// A decoder that knows no ids fetches the schema by id.
			out = s.newOut()
			if err := remote.Decode(context.Background(), data, s.stream, out); err != nil {
				t.Fatalf("Decoder via registry: %v", err)
			}
			if diff := cmp.Diff(s.full, out, cmpOpts); diff != "" {
				t.Errorf("registry round trip (-in +out):\n%s", diff)
			}
		})
	}
}

// TestDecoderResolvesOlderWriter reads a value written with an older schema
// (no login, no email) into today's GroupMember: the new fields are null.
func TestDecoderResolvesOlderWriter(t *testing.T) {
	older := withoutFields(t, GroupMembers, "login", "email")
	type oldMember struct {
		TenantID   string    `avro:"tenant_id"`
		OktaDomain string    `avro:"okta_domain"`
		GroupID    string    `avro:"group_id"`
		UserID     string    `avro:"user_id"`
		SyncedAt   time.Time `avro:"synced_at"`
	}
	at := ms("2024-01-01T00:00:00.5Z")
	olderSchema, err := avro.ParseWithCache(older, "", &avro.SchemaCache{})
	if err != nil {
		t.Fatal(err)
	}
	body, err := avro.Marshal(olderSchema, oldMember{"acme", "acme.okta.com", "00g1", "00u1", at})
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDecoder(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.AddSchema(900, older); err != nil {
		t.Fatal(err)
	}
	data := append(binary.BigEndian.AppendUint32([]byte{0}, 900), body...)
	var got GroupMember
	if err := d.Decode(context.Background(), data, GroupMembers, &got); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := GroupMember{TenantID: "acme", OktaDomain: "acme.okta.com", GroupID: "00g1",
		UserID: "00u1", SyncedAt: at}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if err := d.AddSchema(900, mustText(t, GroupMembers)); err == nil {
		t.Error("got no error re-adding id 900 with another schema")
	}
}

func TestDecoderErrors(t *testing.T) {
	d, err := NewDecoder(nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "neither single-object nor confluent"},
		{"other magic", []byte{0x7b, 0x22}, "neither single-object nor confluent"},
		{"short confluent", []byte{0, 0, 1}, "not in the confluent wire format"},
		{"unknown id", []byte{0, 0, 0, 3, 0xe7, 2}, "unknown, and no registry"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := d.Decode(ctx, tc.data, Groups, new(Group))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestRegistryErrors: a failed registration names the registry and the
// subject, and never shows the password of a URL that carries one.
func TestRegistryErrors(t *testing.T) {
	const password = "s3cret-pw"
	reg, _ := newRegistry(t)
	reg.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost {
			return false
		}
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"error_code":50001,"message":"store unavailable"}`))
		return true
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := ln.Addr().String()
	ln.Close()

	tests := []struct {
		name, base string
		want       []string
		isResponse bool
	}{
		{"registry answers 500", reg.URL(),
			[]string{"store unavailable"}, true},
		{"registry unreachable", "http://" + closedAddr, []string{closedAddr}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := url.Parse(tc.base)
			if err != nil {
				t.Fatal(err)
			}
			u.User = url.UserPassword("svc", password)
			cl, err := sr.NewClient(sr.URLs(u.String()))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err = NewRegistryCodec(ctx, cl, topicOf)
			if err == nil {
				t.Fatal("got no error")
			}
			msg := err.Error()
			t.Logf("error: %s", msg)
			want := append(tc.want, `subject "okta.employees-value"`, u.Host)
			for _, w := range want {
				if !strings.Contains(msg, w) {
					t.Errorf("got error %q, want it to contain %q", msg, w)
				}
			}
			if strings.Contains(msg, password) {
				t.Errorf("error shows the password: %q", msg)
			}
			var re *sr.ResponseError
			if got := errors.As(err, &re); got != tc.isResponse {
				t.Errorf("got errors.As ResponseError %v, want %v", got, tc.isResponse)
			}
		})
	}
}

func mustText(t testing.TB, name string) string {
	t.Helper()
	text, err := Text(name)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// withoutFields returns a stream's schema text with the named top-level
// fields removed.
func withoutFields(t testing.TB, name string, drop ...string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(mustText(t, name)), &m); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, f := range m["fields"].([]any) {
		if !slices.Contains(drop, f.(map[string]any)["name"].(string)) {
			kept = append(kept, f)
		}
	}
	m["fields"] = kept
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
