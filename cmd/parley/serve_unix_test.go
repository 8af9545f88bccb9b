//go:build unix

package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeStopsOnSIGTERM starts the real command, calls the API, and
// stops it with SIGTERM: it shuts down cleanly with exit status 0.
func TestServeStopsOnSIGTERM(t *testing.T) {
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- execute([]string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "p.db"), "--grace", "1s"}, &out, &errb)
	}()
	addr := regexp.MustCompile(`serving http://([0-9.:]+)/`)
	var m []string
	for deadline := time.Now().Add(10 * time.Second); m == nil; m = addr.FindStringSubmatch(errb.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("no address announced: %q", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	resp, err := http.Get("http://" + m[1] + "/api/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /api/v1/models: %d", resp.StatusCode)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(errb.String(), "shutting down") {
			t.Errorf("exit %d: %q", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop on SIGTERM")
	}
}
