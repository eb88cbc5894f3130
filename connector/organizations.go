package connector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/okta-connector/okta-connector/checkpoint"
	"github.com/okta-connector/okta-connector/connector/okta"
)

// Checkpoint extras of the organizations stream.
const (
	// extraOrgHash keeps the content hash of the last organisation record.
	extraOrgHash = "org_hash"
	// extraWellKnown keeps the last well-known document, so an idle cycle
	// need not read it again.
	extraWellKnown = "well_known"
	// extraOrgUpdated keeps the org's lastUpdated when that document was read.
	extraOrgUpdated = "org_last_updated"
)

// runOrganizations reads /api/v1/org, the well-known document and the
// domains (API.md §7) and publishes one record keyed by the tenant when
// their content changed. The well-known document (the primary domain) is
// read again only when the org changed or a reconciliation is due, which
// keeps an idle cycle to the org and its domains.
func (t *tenantRun) runOrganizations(ctx context.Context) error {
	cp, err := t.load(ctx, StreamOrganizations)
	if err != nil {
		return err
	}
	var src orgSource
	if src.Org, err = t.Client.Org(ctx); err != nil {
		return fmt.Errorf("reading the org: %w", err)
	}
	t.stats.Pages++
	full := t.fullDue(cp) || cp.Extra[extraOrgUpdated] != stamp(src.Org.LastUpdated)
	if src.WellKnown, err = t.wellKnown(ctx, cp, full); err != nil {
		return err
	}
	if src.Domains, err = t.domains(ctx); err != nil {
		return err
	}
	hash := contentHash(src)
	if cp.Extra == nil {
		cp.Extra = map[string]string{}
	}
	if full {
		known, _ := json.Marshal(src.WellKnown)
		cp.Extra[extraWellKnown] = string(known)
		cp.Extra[extraOrgUpdated] = stamp(src.Org.LastUpdated)
		cp.LastFullSync = t.now().UTC()
	}
	if cp.Extra[extraOrgHash] == hash && !full {
		return nil
	}
	cp.Extra[extraOrgHash] = hash
	cp.LastSuccess = t.now().UTC()
	rec := Record{Stream: StreamOrganizations, Key: TenantKey(t.ID),
		Value: t.organization(src, t.now().UTC())}
	return t.publish(ctx, Batch{Records: []Record{rec},
		Checkpoints: []checkpoint.Checkpoint{cp}})
}

// wellKnown reads the org's well-known document when fresh is set or none
// is stored, and otherwise returns the stored one.
func (t *tenantRun) wellKnown(ctx context.Context, cp checkpoint.Checkpoint,
	fresh bool) (okta.WellKnownOrg, error) {
	var wk okta.WellKnownOrg
	if stored := cp.Extra[extraWellKnown]; stored != "" && !fresh {
		if json.Unmarshal([]byte(stored), &wk) == nil {
			return wk, nil
		}
	}
	wk, err := t.Client.WellKnown(ctx)
	if err != nil {
		return wk, fmt.Errorf("reading the org's well-known document: %w", err)
	}
	t.stats.Pages++
	return wk, nil
}

// domains lists the org's custom domains. A token without read access to
// them (the okta.domains.read scope is optional) is not a failure of the
// stream: the record goes out without custom domains, with a warning.
func (t *tenantRun) domains(ctx context.Context) ([]okta.Domain, error) {
	ds, err := t.Client.Domains(ctx)
	t.stats.Pages++
	if errors.Is(err, okta.ErrForbidden) {
		t.log.Warn("publishing the org without its custom domains", "error", err)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing the org's domains: %w", err)
	}
	return ds, nil
}

// stamp renders a time for a checkpoint extra.
func stamp(ts time.Time) string { return ts.UTC().Format(time.RFC3339Nano) }
