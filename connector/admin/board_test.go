package admin

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/connector/okta"
)

func TestClassify(t *testing.T) {
	unauth := &okta.Error{Status: 401, Code: "E0000011", Path: "/api/v1/users"}
	tests := []struct {
		name      string
		err       error
		wantState State
		wantWords string
	}{
		{"revoked token, wrapped", fmt.Errorf("listing users: %w", unauth),
			StateAuthFailed, unauth.Advice()},
		{"owner lacks access", &okta.Error{Status: 403, Code: "E0000006",
			Resource: "the System Log"}, StateForbidden,
			"the token's owner lacks read access to the System Log"},
		{"missing scope", &okta.Error{Status: 403, Challenge: "insufficient_scope",
			Scope: "okta.logs.read"}, StateForbidden, "the service app lacks the scope " +
			"okta.logs.read: grant it on the app's Okta API Scopes tab and reconnect"},
		{"okta down", &okta.Error{Status: 503, Code: "E0000010"}, StateOktaUnavailable,
			"Okta kept failing past the retry budget; the next cycle retries"},
		{"rate limited", &okta.Error{Status: 429}, StateOktaUnavailable,
			"still rate limited after waiting: lower the rate share, spread the " +
				"schedules or ask Okta for a higher limit"},
		{"bad request", &okta.Error{Status: 400, Code: "E0000001", Path: "/api/v1/logs"},
			StateError, `/api/v1/logs: 400 E0000001`},
		{"no answer", &url.Error{Op: "Get", URL: "https://acme.okta.com/api/v1/org",
			Err: errors.New("connection refused")}, StateOktaUnavailable,
			`Get "https://acme.okta.com/api/v1/org": connection refused`},
		{"rate wait over the cap", fmt.Errorf("x: %w", okta.ErrRateWaitTooLong),
			StateOktaUnavailable, "x: okta: rate-limit wait over the cap"},
		{"kafka", errors.New("producing: NOT_ENOUGH_REPLICAS"), StateError,
			"producing: NOT_ENOUGH_REPLICAS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			state, words := Classify(tt.err)
			if state != tt.wantState || words != tt.wantWords {
				t.Errorf("Classify: got (%s, %q), want (%s, %q)",
					state, words, tt.wantState, tt.wantWords)
			}
		})
	}
}

// TestBoardLifecycle walks one stream through a sync, a failure, a
// cancelled sync and a removal, on a clock the test moves.
func TestBoardLifecycle(t *testing.T) {
	now := fixedNow
	b := NewStatusBoard(func() time.Time { return now })
	at := func(d time.Duration) *time.Time { v := fixedNow.Add(d); return &v }
	lag := func(s float64) *float64 { return &s }

	b.Start("acme", "activity")
	now = now.Add(time.Minute)
	b.Success("acme", "activity", fixedNow.Add(-30*time.Second))
	now = now.Add(time.Minute)
	b.Start("acme", "activity")
	b.Failure("acme", "activity", &okta.Error{Status: 503})
	b.Start("acme", "employees")
	b.Failure("acme", "employees", fmt.Errorf("stopping: %w", context.Canceled))
	b.Start("zeta", "apps")

	want := Status{Time: now, Tenants: []TenantStatus{
		{Tenant: "acme", State: StateOktaUnavailable, Streams: []StreamStatus{{
			Stream: "activity", State: StateOktaUnavailable, Since: *at(2 * time.Minute),
			LastSuccess: at(time.Minute),
			LastError:   "Okta kept failing past the retry budget; the next cycle retries",
			LastErrorDetail: ": 503: Okta kept failing past the retry budget; " +
				"the next cycle retries",
			LastErrorAt: at(2 * time.Minute), LagSeconds: lag(150),
		}}},
		{Tenant: "zeta", State: StateSyncing, Streams: []StreamStatus{{
			Stream: "apps", State: StateSyncing, Since: *at(2 * time.Minute)}}},
	}}
	if diff := cmp.Diff(want, b.Snapshot()); diff != "" {
		t.Errorf("snapshot (-want +got):\n%s", diff)
	}

	b.Remove("zeta")
	if got := len(b.Snapshot().Tenants); got != 1 {
		t.Errorf("tenants after Remove: got %d, want 1", got)
	}
}

// TestBoardConfigError: a tenant that cannot start shows as config_error
// with the reason, over whatever its streams last did, keeps the time it
// first failed while the reason stays, and leaves the board once fixed.
func TestBoardConfigError(t *testing.T) {
	now := fixedNow
	b := NewStatusBoard(func() time.Time { return now })
	at := func(d time.Duration) *time.Time { v := fixedNow.Add(d); return &v }
	missing := errors.New(`tenants file "t.yaml" line 3: tenant bad: token_file: ` +
		"reading secret: no such file; put the token in that file or correct token_file")

	b.ConfigError("bad", missing)
	b.Start("good", "activity")
	b.Success("good", "activity", time.Time{})
	b.Start("kept", "apps")
	now = now.Add(time.Minute)
	b.ConfigError("kept", missing)
	b.ConfigError("bad", missing) // retried: still failing since the start

	want := Status{Time: now, Tenants: []TenantStatus{
		{Tenant: "bad", State: StateConfigError, ConfigError: missing.Error(),
			ConfigErrorAt: at(0), Streams: []StreamStatus{}},
		{Tenant: "good", State: StateOK, Streams: []StreamStatus{{
			Stream: "activity", State: StateOK, Since: fixedNow, LastSuccess: at(0)}}},
		{Tenant: "kept", State: StateConfigError, ConfigError: missing.Error(),
			ConfigErrorAt: at(time.Minute), Streams: []StreamStatus{{
				Stream: "apps", State: StateSyncing, Since: fixedNow}}},
	}}
	if diff := cmp.Diff(want, b.Snapshot()); diff != "" {
		t.Errorf("snapshot (-want +got):\n%s", diff)
	}

	b.ConfigFixed("bad")
	b.Remove("kept")
	var got []string
	for _, ts := range b.Snapshot().Tenants {
		got = append(got, ts.Tenant+"="+string(ts.State))
	}
	if diff := cmp.Diff([]string{"good=ok"}, got); diff != "" {
		t.Errorf("after ConfigFixed and Remove (-want +got):\n%s", diff)
	}
}
