package okta

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// BenchmarkDecodeUsersPage decodes a full 200-user page built from the
// samples and reports users per second.
func BenchmarkDecodeUsersPage(b *testing.B) {
	benchPage[User](b, "users-page.json", usersPageSize, "users/s")
}

// BenchmarkDecodeLogsPage decodes a full 1000-event page built from the
// samples and reports events per second.
func BenchmarkDecodeLogsPage(b *testing.B) {
	benchPage[LogEvent](b, "logs-page.json", logsPageSize, "events/s")
}

// benchPage repeats a sample's items up to n, each with its own id, and
// decodes the page b.N times.
func benchPage[T any](b *testing.B, file string, n int, unit string) {
	var items []map[string]any
	if err := json.Unmarshal(sample(b, file), &items); err != nil {
		b.Fatal(err)
	}
	page := make([]map[string]any, n)
	for i := range page {
		item := map[string]any{}
		for k, v := range items[i%len(items)] {
			item[k] = v
		}
		item["id"], item["uuid"] = fmt.Sprintf("00u%017d", i), fmt.Sprintf("ev-%d", i)
		page[i] = item
	}
	body, err := json.Marshal(page)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		got, err := decodePage[T](bytes.NewReader(body))
		if err != nil || len(got) != n {
			b.Fatalf("got %d items, error %v; want %d", len(got), err, n)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), unit)
}
