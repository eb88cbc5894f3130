package kafkatest

import (
	"testing"

	"github.com/twmb/franz-go/pkg/sr/srfake"
)

// Registry serves a fresh fake schema registry (srfake) over HTTP on a
// loopback port and returns its base URL; it stops at cleanup.
func Registry(t testing.TB) string {
	t.Helper()
	reg := srfake.New()
	t.Cleanup(reg.Close)
	return reg.URL()
}
