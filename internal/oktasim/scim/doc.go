// Package scim parses and evaluates the filter and search expressions that
// Okta's list endpoints accept, so the simulator can answer them the way
// Okta does and reject what Okta rejects, with Okta's error codes.
//
// Each endpoint speaks its own dialect of the SCIM filter grammar
// (../shared/okta/API.md §4.1, §5.1, §6.1, §8.1): which attributes and
// operators it takes, whether operators and string values ignore case, and
// whether it knows `not`. Parse checks an expression against one dialect and
// returns an Expr whose Match the simulator runs against its own objects.
//
// Known limits:
//   - Where API.md marks a behaviour UNCONFIRMED, the default is the one
//     harder on the client: timestamps need milliseconds (see Parser),
//     operators are lowercase outside the search dialects, and group search
//     and filter accept only the attributes and operators API.md lists.
//   - Group search ignores case like user search; API.md does not say.
//   - SCIM value paths (`emails[type eq "work"]`), schema URN prefixes and
//     the `not` operator outside the System Log are rejected.
//   - `pr` follows SCIM: null, the empty string and the empty list are not
//     present. Multi-valued attributes match when any element matches.
//   - Error causes carry this package's own wording; clients must branch on
//     the code alone (API.md §10, item 17).
package scim
