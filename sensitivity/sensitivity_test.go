package sensitivity_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model/baseline"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/sensitivity"
)

// three actors with interior positions, so no shift is clamped.
func three() *scenario.Scenario {
	return fixture.OneIssue("three", "x", 0, 100, fixture.Stance{ID: "a", C: 10, X: 30, S: 100},
		fixture.Stance{ID: "b", C: 20, X: 50, S: 50}, fixture.Stance{ID: "c", C: 40, X: 70, S: 100})
}

// TestWeightedMeanAnalytic checks both analyses against the weighted mean,
// whose sensitivities are known in closed form: with weights w = c·s
// (10, 10, 40 here, Σ = 60) a shift of actor i's position by ±δ moves the
// forecast by ±δ w_i/Σw, so the one-at-a-time effect is 2δ w_i/Σw and,
// the forecast being linear in independent uniform shifts, the first-order
// and total indices are both w_i²/Σw_j² = 1/18, 1/18, 16/18.
func TestWeightedMeanAnalytic(t *testing.T) {
	res, err := sensitivity.Analyse(context.Background(), sensitivity.Config{Scenario: three(), Model: baseline.Mean{},
		Ranges: &sensitivity.Ranges{Position: 0.1}, Samples: 4000, Seed: 3, Workers: 2})
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
		{sensitivity.Config{Scenario: three(), Model: baseline.Mean{}, Ranges: &sensitivity.Ranges{Position: 2}}, "ranges must lie in [0, 1]"},
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

// TestRankedByEffect is the case issue 14 reports: on kosovo-2007's cfe
// issue an input that moves the EUM's forecast from 10 to about 90 ranked
// 17th, below inputs with no effect, because the ranking went by the total
// Sobol index. Inputs now rank by the effect the table shows, whatever the
// Sobol estimates say, and carry the actor's name.
func TestRankedByEffect(t *testing.T) {
	sc, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	res, err := sensitivity.Analyse(context.Background(), sensitivity.Config{Scenario: sc, Model: eum.Model{}, Samples: 8, Seed: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, is := range res.Issues {
		for k := 1; k < len(is.Factors); k++ {
			if is.Factors[k].Effect > is.Factors[k-1].Effect {
				t.Fatalf("%s: rank %d has effect %v above rank %d's %v", is.ID, k+1, is.Factors[k].Effect, k, is.Factors[k-1].Effect)
			}
		}
		// An input whose two ends both move the forecast far from the
		// coded one has a large effect even when the ends agree: on cfe
		// the United Kingdom's salience gives 94.65 at its low end and 90
		// at its high end against 10 as coded, so |High − Low| = 4.65
		// ranked it 13th, below inputs that move the forecast by 10.
		for _, f := range is.Factors {
			if d := math.Max(math.Abs(f.Low-is.Baseline), math.Abs(f.High-is.Baseline)); f.Effect < d-1e-9 {
				t.Errorf("%s: %s %s: effect %v, but an end moves the forecast by %v from %v as coded (%v, %v)", is.ID, f.Actor, f.Attribute, f.Effect, d, is.Baseline, f.Low, f.High)
			}
		}
		if is.ID != "cfe" {
			continue
		}
		for k, f := range is.Factors {
			if f.Actor == "uk" && f.Attribute == "salience" && k > 5 {
				t.Errorf("cfe: the United Kingdom's salience (%v, %v against %v as coded) ranks %d", f.Low, f.High, is.Baseline, k+1)
			}
		}
		top := is.Factors[0]
		if top.Effect < 70 || min(top.Low, top.High, is.Baseline) > 11 || max(top.Low, top.High, is.Baseline) < 80 {
			t.Errorf("cfe's top input %s %s moves the forecast from %v as coded to %v and %v; want one that crosses the scale", top.Actor, top.Attribute, is.Baseline, top.Low, top.High)
		}
		for _, f := range is.Factors {
			if a := sc.Actor(f.Actor); a == nil || f.Name != a.DisplayName() {
				t.Errorf("factor %s named %q", f.Actor, f.Name)
			}
		}
	}
}

// TestInputsFollowEvidence checks the ends of each input under the
// scenario's uncertainty on the weighted mean (weights 10, 10, 40): actor
// c's position moves over its own range [60, 90]; a and b, which cite no
// evidence, over the 5th–95th percentile of the wider default, ±1.645 ×
// 10 points; b's salience carries an sd of 10.
func TestInputsFollowEvidence(t *testing.T) {
	sc := three()
	c := sc.Actors[2].Stances["x"]
	c.Position.Range = []float64{60, 90}
	sc.Actors[2].Stances["x"] = c
	sd := 10.0
	b := sc.Actors[1].Stances["x"]
	b.Salience.SD = &sd
	sc.Actors[1].Stances["x"] = b
	res, err := sensitivity.Analyse(context.Background(), sensitivity.Config{Scenario: sc, Model: baseline.Mean{}})
	if err != nil {
		t.Fatal(err)
	}
	const z = 1.6448536269514722
	mean := func(xa, xb, xc, sb float64) float64 {
		wa, wb, wc := 10*100.0, 20*sb, 40*100.0
		return (wa*xa + wb*xb + wc*xc) / (wa + wb + wc)
	}
	want := map[string][2]float64{
		"c position": {mean(30, 50, 60, 50), mean(30, 50, 90, 50)},
		"a position": {mean(30-10*z, 50, 70, 50), mean(30+10*z, 50, 70, 50)},
		"b salience": {mean(30, 50, 70, 50-10*z), mean(30, 50, 70, 50+10*z)},
	}
	for _, f := range res.Issues[0].Factors {
		w, ok := want[f.Actor+" "+f.Attribute]
		if !ok {
			continue
		}
		if math.Abs(f.Low-w[0]) > 1e-9 || math.Abs(f.High-w[1]) > 1e-9 {
			t.Errorf("%s %s: %v → %v, want %v → %v", f.Actor, f.Attribute, f.Low, f.High, w[0], w[1])
		}
		delete(want, f.Actor+" "+f.Attribute)
	}
	if len(want) > 0 {
		t.Errorf("inputs missing: %v", want)
	}
	if res.Ranges != nil || res.Levels == nil || res.ThinLevels.Position != 0.1 {
		t.Errorf("result says ranges %v, levels %v / %v", res.Ranges, res.Levels, res.ThinLevels)
	}
}

// TestIssueCapabilityMovesWithActor: an actor's capability on an issue
// moves with its capability, as one input. On the weighted mean of an
// issue where only the capability of its own weighs (a on y), the
// capability input moves y's forecast exactly as the capability on y's
// ends say: here ±20% (--capability-range 0.2) of 40.
func TestIssueCapabilityMovesWithActor(t *testing.T) {
	sc := three()
	sc.Issues = append(sc.Issues, scenario.Issue{ID: "y", Min: 0, Max: 100})
	sc.Actors[0].Stances["y"] = scenario.Stance{Position: scenario.N(0), Salience: scenario.N(100), Capability: scenario.N(40)}
	sc.Actors[1].Stances["y"] = scenario.Stance{Position: scenario.N(100), Salience: scenario.N(100)}
	res, err := sensitivity.Analyse(context.Background(), sensitivity.Config{Scenario: sc, Model: baseline.Mean{},
		Ranges: &sensitivity.Ranges{Capability: 0.2}})
	if err != nil {
		t.Fatal(err)
	}
	mean := func(ca float64) float64 { return 100 * 20 / (ca + 20) } // b's weight 20·1 at 100, a's ca·1 at 0
	for _, is := range res.Issues {
		if is.ID != "y" {
			continue
		}
		for _, f := range is.Factors {
			if f.Actor == "a" && f.Attribute == "capability" {
				if math.Abs(f.Low-mean(32)) > 1e-9 || math.Abs(f.High-mean(48)) > 1e-9 {
					t.Errorf("a capability on y: %v → %v, want %v → %v", f.Low, f.High, mean(32), mean(48))
				}
				return
			}
		}
	}
	t.Error("no capability input of a on y")
}
