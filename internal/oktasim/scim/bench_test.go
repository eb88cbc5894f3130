package scim

import (
	"strings"
	"testing"
	"time"
)

// eightStatuses is the widest expression the connector sends.
var eightStatuses = func() string {
	parts := make([]string, len(statuses))
	for i, s := range statuses {
		parts[i] = `status eq "` + s + `"`
	}
	return strings.Join(parts, " or ")
}()

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(eightStatuses, UserFilter); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	e, err := Parse(`lastUpdated ge "`+watermark+`" and status pr`, UserSearch)
	if err != nil {
		b.Fatal(err)
	}
	u := Map{"status": "DEPROVISIONED", "lastUpdated": time.Now()}
	for b.Loop() {
		if !e.Match(u) {
			b.Fatal("got no match, want match")
		}
	}
}
