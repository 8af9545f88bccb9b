package main

import (
	"net"
	"strings"
	"testing"
)

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "localhost": true,
		"0.0.0.0": false, "": false, "::": false, "192.168.1.10": false, "example.com": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestServeRefusesOpenAddressWithoutToken(t *testing.T) {
	t.Setenv(EnvToken, "")
	for _, args := range [][]string{
		{"serve", "--addr", "0.0.0.0:0"},
		{"serve", "--addr", ":0"},
		{"serve", "--addr", "192.0.2.1:8080"},
	} {
		code, _, stderr := parley(args...)
		if code != 2 || !strings.Contains(stderr, "not a loopback address") || !strings.Contains(stderr, EnvToken) {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
	code, _, stderr := parley("serve", "--addr", "no-port")
	if code != 2 || !strings.Contains(stderr, "HOST:PORT") {
		t.Errorf("bad address: exit %d, %q", code, stderr)
	}
}

// TestServeURL: the announced address is one a browser can open; an
// unspecified host is announced as localhost, listening on all interfaces.
func TestServeURL(t *testing.T) {
	tcp := func(ip string, port int) net.Addr { return &net.TCPAddr{IP: net.ParseIP(ip), Port: port} }
	tests := []struct {
		host string
		ln   net.Addr
		want string
	}{
		{"0.0.0.0", tcp("::", 8081), "http://localhost:8081/, listening on all interfaces"},
		{"::", tcp("::", 8081), "http://localhost:8081/, listening on all interfaces"},
		{"", tcp("::", 8080), "http://localhost:8080/, listening on all interfaces"},
		{"127.0.0.1", tcp("127.0.0.1", 43211), "http://127.0.0.1:43211/"},
		{"localhost", tcp("127.0.0.1", 8080), "http://localhost:8080/"},
		{"parley.example.org", tcp("192.0.2.7", 8080), "http://parley.example.org:8080/"},
		{"::1", tcp("::1", 9000), "http://[::1]:9000/"},
		{"fe80::1%eth0", tcp("fe80::1", 9000), "http://[fe80::1%25eth0]:9000/"},
	}
	for _, tt := range tests {
		if got := serveURL(tt.host, tt.ln); got != tt.want {
			t.Errorf("serveURL(%q, %v) = %q, want %q", tt.host, tt.ln, got, tt.want)
		}
	}
}
