package connector

import (
	"log/slog"

	"github.com/okta-connector/okta-connector/connector/config"
)

// configFailed reports a tenant whose credentials cannot be read (t.Err):
// one error line naming the tenant, the file or variable and the fix; the
// tenant in config_error on /status; its config error gauge at 1. running
// says the tenant keeps running on the credentials read before.
func configFailed(ac AppConfig, log *slog.Logger, t config.Tenant, running bool) {
	msg := "tenant not started: its credentials cannot be read; the other tenants run"
	if running {
		msg = "tenant credentials cannot be read; " +
			"it keeps running on the credentials read before"
	}
	log.Error(msg, "tenant", t.ID, "error", t.Err)
	if ac.Board != nil {
		ac.Board.ConfigError(t.ID, t.Err)
	}
	if ac.Metrics != nil {
		ac.Metrics.ConfigError(t.ID, true)
	}
}

// configFixed reports that tenant's credentials can be read again.
func configFixed(ac AppConfig, log *slog.Logger, tenant string) {
	log.Info("tenant credentials read again", "tenant", tenant)
	if ac.Board != nil {
		ac.Board.ConfigFixed(tenant)
	}
	if ac.Metrics != nil {
		ac.Metrics.ConfigError(tenant, false)
	}
}

// configForget drops what /status and the metrics hold of a tenant that
// left the tenants file.
func configForget(ac AppConfig, tenant string) {
	if ac.Board != nil {
		ac.Board.Remove(tenant)
	}
	if ac.Metrics != nil {
		ac.Metrics.Forget(tenant)
	}
}
