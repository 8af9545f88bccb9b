package nash

import (
	"context"
	"math"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

func q(v float64) *float64 { return &v }

// Cases with answers worked out by hand (docs/models/nash.md, "Worked
// examples").
func TestAnalytic(t *testing.T) {
	for _, c := range []struct {
		name     string
		g        Game
		nash, ks float64
	}{
		// Status quo 0, parties at 60 and 100: for 60 ≤ x ≤ 100 the gains
		// are 120 − x and x, so the Nash product peaks at 60 (the kink);
		// Kalai–Smorodinsky equalises (120 − x)/60 = x/100: x = 75.
		{"one side, equal weights", Game{Positions: []float64{60, 100}, Weights: []float64{1, 1}, Min: 0, Max: 100, Power: 1, StatusQuo: q(0)}, 60, 75},
		// Weights 1 and 3: −1/(120 − x) + 3/x = 0, x = 90. KS: (120 − x)/(¼·60)
		// = x/(¾·100): 75(120 − x) = 15x, x = 100.
		{"one side, weights 1 and 3", Game{Positions: []float64{60, 100}, Weights: []float64{1, 3}, Min: 0, Max: 100, Power: 1, StatusQuo: q(0)}, 90, 100},
		// No status quo: each party's disagreement is the far end of the
		// scale, the gains are 100 − x and x, and the weighted Nash
		// solution is the weighted mean 100·3/4.
		{"no status quo", Game{Positions: []float64{0, 100}, Weights: []float64{1, 3}, Min: 0, Max: 100, Power: 1}, 75, 75},
		// Three parties at 40, 60 and 100 over status quo 0: F = (0, 80);
		// on [40, 60] the condition −1/(80 − x) + 2/x = 0 gives 160/3.
		// KS: utopia gains 40, 60, 80; min((80−x)/40, x/60, x/80)·3 is
		// largest where (80 − x)/40 = x/80: x = 160/3 as well.
		{"three parties", Game{Positions: []float64{40, 60, 100}, Weights: []float64{1, 1, 1}, Min: 0, Max: 100, Power: 1, StatusQuo: q(0)}, 160.0 / 3, 160.0 / 3},
		// Quadratic utilities, symmetric parties: the middle.
		{"quadratic, symmetric", Game{Positions: []float64{0, 100}, Weights: []float64{2, 2}, Min: 0, Max: 100, Power: 2}, 50, 50},
		// The status quo between the parties: nothing improves on it for
		// both.
		{"status quo between", Game{Positions: []float64{20, 80}, Weights: []float64{5, 1}, Min: 0, Max: 100, Power: 1, StatusQuo: q(50)}, 50, 50},
		{"a party at the status quo", Game{Positions: []float64{50, 80, 90}, Weights: []float64{1, 1, 1}, Min: 0, Max: 100, Power: 2, StatusQuo: q(50)}, 50, 50},
		// A party with no weight takes no part.
		{"weightless party", Game{Positions: []float64{60, 100, 10}, Weights: []float64{1, 1, 0}, Min: 0, Max: 100, Power: 1, StatusQuo: q(0)}, 60, 75},
	} {
		if got := c.g.Nash(); math.Abs(got-c.nash) > 1e-9 {
			t.Errorf("%s: Nash %v, want %v", c.name, got, c.nash)
		}
		if got := c.g.KalaiSmorodinsky(); math.Abs(got-c.ks) > 1e-9 {
			t.Errorf("%s: Kalai–Smorodinsky %v, want %v", c.name, got, c.ks)
		}
	}
}

// Quadratic utilities with weights 1 and 2 at 0 and 100, no status quo:
// with t = x/100 the first-order condition is t²(2 − t) = 2(1 − t)²(1 + t),
// a cubic solved here by Newton's method from the middle.
func TestQuadraticWeighted(t *testing.T) {
	g := Game{Positions: []float64{0, 100}, Weights: []float64{1, 2}, Min: 0, Max: 100, Power: 2}
	f := func(t float64) float64 { return t*t*(2-t) - 2*(1-t)*(1-t)*(1+t) }
	df := func(t float64) float64 { return 4*t - 3*t*t - 2*(-2*(1-t)*(1+t)+(1-t)*(1-t)) }
	x := 0.5
	for range 50 {
		x -= f(x) / df(x)
	}
	if got := g.Nash(); math.Abs(got-100*x) > 1e-8 {
		t.Errorf("Nash %v, want %v", got, 100*x)
	}
}

func TestRun(t *testing.T) {
	sc, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{VariantNash, VariantKS} {
		res, err := Model{}.Run(context.Background(), sc, model.Options{Variant: v})
		if err != nil {
			t.Fatal(err)
		}
		for _, ir := range res.Issues {
			is := sc.Issue(ir.ID)
			if ir.Stopped != "static" || ir.Forecast < is.Min || ir.Forecast > is.Max {
				t.Errorf("%s %s: %+v", v, ir.ID, ir)
			}
			// status has a status quo (50) with parties on both sides.
			if ir.ID == "status" && ir.Forecast != 50 {
				t.Errorf("%s status: %v, want the status quo 50", v, ir.Forecast)
			}
		}
	}
	// A status quo given as a parameter overrides the scenario's.
	res, err := Model{}.Run(context.Background(), sc, model.Options{Params: model.Params{"status_quo": model.Number(0)}})
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Issues[0].Forecast; f <= 0 {
		t.Errorf("status with status quo 0: %v", f)
	}
	for _, bad := range []model.Params{{"power": model.Number(0.5)}, {"power": model.Number(math.Inf(1))}, {"nope": model.Number(1)}} {
		if _, err := (Model{}).Run(context.Background(), sc, model.Options{Params: bad}); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// With no status quo and linear utilities, two parties' Nash solution is
// their weighted mean; with more parties it is not (the point of
// docs/models/nash.md).
func TestNotTheWeightedMean(t *testing.T) {
	sc := &scenario.Scenario{Name: "t", Issues: []scenario.Issue{{ID: "i", Min: 0, Max: 100}}}
	for i, p := range []float64{0, 30, 100} {
		sc.Actors = append(sc.Actors, scenario.Actor{ID: string(rune('a' + i)), Capability: scenario.N(1),
			Stances: map[string]scenario.Stance{"i": {Position: scenario.N(p), Salience: scenario.N(100)}}})
	}
	res, err := Model{}.Run(context.Background(), sc, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mean := res.Issues[0].Rounds[0].Mean
	if f := res.Issues[0].Forecast; math.Abs(f-mean) < 1 {
		t.Errorf("Nash %v is the weighted mean %v", f, mean)
	}
}
