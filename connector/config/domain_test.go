package config

import "testing"

func TestBaseURL(t *testing.T) {
	tests := []struct {
		in, url, tenant string // url "" means an error is wanted
	}{
		{"acme.okta.com", "https://acme.okta.com", "acme.okta.com"},
		{"Acme.Okta.com", "https://acme.okta.com", "acme.okta.com"},
		{"https://acme.okta.com/", "https://acme.okta.com", "acme.okta.com"},
		{"https://acme.okta.com:443", "https://acme.okta.com:443", "acme.okta.com"},
		{"acme.okta.com:8443", "https://acme.okta.com:8443", "acme.okta.com:8443"},
		{"http://127.0.0.1:9000", "http://127.0.0.1:9000", "127.0.0.1:9000"},
		{"http://localhost:9000", "http://localhost:9000", "localhost:9000"},
		{"http://[::1]:9000", "http://[::1]:9000", "::1:9000"},
		{"sso.example.com", "https://sso.example.com", "sso.example.com"},
		{"http://acme.okta.com", "", ""},
		{"http://10.0.0.1:80", "", ""},
		{"ftp://acme.okta.com", "", ""},
		{"https://acme.okta.com/api/v1", "", ""},
		{"https://acme.okta.com?x=1", "", ""},
		{"https://user:pw@acme.okta.com", "", ""},
		{"acme okta com", "", ""},
		{"acme.okta.com:0", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := BaseURL(tt.in)
			if tt.url == "" {
				if err == nil {
					t.Fatalf("BaseURL(%q): got %v, want an error", tt.in, u)
				}
				return
			}
			if err != nil {
				t.Fatalf("BaseURL(%q): %v", tt.in, err)
			}
			if u.String() != tt.url {
				t.Errorf("BaseURL(%q): got %q, want %q", tt.in, u, tt.url)
			}
			if got := DefaultTenantID(u); got != tt.tenant {
				t.Errorf("DefaultTenantID(%q): got %q, want %q", u, got, tt.tenant)
			}
		})
	}
}
