package main

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/okta-connector/okta-connector/internal/kafkatest/fakeserver"
)

// TestRunStopsOnStdinClose starts the server as main would, reads its one
// address line and closes stdin: run must return without error.
func TestRunStopsOnStdinClose(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"-exit-on-stdin-eof", "-brokers", "2"}, inR, outW, io.Discard)
	}()
	line, err := bufio.NewReader(outR).ReadBytes('\n')
	if err != nil {
		t.Fatalf("reading the address line: %v", err)
	}
	var a fakeserver.Addrs
	if err := json.Unmarshal(line, &a); err != nil {
		t.Fatalf("decoding %q: %v", line, err)
	}
	if len(a.Brokers) != 2 || !strings.HasPrefix(a.Registry, "http://127.0.0.1:") {
		t.Errorf("addresses: got %+v, want 2 brokers and a loopback registry", a)
	}
	inW.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: got %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return within 5s of stdin closing")
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     string
		wantErr string
	}{
		{"bad port", []string{"-ports", "9092,x"}, "", `"x" is not a port`},
		{"port range", []string{"-ports", "70000"}, "", "is not a port"},
		{"bad level", []string{"-log-level", "loud"}, "", `unknown level "loud"`},
		{"user without password", []string{"-sasl-user", "u"}, "", "KFAKE_SASL_PASSWORD is empty"},
		{"missing key file", []string{"-tls-cert", "/nonexistent"}, "", "loading -tls-cert"},
		{"stray argument", []string{"extra"}, "", `unexpected argument "extra"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(passwordEnv, tc.env)
			err := run(tc.args, strings.NewReader(""), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("run(%q): got %v, want an error containing %q", tc.args, err, tc.wantErr)
			}
		})
	}
}
