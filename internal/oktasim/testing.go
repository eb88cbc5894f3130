package oktasim

import "testing"

// StartTest generates an org from cfg, serves it on a loopback port and
// stops it when the test ends. It fails the test on any error.
func StartTest(tb testing.TB, cfg OrgConfig) (*Org, *Server) {
	tb.Helper()
	org, err := NewOrg(cfg)
	if err != nil {
		tb.Fatalf("generating simulated org: %v", err)
	}
	srv, err := Start(ServerConfig{}, org)
	if err != nil {
		tb.Fatalf("starting simulator: %v", err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	return org, srv
}
