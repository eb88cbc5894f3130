// Package admin serves the connector's admin endpoint (ADMIN_ADDR):
//
//	/healthz  200 while the process serves HTTP at all
//	/readyz   200 when every readiness check passes (the broker answers,
//	          checkpoints are loaded), else 503 naming what is not ready
//	/status   JSON per tenant and stream: state, last success, last error
//	          in words an operator can act on, checkpoint lag
//	/metrics  the Prometheus registry of package metrics
//
// The engine reports into a StatusBoard (Start, Success, Failure), which
// sorts each failure into a state: a 401 is auth_failed, a 403 forbidden,
// Okta's 429 or 5xx past the retry budget (or no answer at all)
// okta_unavailable, anything else error. A tenant that is not running
// because its configuration cannot be used (its token file missing, say)
// is reported with ConfigError and shows as config_error, with the reason
// and fix, until ConfigFixed.
//
// Known limits:
//   - The endpoint has no authentication: /status shows tenant ids and
//     error messages (never credentials). Bind ADMIN_ADDR to an interface
//     only operators and the scraper reach.
//   - A transport failure is classed okta_unavailable only when it is an
//     HTTP client error (*url.Error); a broker that cannot be reached is
//     error, with the broker's own words.
//   - The board keeps what the engine reported in memory; after a restart
//     it is empty until each stream syncs again.
package admin
