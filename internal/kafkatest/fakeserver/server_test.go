package fakeserver

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestStart(t *testing.T) {
	tests := []struct {
		name        string
		cfg         Config
		wantBrokers int
		wantReg     bool
	}{
		{"defaults", Config{}, 1, true},
		{"three brokers", Config{Brokers: 3}, 3, true},
		{"no registry", Config{NoRegistry: true}, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Start(tc.cfg)
			if err != nil {
				t.Fatalf("Start: %v", err)
			}
			defer s.Close()
			a := s.Addrs()
			if len(a.Brokers) != tc.wantBrokers {
				t.Errorf("brokers: got %v, want %d", a.Brokers, tc.wantBrokers)
			}
			for _, b := range a.Brokers {
				if !strings.HasPrefix(b, "127.0.0.1:") {
					t.Errorf("broker %q: want a 127.0.0.1 address", b)
				}
			}
			if got := a.Registry != ""; got != tc.wantReg {
				t.Fatalf("registry %q: got present %v, want %v", a.Registry, got, tc.wantReg)
			}
			if tc.wantReg {
				assertServes(t, a.Registry+"/subjects")
			}
		})
	}
}

func assertServes(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: got status %d, want 200", url, resp.StatusCode)
	}
}

func TestStartRefusesNonLoopbackRegistry(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", ":0"} {
		t.Run(addr, func(t *testing.T) {
			s, err := Start(Config{RegistryAddr: addr})
			if err == nil {
				s.Close()
				t.Fatalf("Start(%q): got no error, want one", addr)
			}
			if !errors.Is(err, errNotLoopback) {
				t.Errorf("Start(%q): got %v, want errNotLoopback", addr, err)
			}
		})
	}
}
