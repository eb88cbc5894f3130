package check

import (
	"errors"
	"fmt"
	"strings"

	"github.com/okta-connector/okta-connector/connector/okta"
)

// fixFor turns a probe's failure into what to do about it, from Okta's
// troubleshooting advice (API.md §1.4), ending with what Okta answered.
func fixFor(p probe, err error) string {
	var re *okta.RateLimitedError
	if errors.As(err, &re) {
		// Its words say how long, which bucket and what to do; the 429
		// under it would only add Okta's generic summary.
		return re.Error()
	}
	var oe *okta.Error
	if !errors.As(err, &oe) {
		if p.scope == scopeOrgs {
			return "cannot read the org: " + err.Error() +
				": check the Okta domain and that this machine can reach it"
		}
		return err.Error()
	}
	return advice(p, oe) + " (Okta answered " + answer(oe) + ")"
}

// advice is the fix for an Okta error on p's request.
func advice(p probe, e *okta.Error) string {
	switch {
	case e.Status == 403 && e.Challenge == "insufficient_scope" && p.scope != "":
		// The body may be empty; the scope is the one this request needs
		// whatever the header named (API.md §10 item 13).
		return "the service app lacks the scope " + p.scope + ": grant it on the " +
			"app's Okta API Scopes tab and reconnect"
	case e.Status == 403:
		return forbidden(p)
	}
	if a := e.Advice(); a != "" {
		return a
	}
	return "unexpected answer: " + e.Error()
}

// forbidden explains an E0000006 403: the credential works but its admin
// role does not reach the resource (API.md §1.1, §1.2, §1.4).
func forbidden(p probe) string {
	fix := "the token's owner lacks read access to " + p.what + ": give the admin " +
		"who created the API token, or the service app, an admin role that can read " +
		"it, such as Read-Only Administrator"
	if p.scope != "" {
		fix += "; a service app also needs the scope " + p.scope
	}
	return fix
}

// answer is Okta's status and code, e.g. "403 E0000006".
func answer(e *okta.Error) string {
	parts := []string{fmt.Sprint(e.Status)}
	if e.Code != "" {
		parts = append(parts, e.Code)
	}
	if e.Challenge != "" {
		parts = append(parts, e.Challenge)
	}
	return strings.Join(parts, " ")
}
