package sweep_test

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model/baseline"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/sweep"
)

// A sweep of the weighted-mean forecast of the emission case, with noise
// on positions and capabilities, split into two shards and merged: the
// merged result equals the unsharded one.
func ExampleRun() {
	sc, _ := scenarios.Get("emission-1994")
	cfg := sweep.Config{Scenario: sc, Model: baseline.Mean{}, Draws: 1000, Seed: 42,
		Noise: sweep.Noise{Position: 0.05, Capability: 0.3}}
	whole, _ := sweep.Run(context.Background(), cfg)

	var parts []*sweep.Result
	for k := 1; k <= 2; k++ {
		cfg.Shard = sweep.Shard{K: k, N: 2}
		part, _ := sweep.Run(context.Background(), cfg)
		parts = append(parts, part)
	}
	merged, _ := sweep.Merge(parts...)
	a, _ := whole.Encode()
	b, _ := merged.Encode()

	is := whole.Issues[0]
	fmt.Printf("median %.2f, 90%% of draws in [%.2f, %.2f]\n", is.Quantiles.P50, is.Quantiles.P5, is.Quantiles.P95)
	fmt.Println("merged shards equal the whole:", string(a) == string(b))
	// Output:
	// median 7.29, 90% of draws in [6.66, 7.82]
	// merged shards equal the whole: true
}
