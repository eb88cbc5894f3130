package connector

import "github.com/okta-connector/okta-connector/connector/config"

// noteFailed reports ct, whose credentials cannot be read, unless the
// same error was reported last time; running says it keeps running on
// the credentials read before. It returns the error's text. Call it with
// r.mu held.
func (r *Reloader) noteFailed(ct config.Tenant, running bool) string {
	msg := ct.Err.Error()
	if r.failed[ct.ID] != msg {
		configFailed(r.ac, r.log, ct, running)
	}
	return msg
}

// settle updates the reports of the tenants that failed before and now
// start, or left the file, and keeps failed (by id: the error's text) for
// the next reload. ch is what the engine did. Call it with r.mu held.
func (r *Reloader) settle(cts []config.Tenant, failed map[string]string, ch TenantChanges) {
	listed := map[string]bool{}
	for _, ct := range cts {
		listed[ct.ID] = true
	}
	for id := range r.failed {
		switch {
		case !listed[id]:
			configForget(r.ac, id)
		case failed[id] == "":
			configFixed(r.ac, r.log, id)
		}
	}
	for _, id := range ch.Removed {
		configForget(r.ac, id)
	}
	r.failed = failed
}

// retrying reports whether a tenant's credentials could not be read at
// the last reload, so that Watch tries again.
func (r *Reloader) retrying() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.failed) > 0
}
