package sweeprun

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
)

// newOwner is a writer's lease token: the machine's name, the process id
// and a random part, so that a process resuming a sweep on the same
// machine can tell a writer that was killed (its process is gone) from
// one still at work (see WriterGone).
func newOwner() string {
	var b [8]byte
	rand.Read(b[:])
	host, _ := os.Hostname()
	return host + "/" + strconv.Itoa(os.Getpid()) + "/" + hex.EncodeToString(b[:])
}

// WriterGone reports whether the writer that owner names is known to be
// gone: it ran on this machine and its process no longer exists. A
// writer on another machine, or one whose token does not say, is not
// known to be gone: its lease has to lapse.
func WriterGone(owner string) bool {
	parts := strings.Split(owner, "/")
	if len(parts) != 3 {
		return false
	}
	host, _ := os.Hostname()
	pid, err := strconv.Atoi(parts[1])
	if err != nil || host == "" || parts[0] != host || pid <= 0 {
		return false
	}
	return !processAlive(pid)
}
