package main

import (
	"net"
	"os"
	"slices"
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

// TestServeTokenAndCounts: a server beyond loopback needs a token of at
// least MinTokenLength characters (" " was accepted); a blank token is
// refused anywhere; the server's counts are bounded.
func TestServeTokenAndCounts(t *testing.T) {
	t.Setenv(EnvToken, "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--addr", "0.0.0.0:0", "--token", " "}, "the access token is blank"},
		{[]string{"serve", "--addr", "0.0.0.0:0", "--token", "short"}, "at least 16 characters on an address other than loopback"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--token", "   "}, "the access token is blank"},
		{[]string{"serve", "--workers", "100000"}, "--workers must be 0 (one per CPU, at least 2) to 256"},
		{[]string{"serve", "--queue", "0"}, "--queue must be 1 to 100000"},
		{[]string{"serve", "--max-draws", "0"}, "--max-draws must be 1 to 1000000000"},
		{[]string{"serve", "--max-interval-draws", "0"}, "--max-interval-draws must be 1 to 1000000"},
		{[]string{"serve", "--max-interval-draws", "1000001"}, "--max-interval-draws must be 1 to 1000000"},
		{[]string{"serve", "--max-body", "10"}, "--max-body must be 1 KiB to 1 GiB"},
		{[]string{"serve", "--parse-budget", "100"}, "--parse-budget must be at least --max-body"},
		{[]string{"serve", "--forecast-budget", "-5"}, "--forecast-budget must be 0 (the default) to 2^40 positions, got -5"},
		{[]string{"serve", "--timeout", "1ms"}, "--timeout must be at least 1s"},
		{[]string{"serve", "--max-cells", "0"}, "--max-input and --max-cells must be positive"},
	} {
		code, _, stderr := parley(c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q, want %q", c.args, code, stderr, c.want)
		}
	}
	t.Setenv(EnvToken, " ")
	if code, _, stderr := parley("serve", "--addr", "0.0.0.0:0"); code != 2 || !strings.Contains(stderr, "blank") {
		t.Errorf("$%s blank: exit %d, %q", EnvToken, code, stderr)
	}
}

// TestAllowedHosts: the names a server answers to besides IP literals
// and localhost.
func TestAllowedHosts(t *testing.T) {
	name, _ := os.Hostname()
	for _, tt := range []struct {
		host  string
		extra []string
		want  []string
	}{
		{"127.0.0.1", nil, nil},
		{"parley.example.org", []string{"x.example"}, []string{"x.example", "parley.example.org"}},
		{"0.0.0.0", nil, []string{name}},
		{"", []string{"*"}, []string{"*", name}},
	} {
		if got := allowedHosts(tt.host, tt.extra); !slices.Equal(got, tt.want) {
			t.Errorf("allowedHosts(%q, %v) = %v, want %v", tt.host, tt.extra, got, tt.want)
		}
	}
}
