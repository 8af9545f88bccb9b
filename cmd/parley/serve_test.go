package main

import (
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
