// Package metrics keeps the connector's Prometheus metrics on a private
// registry (never the global one, so that tests and several engines in one
// process do not collide) and serves them in the text exposition format.
//
// Who calls what:
//   - the Okta client's HTTP transport, wrapped by Tenant.Transport:
//     requests by endpoint and status, and their durations;
//   - the Okta client's rate-limit governor, through a Tenant's
//     RateLimitWait and RateLimitBudget: waits and remaining budget;
//   - the engine: Published, SyncDone and Watermark per tenant and stream;
//   - the app and its reloader: ConfigError, for a tenant whose
//     credentials cannot be read and so does not run.
//
// Label cardinality is bounded. Endpoints are path templates with the
// object ids cut out, statuses are HTTP codes, streams and buckets are the
// connector's own short lists. Tenants are the unbounded dimension: the
// first Options.TenantCap tenants seen get their own tenant label, and
// every later one is counted under tenant="_other". Counters of _other add
// up; its gauges report the worst of its tenants (the least remaining
// budget, the largest lag, the oldest last success), since a sum of those
// means nothing. Request and sync duration histograms carry no tenant
// label at all.
//
// Known limits:
//   - A tenant's label is assigned on first sight and kept until Forget;
//     a tenant counted under _other stays there even when a labelled one
//     is forgotten and its slot freed.
//   - Tenant ids become label values as they are: they are operator
//     chosen, never secrets, but they do show up in every scrape.
package metrics
