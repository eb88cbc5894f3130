package okta

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDecodePageProfiles checks what the faster decoder must keep from
// encoding/json: a profile attribute sent as null stays null, a missing one
// stays missing, strings lose their quotes and escapes, other values keep
// their JSON text, and unknown names anywhere are ignored.
func TestDecodePageProfiles(t *testing.T) {
	body := `[{"id":"00u1","unknown":{"deep":[1,2]},"created":"2024-06-11T08:00:00.000Z",
		"lastUpdated":"2024-06-11T08:00:01Z","lastLogin":null,
		"profile":{"login":"a@example.com","title":null,"nick":"tab\there \u00e9",
		"level":3,"tags":["x"]},"type":{"id":"oty1","extra":true}}]`
	users, err := decodePage[User](strings.NewReader(body))
	if err != nil {
		t.Fatalf("decoding: %v", err)
	}
	if len(users) != 1 {
		t.Fatalf("got %d users, want 1", len(users))
	}
	u := users[0]
	str := func(s string) *string { return &s }
	tests := []struct {
		attr string
		want *string
	}{
		{"login", str("a@example.com")},
		{"title", nil},
		{"nick", str("tab\there é")},
		{"level", str("3")},
		{"tags", str(`["x"]`)},
		{"absent", nil},
	}
	for _, tt := range tests {
		t.Run(tt.attr, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, u.Profile.String(tt.attr)); diff != "" {
				t.Errorf("String(%q) (-want +got):\n%s", tt.attr, diff)
			}
		})
	}
	if raw, ok := u.Profile["title"]; !ok || string(raw) != "null" {
		t.Errorf("got title %q (present %v), want the raw value null", raw, ok)
	}
	if _, ok := u.Profile["absent"]; ok {
		t.Error("got an absent attribute in the profile, want none")
	}
	wantCreated := time.Date(2024, 6, 11, 8, 0, 0, 0, time.UTC)
	if !u.Created.Equal(wantCreated) || u.LastLogin != nil || u.Type == nil ||
		u.Type.ID != "oty1" {
		t.Errorf("got created %v, last login %v, type %+v; want %v, nil, oty1",
			u.Created, u.LastLogin, u.Type, wantCreated)
	}
}

// TestDecodePageMalformed checks that a page which is not one whole JSON
// array of the item type fails whole, with no items and a reason.
func TestDecodePageMalformed(t *testing.T) {
	tests := []struct {
		name, body string
		want       string
	}{
		{"empty", ``, "unexpected EOF"},
		{"null", `null`, "want '['"},
		{"object", `{"id":"00u1"}`, "want '['"},
		{"cut in an item", `[{"id":"00u1"`, "item 0"},
		{"cut after an item", `[{"id":"00u1"},`, "item 1"},
		{"wrong type", `[{"id":"00u1"},{"id":2}]`, "item 1"},
		{"bad time", `[{"id":"00u1","created":"yesterday"}]`, "item 0"},
		{"trailing array", `[{"id":"00u1"}] []`, "trailing data"},
		{"trailing garbage", `[{"id":"00u1"}]x`, "trailing data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			users, err := decodePage[User](strings.NewReader(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one containing %q", err, tt.want)
			}
			if users != nil {
				t.Errorf("got %d users with the error, want none", len(users))
			}
		})
	}
}

// TestDecodePageLarge decodes a page far larger than the read buffer, so
// that items straddle reads, and checks every item arrived in order.
func TestDecodePageLarge(t *testing.T) {
	var b strings.Builder
	const n = 3000
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"uuid":"ev-%d","eventType":"user.session.start",`+
			`"published":"2024-06-11T08:00:00.%03dZ","debugContext":{"debugData":`+
			`{"pad":%q}}}`, i, i%1000, strings.Repeat("p", i%200))
	}
	b.WriteString("]")
	if b.Len() <= readBufferSize {
		t.Fatalf("got a %d-byte page, want one over %d", b.Len(), readBufferSize)
	}
	events, err := decodePage[LogEvent](strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("decoding: %v", err)
	}
	if len(events) != n {
		t.Fatalf("got %d events, want %d", len(events), n)
	}
	for i, e := range events {
		if want := fmt.Sprintf("ev-%d", i); e.UUID != want {
			t.Fatalf("event %d: got uuid %q, want %q", i, e.UUID, want)
		}
	}
}

// TestDecodeObject checks single values: names match in any case, as
// encoding/json did for untagged fields, and trailing data is refused.
func TestDecodeObject(t *testing.T) {
	var v struct{ Domains []Domain }
	body := `{"domains":[{"id":"OcD1","domain":"login.example.com"}],"_links":{}}`
	if err := decodeObject(strings.NewReader(body), &v); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	want := []Domain{{ID: "OcD1", Domain: "login.example.com"}}
	if diff := cmp.Diff(want, v.Domains); diff != "" {
		t.Errorf("domains (-want +got):\n%s", diff)
	}
	var org Org
	if err := decodeObject(strings.NewReader(`{"id":"o1"} {}`), &org); err == nil {
		t.Error("got no error for trailing data, want one")
	}
	err := decodeObject(strings.NewReader(``), &org)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("got %v for an empty body, want io.ErrUnexpectedEOF", err)
	}
}
