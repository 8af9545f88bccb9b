package registry

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
)

// TestRunStopsOnCancelledContext: every model, and every Forecaster,
// refuses to start work under a context that has already ended and
// returns its error.
func TestRunStopsOnCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sc := fixture.Random(5, 2, 1)
	for _, m := range Default().All() {
		name := m.Info().Name
		if _, err := m.Run(ctx, sc, model.Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Run under a cancelled context = %v, want context.Canceled", name, err)
		}
		if fm, ok := m.(model.Forecasting); ok {
			if _, err := fm.NewForecaster().Forecasts(ctx, sc, model.Options{}, nil); !errors.Is(err, context.Canceled) {
				t.Errorf("%s: Forecasts under a cancelled context = %v, want context.Canceled", name, err)
			}
		}
	}
}

// TestRunStopsMidway: a model cancelled in the middle of a long run —
// within one long round, or among many short ones — returns
// context.Canceled promptly. The cases are sized to run for seconds
// uncancelled, at the most actors each model takes (measured on the
// 2-core development machine: EUM scholz 400 actors 0.14 s a round, so
// 1,000 about 2 s before issue 20's prefix sums, 0.07 s after; paper 2,000
// actors 1.3 s; SMP 1,000 actors on two dimensions seconds a turn; exchange
// 150 actors × 8 issues 1 s; EUM 30 × 3 over 10,000 rounds 2 s).
func TestRunStopsMidway(t *testing.T) {
	if testing.Short() {
		t.Skip("runs large cases")
	}
	cases := []struct {
		model, variant  string
		actors, issues  int
		rounds, workers int
	}{
		{"eum", "scholz", 4000, 1, 1, 1},
		{"eum", "scholz", 4000, 1, 1, 2},
		{"eum", "paper", 4000, 1, 1, 2},
		{"eum", "scholz", 30, 3, model.MaxRounds, 1},
		{"smp", "", 1000, 2, 1, 2},
		{"exchange", "", 180, 8, 1, 1},
		{"procedure", "eum", 4000, 1, 1, 1},
	}
	for _, c := range cases {
		m, err := Default().Get(c.model)
		if err != nil {
			t.Fatal(err)
		}
		sc := fixture.Random(c.actors, c.issues, 7)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := m.Run(ctx, sc, model.Options{Variant: c.variant, Rounds: c.rounds, Workers: c.workers})
			done <- err
		}()
		time.Sleep(50 * time.Millisecond)
		select {
		case err := <-done:
			t.Fatalf("%+v finished (%v) before it was cancelled: make the case larger", c, err)
		default:
		}
		cancel()
		start := time.Now()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%+v: cancelled run returned %v, want context.Canceled", c, err)
			}
			t.Logf("%+v stopped %v after cancellation", c, time.Since(start))
		case <-time.After(2 * time.Second):
			t.Errorf("%+v: still running 2 s after cancellation", c)
			<-done
		}
	}
}
