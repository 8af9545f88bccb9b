package exchange_test

import (
	"context"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/exchange"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// TestForecasterMatchesRun checks that one Forecaster, reused across
// scenarios, variants, parameters (randomised equal gain and repetitions
// too) and stop rules, gives bit for bit the
// last forecast and the settlement value of each issue of Run's result.
func TestForecasterMatchesRun(t *testing.T) {
	kosovo, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	bases := []*scenario.Scenario{kosovo, fixture.Load(t, "reference/decide/cop21.csv"),
		fixture.Random(12, 4, 1), fixture.Random(7, 3, 2)}
	f := exchange.Model{}.NewForecaster()
	checked, pRuns := 0, 0
	for trial := range 24 {
		sc := bases[trial%len(bases)]
		opt := model.Options{Variant: []string{exchange.EqualGain, exchange.RandomRate}[trial/4%2], Rounds: 3 + trial%9,
			Params: model.Params{"seed": model.Number(float64(1 + trial%3))}}
		if trial%3 == 2 {
			opt.Params["exact"] = model.Text("false")
		}
		switch {
		case trial%5 == 3:
			opt.Stop = model.StopRule{Epsilon: 0.5, K: 2}
		case trial == 6 || trial == 16:
			opt.Variant = exchange.EqualGain // randomised equal gain, repeated
			delete(opt.Params, "exact")
			opt.Params["p"] = model.Number(0.4)
			opt.Params["repetitions"] = model.Number(3)
			pRuns++
		case trial%7 == 5:
			opt.Params["repetitions"] = model.Number(2)
		}
		n, err := fixture.SameForecasts(t, exchange.Model{}, f, sc, opt)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		checked += n
	}
	if checked < 100 || pRuns != 2 {
		t.Errorf("only %d issue forecasts compared, %d runs with p", checked, pRuns)
	}
}

// TestForecasterErrors checks that the Forecaster refuses what Run
// refuses, and stops with the context.
func TestForecasterErrors(t *testing.T) {
	sc := fixture.Load(t, "reference/decide/cop21.csv")
	f := exchange.Model{}.NewForecaster()
	for _, opt := range []model.Options{
		{Variant: "nope"},
		{Params: model.Params{"salience_weight": model.Number(2)}},
		{Rounds: model.MaxRounds + 1},
	} {
		if _, err := (exchange.Model{}).Run(context.Background(), sc, opt); err == nil {
			t.Fatalf("Run accepted %+v", opt)
		}
		if _, err := f.Forecasts(context.Background(), sc, opt, nil); err == nil {
			t.Errorf("Forecasts accepted %+v", opt)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Forecasts(ctx, sc, model.Options{}, nil); err != context.Canceled {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}
