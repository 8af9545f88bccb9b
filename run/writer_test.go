package run

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"testing"
)

// TestWriterGone: a writer on this machine whose process has ended is
// gone; a live one, one on another machine and a token that does not say
// are not.
func TestWriterGone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("processes are not checked on Windows")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	dead := host + "/" + strconv.Itoa(cmd.Process.Pid) + "/ab"
	for owner, gone := range map[string]bool{
		newOwner():               false,
		dead:                     true,
		"elsewhere.example/1/ab": false,
		host + "/notapid/ab":     false,
		"0123456789abcdef":       false,
		"":                       false,
	} {
		if got := WriterGone(owner); got != gone {
			t.Errorf("WriterGone(%q) = %v, want %v", owner, got, gone)
		}
	}
}
