package eum_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// jitter returns a copy of sc with positions, saliences and capabilities
// moved at random and, for some actors, no position (they sit out).
func jitter(sc *scenario.Scenario, rng *rand.Rand) *scenario.Scenario {
	out := *sc
	out.Actors = make([]scenario.Actor, len(sc.Actors))
	for ai, a := range sc.Actors {
		a.Capability.Value *= math.Exp(0.3 * rng.NormFloat64())
		st := map[string]scenario.Stance{}
		for _, is := range sc.Issues {
			s, ok := a.Stances[is.ID]
			if !ok {
				continue
			}
			if s.Position.Set && rng.Float64() < 0.1 {
				continue
			}
			if s.Position.Set && rng.Float64() < 0.7 {
				// A coarse grid makes shared positions and cycles common.
				s.Position.Value = is.Min + float64(rng.IntN(5))*(is.Max-is.Min)/4
			}
			s.Salience.Value *= math.Exp(0.2 * rng.NormFloat64())
			st[is.ID] = s
		}
		a.Stances = st
		out.Actors[ai] = a
	}
	return &out
}

// TestForecasterMatchesRun checks that one Forecaster, reused across
// scenarios of different sizes, variants and options, gives bit for bit
// the forecasts of Run.
func TestForecasterMatchesRun(t *testing.T) {
	kosovo, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	bases := []*scenario.Scenario{kosovo, fixture.Emission(t)}
	f := eum.Model{}.NewForecaster()
	rng := rand.New(rand.NewPCG(6, 6))
	checked := 0
	for trial := range 60 {
		sc := bases[trial%2]
		if trial >= 4 {
			sc = jitter(sc, rng)
		}
		opt := model.Options{Variant: []string{"scholz", "paper"}[trial/2%2], Workers: 1 + trial%3}
		if trial%5 == 4 {
			opt.Stop = model.StopRule{Epsilon: 0.5, K: 2}
		}
		if trial%3 == 1 {
			opt.Params = model.Params{"q": model.Number(0.5 + 0.5*rng.Float64())}
		}
		n, err := fixture.SameForecasts(t, eum.Model{}, f, sc, opt)
		if err != nil {
			continue // an issue without positions
		}
		checked += n
	}
	if checked < 100 {
		t.Errorf("only %d issue forecasts compared", checked)
	}
}

// TestForecasterErrors checks that the Forecaster rejects what Run rejects.
func TestForecasterErrors(t *testing.T) {
	sc := fixture.Emission(t)
	f := eum.Model{}.NewForecaster()
	for _, opt := range []model.Options{
		{Variant: "nope"},
		{Params: model.Params{"q": model.Number(2)}},
		{Params: model.Params{"t": model.Number(3)}},
	} {
		if _, err := (eum.Model{}).Run(context.Background(), sc, opt); err == nil {
			t.Fatalf("Run accepted %+v", opt)
		}
		if _, err := f.Forecasts(context.Background(), sc, opt, nil); err == nil {
			t.Errorf("Forecasts accepted %+v", opt)
		}
	}
}
