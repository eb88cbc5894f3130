// Package okta is the connector's client for one Okta org (a tenant): it
// authenticates, lists users, groups, members, apps and assignments page by
// page, reads the org and its domains, and polls the System Log, while
// staying inside the org's rate limits. It knows nothing of Kafka.
//
// A Client is safe for concurrent use. Listings are walked with a Pager and
// the System Log with a LogPoller; both expose a cursor (an absolute URL on
// the tenant) that callers store to resume later.
//
// Guarantees worth knowing before changing this package:
//   - The credential never leaves the tenant: a Link or stored cursor that
//     points at another scheme or host is refused before any request, and
//     redirects are never followed.
//   - Nothing partial is returned as complete: a page that is truncated,
//     malformed or over the size cap is an error naming its path.
//   - Every response feeds a per-bucket rate-limit governor that keeps this
//     client under its configured share of the bucket, measured from
//     Okta's own X-Rate-Limit-* headers and Date header.
//
// Known limits:
//   - The first request of each rate-limit window is a probe: the governor
//     cannot know what other clients spent in a new window until Okta
//     answers, so that one call may land below the reserved share.
//   - OAuth supports private_key_jwt with RSA and ECDSA keys held in memory
//     (*rsa.PrivateKey, *ecdsa.PrivateKey); hardware-backed signers and DPoP
//     are not supported, and an app that requires DPoP gets ErrDPoPRequired.
//   - Apps are listed with includeNonDeleted=true so INACTIVE apps come back;
//     whether Okta needs it is unconfirmed (API.md §6.1).
//   - The groups filter uses gt, the operator Okta documents for it
//     (API.md §5.1); callers subtract an overlap from their watermark.
//   - A page that Okta cuts off with a well-formed Content-Length is not
//     retried: it is reported as malformed.
package okta
