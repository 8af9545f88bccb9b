package registry

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/model/smp"
	"github.com/parley-project/parley/scenario"
)

// TestSizeLimits: a scenario within the readers' limits (100,000 actors ×
// issues) but beyond what a model can hold is refused at once with an
// error that says why, by Run and by the Forecaster a sweep uses, before
// any large allocation. Before these limits 100,000 actors on one issue
// made the EUM ask for an 80 GB table (a fatal out-of-memory error that
// no recover catches: 'parley serve' died with it); 1,000 actors on ten
// issues took the exchange model to 10 GB; 10,000 rounds of a scenario of
// 100,000 positions grew past any memory. Each case runs under a short
// deadline, so without its limit it ends with the deadline's error (or
// not at all) rather than the limit's.
func TestSizeLimits(t *testing.T) {
	cases := []struct {
		name           string
		model, variant string
		sc             *scenario.Scenario
		rounds         int
		want           string
		forecaster     bool
		// sized: model.CheckSize gives Run's refusal without running
		// (what a sweep asks before its first draw); else it passes, or
		// gives size when that is set.
		sized bool
		size  string
	}{
		{"eum: one actor too many on an issue", "eum", "scholz", fixture.Random(eum.MaxActors+1, 1, 3), 1,
			`issue "i0": 10001 actors hold a position; the eum model takes at most 10000 on one issue (its work grows with the square of the actors: n² log n steps a round)`, true, true, ""},
		{"eum paper: one actor too many", "eum", "paper", fixture.Random(eum.MaxActors+1, 1, 3), 1,
			`issue "i0": 10001 actors hold a position; the eum model takes at most 10000 on one issue (its work grows with the square of the actors: n² log n steps a round)`, true, true, ""},
		{"eum: 100,000 actors on one issue", "eum", "", fixture.Random(100_000, 1, 3), 1,
			"100000 actors hold a position; the eum model takes at most 10000 on", true, true, ""},
		{"procedure over eum", "procedure", "eum", fixture.Random(eum.MaxActors+1, 1, 3), 1,
			"10001 actors hold a position", false, true, ""},
		{"smp: one actor too many", "smp", "", fixture.Random(smp.MaxActors+1, 2, 3), 1,
			"the spatial model takes at most 1000 actors (the scenario has 1001)", false, true, ""},
		{"exchange: too many candidate exchanges", "exchange", "", fixture.Random(1000, 10, 3), 1,
			"1000 actors on 10 issues could make 11250000, more than 250000", true, true, ""},
		{"eum: a trajectory of 10⁹ positions", "eum", "", fixture.Random(10, 10_000, 3), model.MaxRounds,
			"10000 rounds of the eum model on 100000 positions would record 1000100000 positions, more than 2000000; ask for at most 19 rounds", false, false, ""},
		{"smp: too many turns for the positions", "smp", "", fixture.Random(100, 100, 3), 1000,
			"ask for at most 199 rounds", false, false, ""},
		{"exchange: too many rounds for the positions", "exchange", "", fixture.Random(20, 2000, 3), 1000,
			"ask for at most 49 rounds", false, false,
			"20 actors on 2000 issues could make 199900000, more than 250000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Default().Get(c.model)
			if err != nil {
				t.Fatal(err)
			}
			opt := model.Options{Variant: c.variant, Rounds: c.rounds}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			_, err = m.Run(ctx, c.sc, opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Run: %v, want an error containing %q", err, c.want)
			}
			switch serr := model.CheckSize(m, c.sc, opt); {
			case c.sized && (serr == nil || serr.Error() != err.Error()):
				t.Errorf("CheckSize: %v, want Run's error %v", serr, err)
			case !c.sized && c.size == "" && serr != nil:
				t.Errorf("CheckSize: %v, want nil (not a limit of the model's size)", serr)
			case c.size != "" && (serr == nil || !strings.Contains(serr.Error(), c.size)):
				t.Errorf("CheckSize: %v, want an error containing %q", serr, c.size)
			}
			// The EUM's perception of one round (parley conflicts) too:
			// 100,000 actors made it ask for the 80 GB table.
			if st := c.sc.Stakeholders(c.sc.Issues[0].ID); c.model == "eum" && len(st) > eum.MaxPerceiveActors {
				if _, err := (eum.Model{}).Perceive(ctx, st, nil, opt); err == nil || !strings.Contains(err.Error(), "actors hold a position; the eum model takes at most 1000 on one issue (its answer is n × n tables of expected utilities, growing with the square of the actors)") {
					t.Errorf("Perceive: %v, want the limit's error", err)
				}
			}
			if !c.forecaster {
				return
			}
			_, err = m.(model.Forecasting).NewForecaster().Forecasts(ctx, c.sc, opt, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Forecasts: %v, want an error containing %q", err, c.want)
			}
		})
	}
}

// TestSizeLimitsLeaveRoom: the largest scenarios the limits allow start
// (the limits refuse only what is beyond them): each runs until a short
// deadline, or to its end, and is never refused for its size.
// kosovo-2007's 10,000 rounds fit MaxPositions (cmd/parley's tests run
// them).
func TestSizeLimitsLeaveRoom(t *testing.T) {
	for _, c := range []struct {
		model  string
		sc     *scenario.Scenario
		rounds int
	}{
		{"eum", fixture.Random(eum.MaxActors, 1, 3), 1},
		{"smp", fixture.Random(smp.MaxActors, 1, 3), 1},
		{"exchange", fixture.Random(180, 8, 3), 1},
		{"eum", fixture.Random(10, 10_000, 3), 19},
	} {
		m, _ := Default().Get(c.model)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		_, err := m.Run(ctx, c.sc, model.Options{Rounds: c.rounds})
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s on %s, %d rounds: %v", c.model, c.sc.Name, c.rounds, err)
		}
	}
}
