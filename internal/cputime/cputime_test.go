package cputime_test

import (
	"testing"
	"time"

	"github.com/parley-project/parley/internal/cputime"
)

// TestProcessCounts: spinning for a while adds CPU time.
func TestProcessCounts(t *testing.T) {
	before := cputime.Process()
	if before == 0 {
		t.Skip("CPU time is not measured on this system")
	}
	x := 1.0
	for start := time.Now(); cputime.Process()-before < 20*time.Millisecond; {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("10 s of wall time added only %v of CPU time", cputime.Process()-before)
		}
		for range 100000 {
			x = x*1.0000001 + 1e-9
		}
	}
	sink = x
}

var sink float64
