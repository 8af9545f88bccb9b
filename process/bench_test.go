package process

import (
	"context"
	"testing"

	"github.com/parley-project/parley/scenarios"
)

// BenchmarkRunKosovo plays the whole kosovo-2007 process: EUM talks, the
// Security Council vote, the declaration, the recognition model with its
// default 10,000 draws to 2020, and contagion.
func BenchmarkRunKosovo(b *testing.B) {
	sc, err := scenarios.Get("kosovo-2007")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Run(context.Background(), sc, Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
