//go:build unix

package exchange_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the process has used, so that
// benchmarks on a shared, loaded machine can report it beside wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
