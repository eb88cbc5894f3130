package okta

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestSecretsNeverPrinted runs SSWS and OAuth clients through success,
// 401, 403, 429, 5xx, DPoP and invalid_client answers with a known token
// and key, capturing every log line at Debug (text and JSON handlers) and
// every error string, plus every way of printing the config and client,
// and finds none of the secrets.
func TestSecretsNeverPrinted(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	var secrets []string
	statuses := []int{200, 401, 403, 429, 500, 200}
	for _, mode := range []string{"ssws", "oauth", "dpop", "invalid_client"} {
		var assertions []string
		i := 0
		logs := &syncBuffer{}
		env := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == tokenPath {
				_ = r.ParseForm()
				assertions = append(assertions, r.PostForm.Get("client_assertion"))
				switch mode {
				case "dpop":
					writeJSON(w, 400, sample(t, "oauth-dpop-nonce-required.json"))
				case "invalid_client":
					writeJSON(w, 401, []byte(`{"error":"invalid_client"}`))
				default:
					writeJSON(w, 200, []byte(`{"token_type":"Bearer","expires_in":3600,`+
						`"access_token":"at-SECRET-oauth-77"}`))
				}
				return
			}
			st := statuses[i%len(statuses)]
			i++
			w.Header().Set("X-Rate-Limit-Limit", "100")
			w.Header().Set("X-Rate-Limit-Remaining", "0")
			w.Header().Set("X-Rate-Limit-Reset", "1")
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeJSON(w, st, []byte(`[]`))
		}), func(c *Config) {
			c.MaxAttempts = 2
			debug := &slog.HandlerOptions{Level: slog.LevelDebug}
			c.Logger = slog.New(slog.NewMultiHandler(slog.NewJSONHandler(logs, debug),
				slog.NewTextHandler(logs, debug)))
			if mode != "ssws" {
				c.Credentials = Credentials{ClientID: testClientID, PrivateKey: key}
			}
		})
		ctx := context.Background()
		for range 6 {
			_, err := env.client.Users(UserQuery{}).Next(ctx)
			fmt.Fprintln(&out, err)
			_, err = env.client.Org(ctx)
			fmt.Fprintln(&out, err)
			_, _, err = env.client.Logs(LogQuery{}).Next(ctx)
			fmt.Fprintln(&out, err)
		}
		cfg := Config{BaseURL: env.client.base, Credentials: Credentials{
			Token: NewToken(testToken), ClientID: testClientID, PrivateKey: key}}
		fmt.Fprintf(&out, "%v %+v %#v %s %q %x\n", cfg, cfg, cfg, cfg.Credentials,
			cfg.Credentials.Token, cfg.Credentials.Token)
		fmt.Fprintf(&out, "%v %+v %#v\n", env.client, env.client, *env.client)
		j, _ := json.Marshal(map[string]any{"credentials": cfg.Credentials,
			"token": cfg.Credentials.Token})
		out.Write(j)
		slog.New(slog.NewTextHandler(&out, nil)).Info("config", "cfg", cfg,
			"creds", cfg.Credentials, "token", cfg.Credentials.Token)
		out.WriteString(logs.String())
		secrets = append(secrets, assertions...)
	}
	secrets = append(secrets, testToken, "at-SECRET-oauth-77", key.D.String(),
		fmt.Sprintf("%x", key.D), key.Primes[0].String())
	text := out.String()
	if !strings.Contains(text, redacted) || len(text) < 2000 {
		t.Fatalf("captured %d bytes without a redaction mark: the capture is broken", len(text))
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("secret %.12s… found in logs or errors", s)
		}
	}
}
