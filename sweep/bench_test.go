package sweep_test

import (
	"context"
	"fmt"
	"testing"

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
				for b.Loop() {
					if _, err := sweep.Run(context.Background(), cfg); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
