// Package oktasim is an Okta org simulator: our executable understanding of
// the Okta Management API slice the connector reads (DESIGN.md §7). Every
// behaviour cites the fact it mirrors in ../shared/okta/API.md by section.
//
// An Org is generated from a seed and served over HTTP:
//
//	org, err := oktasim.NewOrg(oktasim.OrgConfig{Seed: 1, Users: 450, Token: "t"})
//	srv, err := oktasim.Start(oktasim.ServerConfig{}, org) // 127.0.0.1, free port
//	defer srv.Close()
//	base := srv.URL() // http://127.0.0.1:PORT
//
// In tests, StartTest does both and registers the cleanup. Org.Handler
// returns the plain http.Handler for httptest servers.
//
// The Org is the truth tests assert against: Users, Groups, Apps, Events,
// Info. It takes mutations that also write the System Log event Okta would
// (CreateUser, UpdateUser, DeactivateUser, DeleteUser, AddGroupMember,
// RemoveGroupMember, AssignAppUser, UnassignAppUser, AssignAppGroup,
// UnassignAppGroup, AddEvent), token revocation (RevokeToken), fault
// injection (SetFaults) and records every request it answers (Requests). A
// mutation that gives or takes a user's app through a group also writes
// application.user_membership.add or .remove (appaccess.go). The same
// operations are available to other processes through the admin API under
// /_sim/ on the org's own port (AdminHelp lists the routes); it needs the
// org's configured SSWS token.
//
// Facts API.md marks UNCONFIRMED are switches (Quirks) whose default is the
// reading harder on the client.
//
// Known limits:
//   - Data is read-only through the Okta paths; mutations go through the Go
//     API or /_sim/. DPoP is only challenged (use_dpop_nonce), never
//     completed, and no DPoP-bound token is ever issued.
//   - The search index is not eventually consistent: changes are visible at
//     once, which is kinder than Okta (API.md §10 item 1).
//   - Generated System Log history is narrative: a generated membership
//     event does not match the generated membership it describes.
//   - A deactivated user keeps its app assignments until deleted; the
//     deletion ends them without app membership events. A direct
//     assignment added or removed writes one even when a group keeps the
//     user on the app (only its scope changes).
//   - A bounded System Log page (since and until) scans events from its
//     cursor until the page is full, plus LateMax of persistence time; with
//     a filter that rarely matches, that is the rest of the range.
//   - Per-principal rate-limit shares (API.md §9.1) are not enforced: every
//     caller of an org shares its buckets, as the org-wide counters do.
//   - Rendered users, groups, apps and the user parts of app users and
//     events are kept between requests, up to OrgConfig.RenderCache bytes
//     (about 1.4 KB a user); any directory mutation makes all of them
//     stale, so a busy admin API costs re-rendering.
//   - Parameters the connector never sends (fields, expand=classification,
//     expand=user/…, useOptimization) are ignored.
package oktasim
