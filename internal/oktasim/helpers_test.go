package oktasim

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

const testToken = "test-token-0123456789"

// epoch is a fixed clock time so generated orgs are the same every run.
var epoch = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// get calls the simulator with the test token and returns the response
// and its body.
func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatalf("building request %q: %v", url, err)
	}
	req.Header.Set("Authorization", "SSWS "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %q: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %q: %v", url, err)
	}
	return resp, body
}

var linkRE = regexp.MustCompile(`<([^>]+)>;\s*rel="([a-z]+)"`)

// links parses every Link header, separate or folded.
func links(h http.Header) map[string]string {
	out := map[string]string{}
	for _, v := range h.Values("Link") {
		for _, m := range linkRE.FindAllStringSubmatch(v, -1) {
			out[m[2]] = m[1]
		}
	}
	return out
}

func decodeList(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("decoding list %q: %v", strings.TrimSpace(string(body[:min(len(body), 200)])), err)
	}
	return out
}

// listAll follows next links from url and returns every item's id and
// the number of requests made.
func listAll(t *testing.T, url string) ([]string, int) {
	t.Helper()
	var ids []string
	calls := 0
	for url != "" && calls < 10000 {
		resp, body := get(t, url)
		calls++
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %q: got status %d, want 200: %s", url, resp.StatusCode, body)
		}
		for _, item := range decodeList(t, body) {
			ids = append(ids, item["id"].(string))
		}
		url = links(resp.Header)["next"]
	}
	return ids, calls
}
