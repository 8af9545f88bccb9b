package recognition

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkForecast runs the performance target of issue 4: 193 states ×
// 156 months (January 2008 to December 2020) × 10,000 draws.
func BenchmarkForecast(b *testing.B) {
	in := Kosovo()
	in.Start = time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("draws=10000/workers=%d", w), func(b *testing.B) {
			for b.Loop() {
				res, err := Forecast(context.Background(), in, Options{Draws: 10000, Seed: 1, Workers: w})
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Cumulative) != 156 || len(res.States) != 193 {
					b.Fatalf("%d months, %d states", len(res.Cumulative), len(res.States))
				}
			}
		})
	}
}
