//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parley-project/parley/model"
)

// TestCtrlCStopsAForecast: SIGINT (Ctrl-C) cancels the running command
// from the root: a forecast at the most rounds allowed, which takes
// seconds, stops at once, writes nothing and says it was interrupted.
func TestCtrlCStopsAForecast(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.json")
	var stdout, stderr bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- execute([]string{"forecast", "--no-store", "--json", "-o", out, "-r", strconv.Itoa(model.MaxRounds), "kosovo-2007"}, &stdout, &stderr)
	}()
	time.Sleep(300 * time.Millisecond)
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	select {
	case c := <-code:
		if c != 1 || !strings.Contains(stderr.String(), "parley: interrupted; nothing written") {
			t.Errorf("exit %d, stderr %q; want 1 and the interruption", c, stderr.String())
		}
		if d := time.Since(start); d > 5*time.Second { // the whole run takes about 20 s of CPU; a loaded machine may delay the stop by a second or more
			t.Errorf("the forecast took %v to stop", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the forecast still runs 10 s after SIGINT")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s written (%v) by an interrupted forecast", out, err)
	}
}
