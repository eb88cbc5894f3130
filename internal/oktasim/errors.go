package oktasim

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is an Okta error response (API.md §2): errorLink repeats
// errorCode, errorId is "oae" and 22 characters, errorCauses is a list,
// often empty. System Log errors follow the log samples instead: a UUID
// errorId and no errorLink (samples/error-400-logs-*.json).
type apiError struct {
	status  int
	code    string
	summary string
	causes  []string
	logs    bool
	// challenge, when set, is a WWW-Authenticate value; with empty the
	// body is empty, as for insufficient_scope (API.md §1.4).
	challenge string
	empty     bool
	// quotaZero marks a concurrency 429: Limit and Remaining read 0
	// (API.md §9.2).
	quotaZero bool
}

type errorBody struct {
	ErrorCode    string       `json:"errorCode"`
	ErrorSummary string       `json:"errorSummary"`
	ErrorLink    string       `json:"errorLink"`
	ErrorID      string       `json:"errorId"`
	ErrorCauses  []errorCause `json:"errorCauses"`
}

// logErrorBody is the System Log's sparser error shape.
type logErrorBody struct {
	ErrorCode    string       `json:"errorCode"`
	ErrorSummary string       `json:"errorSummary"`
	ErrorID      string       `json:"errorId"`
	ErrorCauses  []errorCause `json:"errorCauses,omitempty"`
}

type errorCause struct {
	ErrorSummary string `json:"errorSummary"`
}

func (e *apiError) body() []byte {
	causes := []errorCause{}
	for _, c := range e.causes {
		causes = append(causes, errorCause{c})
	}
	var v any = errorBody{e.code, e.summary, e.code, "oae" + randomText(22), causes}
	if e.logs {
		v = logErrorBody{e.code, e.summary, uuidText(), causes}
	}
	out, _ := json.Marshal(v)
	return out
}

func uuidText() string {
	b := []byte(randomText(32))
	const hex = "0123456789abcdef"
	for i := range b {
		b[i] = hex[int(b[i])%16]
	}
	s := string(b)
	return s[:8] + "-" + s[8:12] + "-4" + s[13:16] + "-a" + s[17:20] + "-" + s[20:32]
}

// The errors the simulator answers with (API.md §2).
func errInvalidToken() *apiError {
	return &apiError{status: http.StatusUnauthorized, code: "E0000011",
		summary: "Invalid token provided"}
}

func errForbidden() *apiError {
	return &apiError{status: http.StatusForbidden, code: "E0000006",
		summary: "You do not have permission to perform the requested action"}
}

func errNotFound(id, kind string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "E0000007",
		summary: fmt.Sprintf("Not found: Resource not found: %s (%s)", id, kind)}
}

func errRateLimited() *apiError {
	return &apiError{status: http.StatusTooManyRequests, code: "E0000047",
		summary: "API call exceeded rate limit due to too many requests."}
}

func errInternal() *apiError {
	return &apiError{status: http.StatusInternalServerError, code: "E0000009",
		summary: "Internal Server Error"}
}

func errMethod(method string) *apiError {
	return &apiError{status: http.StatusMethodNotAllowed, code: "E0000022",
		summary: "The endpoint does not support the provided HTTP method",
		causes:  []string{"method " + method + " is not supported"}}
}

// errValidation is E0000001 for a bad parameter value, naming it.
func errValidation(param, why string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "E0000001",
		summary: "Api validation failed: " + param,
		causes:  []string{param + ": " + why}}
}
