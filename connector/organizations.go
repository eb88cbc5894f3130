package connector

import (
	"context"
	"fmt"

	"github.com/okta-connector/okta-connector/checkpoint"
)

// extraOrgHash keeps the content hash of the last organisation record.
const extraOrgHash = "org_hash"

// runOrganizations reads /api/v1/org, the well-known document and the
// domains (API.md §7) and publishes one record keyed by the tenant when
// their content changed.
func (t *tenantRun) runOrganizations(ctx context.Context) error {
	cp, err := t.load(ctx, StreamOrganizations)
	if err != nil {
		return err
	}
	var src orgSource
	if src.Org, err = t.Client.Org(ctx); err != nil {
		return fmt.Errorf("reading the org: %w", err)
	}
	if src.WellKnown, err = t.Client.WellKnown(ctx); err != nil {
		return fmt.Errorf("reading the org's well-known document: %w", err)
	}
	if src.Domains, err = t.Client.Domains(ctx); err != nil {
		return fmt.Errorf("listing the org's domains: %w", err)
	}
	t.stats.Pages += 3
	hash := contentHash(src)
	if cp.Extra[extraOrgHash] == hash {
		return nil
	}
	if cp.Extra == nil {
		cp.Extra = map[string]string{}
	}
	cp.Extra[extraOrgHash] = hash
	cp.LastSuccess = t.now().UTC()
	rec := Record{Stream: StreamOrganizations, Key: TenantKey(t.ID),
		Value: t.organization(src, t.now().UTC())}
	return t.publish(ctx, Batch{Records: []Record{rec},
		Checkpoints: []checkpoint.Checkpoint{cp}})
}
