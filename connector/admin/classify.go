package admin

import (
	"context"
	"errors"
	"net/url"

	"github.com/okta-connector/okta-connector/connector/okta"
)

// State is where a stream stands, as /status shows it.
type State string

// The states of a stream, from best to worst as a tenant's summary ranks
// them.
const (
	StateOK              State = "ok"
	StateSyncing         State = "syncing"
	StateError           State = "error"
	StateOktaUnavailable State = "okta_unavailable"
	StateForbidden       State = "forbidden"
	StateAuthFailed      State = "auth_failed"
	// StateConfigError is a tenant that is not running: its entry in the
	// tenants file cannot be used (say, its token file is missing).
	StateConfigError State = "config_error"
)

// rank orders states for a tenant's summary: the worst stream wins, and
// a credential problem is the worst, since nothing else can work; worse
// still is credentials the connector cannot even read.
var rank = map[State]int{
	StateOK: 0, StateSyncing: 1, StateError: 2, StateOktaUnavailable: 3,
	StateForbidden: 4, StateAuthFailed: 5, StateConfigError: 6,
}

// Classify sorts a stream's failure into a state and the words an
// operator can act on: Okta's advice for an *okta.Error (API.md §1.4),
// else the error itself.
func Classify(err error) (State, string) {
	var oe *okta.Error
	switch {
	case errors.As(err, &oe):
		return oktaState(oe), actionable(oe)
	case errors.Is(err, okta.ErrDPoPRequired):
		return StateAuthFailed, err.Error()
	case errors.Is(err, okta.ErrRateWaitTooLong):
		return StateOktaUnavailable, err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return StateOktaUnavailable, err.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return StateOktaUnavailable, err.Error()
	}
	return StateError, err.Error()
}

// oktaState is the state an Okta error puts a stream in.
func oktaState(e *okta.Error) State {
	switch {
	case e.Status == 401, e.Is(okta.ErrDPoPRequired):
		return StateAuthFailed
	case e.Status == 403:
		return StateForbidden
	case e.Status == 429, e.Status >= 500:
		return StateOktaUnavailable
	}
	return StateError
}

// actionable is Okta's advice for e, or e itself when there is none.
func actionable(e *okta.Error) string {
	if a := e.Advice(); a != "" {
		return a
	}
	return e.Error()
}
