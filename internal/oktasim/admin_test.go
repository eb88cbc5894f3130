package oktasim

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestAdminHelpRoutesAreServed calls every route AdminHelp lists, with
// placeholder ids: each must reach an admin handler (a JSON answer), not
// the mux's plain-text 404 or 405.
func TestAdminHelpRoutesAreServed(t *testing.T) {
	_, srv := StartTest(t, OrgConfig{Seed: 7, Users: 5, Token: testToken})
	help := AdminHelp()
	for _, rt := range adminRoutes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			if !strings.Contains(help, rt.method+" ") || !strings.Contains(help, rt.path+" ") {
				t.Errorf("AdminHelp lacks %s %s", rt.method, rt.path)
			}
			path := regexp.MustCompile(`\{[a-z]+\}`).ReplaceAllString(rt.path, "x")
			req, _ := http.NewRequest(rt.method, srv.URL()+path, strings.NewReader("{}"))
			req.Header.Set("Authorization", "SSWS "+testToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("got status %d, Content-Type %q; want an admin answer in JSON",
					resp.StatusCode, ct)
			}
		})
	}
}
