package sweep_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/sweep"
)

// TestCancelStopsRunningDraws: cancelling a sweep stops the draws that are
// running, not only the ones not yet started: one draw here (EUM, the most
// actors it takes on an issue) takes seconds. The cut-short draws are not counted.
func TestCancelStopsRunningDraws(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a large case")
	}
	cfg := sweep.Config{Scenario: fixture.Random(eum.MaxActors, 1, 3), Model: eum.Model{}, Draws: 4, Seed: 1, Workers: 2,
		Options: model.Options{Rounds: 1}, Noise: sweep.Noise{Position: 0.05}}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := sweep.Run(ctx, cfg)
	if !errors.Is(err, sweep.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if res.Draws != 0 || res.Complete {
		t.Errorf("%d draws counted, complete %v; want none", res.Draws, res.Complete)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the sweep took %v to stop", d)
	}
}
