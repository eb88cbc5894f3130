package oktasim

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// Faults are failures injected into Okta API responses on demand. The
// zero value injects nothing. Shares are in [0, 1].
type Faults struct {
	// ServerErrors is the share of requests answered 500 E0000009.
	ServerErrors float64
	// RateLimited is the share answered 429 E0000047 with Remaining 0;
	// 1 is a storm.
	RateLimited float64
	// Latency delays every response.
	Latency time.Duration
	// Truncated is the share of 200 bodies cut off halfway.
	Truncated float64
	// Malformed is the share of 200 bodies replaced by invalid JSON.
	Malformed float64
	// RevokeAfter revokes each token after it authenticated this many
	// more requests; 0 never.
	RevokeAfter int
}

// faultsJSON is the admin API's spelling, with the latency as text.
type faultsJSON struct {
	ServerErrors float64 `json:"serverErrors"`
	RateLimited  float64 `json:"rateLimited"`
	Latency      string  `json:"latency"`
	Truncated    float64 `json:"truncated"`
	Malformed    float64 `json:"malformed"`
	RevokeAfter  int     `json:"revokeAfter"`
}

// MarshalJSON writes the faults with the latency as a duration string.
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultsJSON{f.ServerErrors, f.RateLimited, f.Latency.String(),
		f.Truncated, f.Malformed, f.RevokeAfter})
}

// UnmarshalJSON reads the admin API's spelling.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var j faultsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	var lat time.Duration
	if j.Latency != "" {
		var err error
		if lat, err = time.ParseDuration(j.Latency); err != nil {
			return fmt.Errorf("parsing latency %q: %w", j.Latency, err)
		}
	}
	*f = Faults{j.ServerErrors, j.RateLimited, lat, j.Truncated, j.Malformed, j.RevokeAfter}
	return f.validate()
}

func (f Faults) validate() error {
	for _, p := range []float64{f.ServerErrors, f.RateLimited, f.Truncated, f.Malformed} {
		if p < 0 || p > 1 {
			return fmt.Errorf("fault share %v is outside [0, 1]", p)
		}
	}
	if f.Latency < 0 || f.RevokeAfter < 0 {
		return fmt.Errorf("latency and revoke-after must not be negative")
	}
	return nil
}

type faultState struct {
	mu sync.Mutex
	f  Faults
}

// SetFaults replaces the org's injected faults; it returns an error for
// shares outside [0, 1].
func (o *Org) SetFaults(f Faults) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("setting faults: %w", err)
	}
	o.faults.mu.Lock()
	defer o.faults.mu.Unlock()
	o.faults.f = f
	return nil
}

// Faults returns the org's injected faults.
func (o *Org) Faults() Faults {
	o.faults.mu.Lock()
	defer o.faults.mu.Unlock()
	return o.faults.f
}

// Request is one request the org answered, for assertions such as "no
// member-list call for an unchanged group".
type Request struct {
	Method string    `json:"method"`
	Path   string    `json:"path"` // path and query
	Status int       `json:"status"`
	Bucket string    `json:"bucket"`
	Time   time.Time `json:"time"`
}

// requestLog keeps the latest requests; past maxRequests the oldest go.
type requestLog struct {
	mu   sync.Mutex
	reqs []Request
}

const maxRequests = 1 << 20

func (l *requestLog) add(r Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.reqs) >= maxRequests {
		l.reqs = append(l.reqs[:0], l.reqs[len(l.reqs)/2:]...)
	}
	l.reqs = append(l.reqs, r)
}

// Requests returns a copy of the requests answered so far, oldest first.
func (o *Org) Requests() []Request {
	o.reqs.mu.Lock()
	defer o.reqs.mu.Unlock()
	return append([]Request(nil), o.reqs.reqs...)
}

// ResetRequests forgets the requests answered so far.
func (o *Org) ResetRequests() {
	o.reqs.mu.Lock()
	defer o.reqs.mu.Unlock()
	o.reqs.reqs = nil
}
