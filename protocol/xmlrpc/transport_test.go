package xmlrpc

import (
	"strings"
	"testing"
)

func TestParseServerURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, wantURL, wantSocket, wantUser string
	}{
		{"unix:///var/run/supervisor.sock", "http://localhost/RPC2", "/var/run/supervisor.sock", ""},
		{"unix://rel/s.sock", "http://localhost/RPC2", "rel/s.sock", ""},
		{"http://127.0.0.1:9001", "http://127.0.0.1:9001/RPC2", "", ""},
		{"http://127.0.0.1:9001/", "http://127.0.0.1:9001/RPC2", "", ""},
		{"http://localhost", "http://localhost/RPC2", "", ""},
		{"http://host:9001/proxy/RPC2", "http://host:9001/proxy/RPC2", "", ""},
		{"https://u:p@host/#frag", "https://host/RPC2", "", "u"},
		{"http://[::1]:9001", "http://[::1]:9001/RPC2", "", ""},
	}
	for _, tt := range tests {
		ep, err := parseServerURL(tt.in)
		if err != nil {
			t.Errorf("parseServerURL(%q) error: %v", tt.in, err)
			continue
		}
		if ep.url != tt.wantURL || ep.socket != tt.wantSocket || ep.userinfo.Username() != tt.wantUser {
			t.Errorf("parseServerURL(%q) = %q %q %v; want %q %q %q", tt.in, ep.url, ep.socket, ep.userinfo,
				tt.wantURL, tt.wantSocket, tt.wantUser)
		}
	}
}

func TestParseServerURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"ftp://host", "unknown protocol"},
		{"localhost:9001", "unknown protocol"},
		{"unix://", "missing socket path"},
		{"http://", "missing host"},
		{"http://a b", "server url"},
	}
	for _, tt := range tests {
		if _, err := parseServerURL(tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseServerURL(%q) error = %v; want it to contain %q", tt.in, err, tt.want)
		}
	}
}

func TestNewClientURLCredentials(t *testing.T) {
	t.Parallel()
	c, err := NewClient("http://user:secret@127.0.0.1:9001", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.opts.Username != "user" || c.opts.Password != "secret" || strings.Contains(c.url, "secret") {
		t.Errorf("credentials from URL: options %+v, url %q", c.opts, c.url)
	}
	c, _ = NewClient("http://user:secret@127.0.0.1:9001", Options{Username: "other"})
	if c.opts.Username != "other" || c.opts.Password != "" {
		t.Errorf("explicit options must win over the URL: %+v", c.opts)
	}
}
