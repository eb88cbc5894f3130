package okta

import "strings"

// Advice returns the words a customer can act on for e's status (401, 403,
// 404 on the org, DPoP, rejected queries, 429 and 5xx past the budget), or ""
// when there is nothing to add to Okta's own summary.
func (e *Error) Advice() string {
	switch {
	case e.Is(ErrDPoPRequired):
		return `the service app requires DPoP ("Require Demonstrating Proof of ` +
			`Possession (DPoP) header in token requests" in its General settings); ` +
			`this connector sends Bearer tokens: clear that setting and reconnect`
	case e.Path == tokenPath:
		return e.tokenAdvice()
	case e.Status == 401 && e.oauth:
		return "invalid access token: Okta rejected a freshly minted token; check " +
			"that the service app is active and still holds an admin role, then reconnect"
	case e.Status == 401:
		return "invalid token: the API token was revoked, expired (tokens unused for " +
			"30 days expire) or copied incorrectly; create a new one and reconnect"
	case e.Status == 403 && e.Challenge == "insufficient_scope":
		return "the service app lacks the scope " + orUnknown(e.Scope) + ": grant it " +
			"on the app's Okta API Scopes tab and reconnect"
	case e.Status == 403:
		return "the token's owner lacks read access to " + e.Resource
	case e.Status == 404 && e.Path == orgPath:
		return "the org was not found: check the Okta domain"
	case e.Status == 404:
		return "not found in " + e.Resource + ": it may have been deleted"
	case e.Code == "E0000031":
		return "Okta rejected the search or filter expression; this is a bug in " +
			"the connector, please report it"
	case e.Status == 429:
		return "still rate limited after waiting: lower the rate share, spread the " +
			"schedules or ask Okta for a higher limit"
	case e.Status >= 500:
		return "Okta kept failing past the retry budget; the next cycle retries"
	}
	return ""
}

// tokenAdvice explains the OAuth token endpoint's refusals (RFC 6749 §5.2).
func (e *Error) tokenAdvice() string {
	switch e.Code {
	case "invalid_client":
		return "Okta rejected the client assertion: check the client id, that the " +
			"app's public key matches the private key (and key id) and the clock"
	case "invalid_scope":
		return "a requested scope is not granted to the service app: grant it on " +
			"the app's Okta API Scopes tab"
	case "unauthorized_client":
		return "the app may not use client credentials: it must be an API Services app"
	}
	return ""
}

// orUnknown names a missing value instead of printing nothing.
func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(not named by Okta)"
	}
	return s
}
