package conflict

import (
	"context"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenarios"
)

// BenchmarkKosovo is the work of 'parley conflicts kosovo-2007': every
// issue, round 0, each variant.
func BenchmarkKosovo(b *testing.B) {
	sc, err := scenarios.Get("kosovo-2007")
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []string{"scholz", "paper"} {
		b.Run(v, func(b *testing.B) {
			for b.Loop() {
				if _, err := Compute(context.Background(), Config{Scenario: sc, Options: model.Options{Variant: v}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("smp", func(b *testing.B) {
		for b.Loop() {
			if _, err := Compute(context.Background(), Config{Scenario: sc, Model: "smp"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
