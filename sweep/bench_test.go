package sweep_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/parley-project/parley/internal/cputime"
	"github.com/parley-project/parley/sweep"
)

// BenchmarkSweep runs EUM sweeps of kosovo-2007 (10 rounds per draw) of
// 1,000 and 10,000 draws on one and two workers. Memory per operation
// (B/op) stays flat in the number of draws beyond the per-draw garbage.
func BenchmarkSweep(b *testing.B) {
	for _, draws := range []int{1000, 10000} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("draws=%d/workers=%d", draws, workers), func(b *testing.B) {
				cfg := config(b, draws)
				cfg.Workers = workers
				b.ReportAllocs()
				cpu0 := cputime.Process()
				var live uint64
				for b.Loop() {
					if _, err := sweep.Run(context.Background(), cfg); err != nil {
						b.Fatal(err)
					}
					live = max(live, liveHeap())
				}
				// CPU seconds are robust on a shared machine where wall
				// time is not; live-B is the heap left after a collection at
				// the end of a sweep (flat in the number of draws).
				b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
				b.ReportMetric(float64(live), "live-B")
			})
		}
	}
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
