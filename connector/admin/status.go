package admin

import "time"

// Status is the /status document.
type Status struct {
	Time    time.Time      `json:"time"`
	Tenants []TenantStatus `json:"tenants"`
}

// TenantStatus is one tenant: the worst state of its streams, and each.
// A tenant whose configuration cannot be used is in StateConfigError,
// with ConfigError saying why and how to fix it (never a secret).
type TenantStatus struct {
	Tenant        string         `json:"tenant"`
	State         State          `json:"state"`
	ConfigError   string         `json:"config_error,omitempty"`
	ConfigErrorAt *time.Time     `json:"config_error_at,omitempty"`
	Streams       []StreamStatus `json:"streams"`
}

// StreamStatus is one stream of a tenant. Times are omitted until they
// happen; LagSeconds until a sync reported a watermark.
type StreamStatus struct {
	Stream      string     `json:"stream"`
	State       State      `json:"state"`
	Since       time.Time  `json:"since"`
	LastSuccess *time.Time `json:"last_success,omitempty"`
	// LastError is the last failure in words an operator can act on;
	// LastErrorDetail is the error as the engine reported it.
	LastError       string     `json:"last_error,omitempty"`
	LastErrorDetail string     `json:"last_error_detail,omitempty"`
	LastErrorAt     *time.Time `json:"last_error_at,omitempty"`
	LagSeconds      *float64   `json:"lag_seconds,omitempty"`
}

// status renders e as of now.
func (e *entry) status(stream string, now time.Time) StreamStatus {
	s := StreamStatus{Stream: stream, State: e.state, Since: e.since,
		LastError: e.lastError, LastErrorDetail: e.errorDetail}
	// Copies, not pointers into e: the snapshot outlives the board's lock.
	if t := e.lastSuccess; !t.IsZero() {
		s.LastSuccess = &t
	}
	if t := e.lastErrorAt; !t.IsZero() {
		s.LastErrorAt = &t
	}
	if !e.watermark.IsZero() {
		lag := now.Sub(e.watermark).Seconds()
		s.LagSeconds = &lag
	}
	return s
}
