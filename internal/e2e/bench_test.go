package e2e

import (
	"testing"

	"github.com/okta-connector/okta-connector/internal/oktasim"
)

// devOrg has the sizes of `okta-connector dev`, whose verification is what
// CI pays for on every run. Rate limits are off: pacing would time the
// simulator's budget, not the work.
var devOrg = oktasim.OrgConfig{
	Seed: 1, Users: 2000, Groups: 150, Apps: 40, Events: 20000, Token: e2eToken,
	LookBack: smallOrg.LookBack, Limits: oktasim.RateLimits{Off: true},
}

// BenchmarkVerifierDevOrg times one verifier run, process start to exit,
// over a full sync of the dev org written with the registry: reading and
// decoding every record. Comparing with the truth is the tests' job (and
// costs little next to decoding).
func BenchmarkVerifierDevOrg(b *testing.B) {
	fs := syncOrg(b, devOrg, true)
	args := VerifyArgs{Brokers: fs.brokers, Prefix: fs.prefix, RegistryURL: fs.registry}
	Python(b)
	var last VerifyResult
	for b.Loop() {
		if last = Verify(b, args); last.ExitCode != 0 {
			b.Fatalf("got exit code %d, want 0:\n%s", last.ExitCode, last.Output)
		}
	}
	b.Logf("last run:\n%s", last.Output)
}
