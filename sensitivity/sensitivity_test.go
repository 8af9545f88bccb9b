package sensitivity_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/parley-project/parley/model/baseline"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sensitivity"
)

// three actors with interior positions, so no shift is clamped.
func three() *scenario.Scenario {
	sc := &scenario.Scenario{Name: "three", Issues: []scenario.Issue{{ID: "x", Min: 0, Max: 100}}}
	for _, a := range []struct {
		id      string
		c, x, s float64
	}{{"a", 10, 30, 100}, {"b", 20, 50, 50}, {"c", 40, 70, 100}} {
		sc.Actors = append(sc.Actors, scenario.Actor{ID: a.id, Capability: scenario.N(a.c),
			Stances: map[string]scenario.Stance{"x": {Position: scenario.N(a.x), Salience: scenario.N(a.s)}}})
	}
	return sc
}

// TestWeightedMeanAnalytic checks both analyses against the weighted mean,
// whose sensitivities are known in closed form: with weights w = c·s
// (10, 10, 40 here, Σ = 60) a shift of actor i's position by ±δ moves the
// forecast by ±δ w_i/Σw, so the one-at-a-time effect is 2δ w_i/Σw and,
// the forecast being linear in independent uniform shifts, the first-order
// and total indices are both w_i²/Σw_j² = 1/18, 1/18, 16/18.
func TestWeightedMeanAnalytic(t *testing.T) {
	res, err := sensitivity.Analyse(context.Background(), sensitivity.Config{Scenario: three(), Model: baseline.Mean{},
		Ranges: sensitivity.Ranges{Position: 0.1}, Samples: 4000, Seed: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	is := res.Issues[0]
	if want := (10*30 + 10*50 + 40*70) / 60.0; math.Abs(is.Baseline-want) > 1e-9 {
		t.Errorf("baseline %v, want %v", is.Baseline, want)
	}
	want := map[string][3]float64{"a": {20.0 / 6, 1.0 / 18}, "b": {20.0 / 6, 1.0 / 18}, "c": {80.0 / 6, 16.0 / 18}}
	if is.Factors[0].Actor != "c" || is.Factors[0].Attribute != "position" {
		t.Errorf("top input %s %s, want c position", is.Factors[0].Actor, is.Factors[0].Attribute)
	}
	for _, f := range is.Factors {
		if f.Attribute != "position" {
			if f.Effect != 0 || math.Abs(*f.Total) > 1e-9 {
				t.Errorf("%s %s moved the forecast with a zero range: %+v", f.Actor, f.Attribute, f)
			}
			continue
		}
		w := want[f.Actor]
		if math.Abs(f.Effect-w[0]) > 1e-9 {
			t.Errorf("%s position: effect %v, want %v", f.Actor, f.Effect, w[0])
		}
		if math.Abs(*f.First-w[1]) > 0.02 || math.Abs(*f.Total-w[1]) > 0.02 {
			t.Errorf("%s position: S = %.4f, S_T = %.4f, want %.4f", f.Actor, *f.First, *f.Total, w[1])
		}
	}
}

func TestAnalyseRejects(t *testing.T) {
	for _, tt := range []struct {
		cfg  sensitivity.Config
		want string
	}{
		{sensitivity.Config{Scenario: three(), Model: baseline.Mean{}, Ranges: sensitivity.Ranges{Position: 2}}, "ranges must lie in [0, 1]"},
		{sensitivity.Config{Scenario: three(), Model: baseline.Mean{}, Samples: 1}, "samples must be 0 (no Sobol indices) or at least 2, got 1"},
		// Three actors on one issue: 9 inputs; 10⁸ samples would keep
		// 1.1·10⁹ forecasts (8.8 GB).
		{sensitivity.Config{Scenario: three(), Model: baseline.Mean{}, Samples: 1e8},
			"samples: 100000000 samples × (9 inputs + 2) × 1 issues is more than 50000000 forecasts; at most 4545454 samples for this scenario"},
		{sensitivity.Config{Scenario: three(), Model: baseline.Mean{}, Workers: 1000}, "workers must be 0 (one per CPU) to 256, got 1000"},
	} {
		if _, err := sensitivity.Analyse(context.Background(), tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want %q", err, tt.want)
		}
	}
}
