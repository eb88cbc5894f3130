package oktasim

import "net/http"

// HealthPath answers 200 once the simulator serves, without credentials,
// for container health checks (`okta-sim healthcheck`). It lives under
// /_sim/, off Okta's paths, and says nothing about the org.
const HealthPath = "/_sim/healthz"

func serveHealth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(`{"status":"ok"}`))
}
