// Package check tells an operator whether the connector can read a tenant:
// it makes one small request to each Okta endpoint the tenant's enabled
// streams need and prints, per permission, "ok" or the fix, in the words
// of Okta's troubleshooting advice (API.md §1.4, §2, §10).
//
// A rejected credential (401), an unknown org (404 on /api/v1/org) or an
// unreachable host stops the check after the first request: every later
// request would fail the same way, and one clear fix beats ten copies.
//
// Known limits:
//   - Listings ask for one object (limit=1) through a hand-built first-page
//     URL given to the client as a resume cursor, since the client's query
//     types have no page size; the URL is on the tenant's own origin.
//   - A 403 names the resource and the OAuth scope it needs, but cannot
//     tell which admin role is missing: Okta's answer does not say.
//   - An empty System Log inside the look-back is a warning, not a
//     failure: the connector can run, it just has nothing to read.
//   - A probe that Okta's rate limit would hold for more than 20 s in all
//     is reported WAIT with the rate-limit advice instead of waiting:
//     someone is watching. It proves nothing about the permission, so it
//     is not counted as a fix; run check again later.
//   - The group and app probed for members and assignments are the first
//     Okta lists; a permission limited to some groups or apps (a group
//     admin's scope) is not detected (API.md §10 item 15).
package check
