package baseline

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenario"
)

// TestStaticModelsOnEmission checks the three baselines on the emission
// case, whose weights c·s sum to 0.677: the mean is 5.003/0.677 (the
// replication's "Mean position" of round 0), and cumulative weight first
// reaches half at 7, so median and Condorcet winner are 7.
func TestStaticModelsOnEmission(t *testing.T) {
	sc := fixture.Emission(t)
	tests := []struct {
		m    model.Model
		want float64
	}{
		{Mean{}, 7.389955686853767},
		{Median{}, 7},
		{Condorcet{}, 7},
	}
	for _, tc := range tests {
		name := tc.m.Info().Name
		t.Run(name, func(t *testing.T) {
			res, err := tc.m.Run(context.Background(), sc, model.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Model != name || len(res.Issues) != 1 {
				t.Fatalf("got model %q with %d issues", res.Model, len(res.Issues))
			}
			is := res.Issues[0]
			if is.Stopped != "static" || len(is.Rounds) != 1 {
				t.Fatalf("stopped %q after %d rounds, want a single static round", is.Stopped, len(is.Rounds))
			}
			if math.Abs(is.Forecast-tc.want) > 1e-12 {
				t.Errorf("forecast %.15g, want %.15g", is.Forecast, tc.want)
			}
			r := is.Rounds[0]
			if r.Forecast != is.Forecast || r.Median != 7 || math.Abs(r.Mean-7.389955686853767) > 1e-12 {
				t.Errorf("round 0: forecast %g median %g mean %g", r.Forecast, r.Median, r.Mean)
			}
			if len(r.Positions) != 10 || r.Positions["UK"] != 10 || r.Positions["Denmark"] != 4 {
				t.Errorf("positions %v", r.Positions)
			}
		})
	}
}

func TestStaticModelsRejectVariantsAndParams(t *testing.T) {
	sc := fixture.Emission(t)
	for _, m := range []model.Model{Mean{}, Median{}, Condorcet{}} {
		if _, err := m.Run(context.Background(), sc, model.Options{Variant: "scholz"}); err == nil {
			t.Errorf("%s accepted a variant", m.Info().Name)
		}
		if _, err := m.Run(context.Background(), sc, model.Options{Params: model.Params{"q": model.Number(1)}}); err == nil {
			t.Errorf("%s accepted an unknown parameter", m.Info().Name)
		}
	}
}

func TestCondorcetWinner(t *testing.T) {
	tests := []struct {
		name    string
		x, w, r []float64
		want    float64
	}{
		// Risk-neutral voters: losses 1.2, 1.0, 1.3 (in units of the range) → 40,
		// the weighted median.
		{"risk neutral", []float64{0, 40, 100}, []float64{1, 0.5, 1}, []float64{1, 1, 1}, 40},
		// Risk-acceptant voters (r = 0.5) discount distance: losses 1.316, 1.407,
		// 1.387 → the extreme 0 beats the median.
		{"risk acceptant", []float64{0, 40, 100}, []float64{1, 0.5, 1}, []float64{0.5, 0.5, 0.5}, 0},
		// Risk-averse voters (r = 2): losses 0.36+1.2=1.56, 0.552, 1.16 → 60.
		{"risk averse", []float64{0, 60, 100}, []float64{1, 1, 1.2}, []float64{2, 2, 2}, 60},
		// Two equal camps tie; the lower position is returned.
		{"tie", []float64{30, 70}, []float64{1, 1}, []float64{1, 1}, 30},
		{"all equal", []float64{5, 5, 5}, []float64{1, 2, 3}, []float64{1, 1, 1}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CondorcetWinner(tc.x, tc.w, tc.r); got != tc.want {
				t.Errorf("CondorcetWinner = %g, want %g", got, tc.want)
			}
		})
	}
}

// TestCondorcetWinnerBeatsEveryPosition checks the definition directly: the
// winner a gets Σ_k w_k (u_k(a) − u_k(b)) ≥ 0 against every position b
// (Scholz et al. 2011 eq. 28 summed over voters), on random data.
func TestCondorcetWinnerBeatsEveryPosition(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		n := 2 + rng.IntN(8)
		x, w, r := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(101))
			w[i] = rng.Float64()
			r[i] = 0.5 + 1.5*rng.Float64()
		}
		a := CondorcetWinner(x, w, r)
		lo, hi := x[0], x[0]
		for _, v := range x {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		u := func(k int, y float64) float64 {
			if hi == lo {
				return 0
			}
			return -math.Pow(math.Abs(x[k]-y)/(hi-lo), r[k])
		}
		for _, b := range x {
			var votes float64
			for k := range x {
				votes += w[k] * (u(k, a) - u(k, b))
			}
			if votes < -1e-12 {
				t.Fatalf("trial %d: x=%v w=%v r=%v: winner %g loses to %g by %g", trial, x, w, r, a, b, votes)
			}
		}
	}
}

func TestCondorcetUsesFixedRiskAttitudes(t *testing.T) {
	risk := 0.5
	sc := &scenario.Scenario{Name: "risk", Issues: []scenario.Issue{{ID: "i", Min: 0, Max: 100}}}
	for i, p := range []struct {
		x, s float64
	}{{0, 100}, {40, 50}, {100, 100}} {
		sc.Actors = append(sc.Actors, scenario.Actor{
			ID: string(rune('a' + i)), Capability: scenario.N(1), Risk: &risk,
			Stances: map[string]scenario.Stance{"i": {Position: scenario.N(p.x), Salience: scenario.N(p.s)}},
		})
	}
	res, err := Condorcet{}.Run(context.Background(), sc, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Issues[0].Forecast; got != 0 {
		t.Errorf("risk-acceptant Condorcet winner = %g, want 0", got)
	}
	med, err := Median{}.Run(context.Background(), sc, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := med.Issues[0].Forecast; got != 40 {
		t.Errorf("weighted median = %g, want 40", got)
	}
}

// TestPowerMeanOnEmission checks each PowerMean variant on the emission
// case against Σ c^a s^b x / Σ c^a s^b worked out by hand from the
// fixture's ten actors (positions 4, 7 and 10).
func TestPowerMeanOnEmission(t *testing.T) {
	sc := fixture.Emission(t)
	want := map[string]float64{
		"s0.5": 7.449701708251368,
		"s0":   7.475247524752472, // Σ c x / Σ c = 7.55 / 1.01
		"s2":   7.238996215893249,
		"c0":   6.655737704918033, // Σ s x / Σ s = 40.6 / 6.1
		"c0.5": 7.053808659880867,
		"c2":   7.85570357102877,
	}
	if got := len((PowerMean{}).Info().Variants); got != len(want) {
		t.Fatalf("%d variants, want %d", got, len(want))
	}
	for _, v := range (PowerMean{}).Info().Variants {
		res, err := PowerMean{}.Run(context.Background(), sc, model.Options{Variant: v.Name})
		if err != nil {
			t.Fatal(err)
		}
		if f := res.Issues[0].Forecast; math.Abs(f-want[v.Name]) > 1e-12 {
			t.Errorf("%s: forecast %.15g, want %.15g", v.Name, f, want[v.Name])
		}
		if res.Variant != v.Name {
			t.Errorf("%s: result variant %q", v.Name, res.Variant)
		}
	}
	if _, err := (PowerMean{}).Run(context.Background(), sc, model.Options{Variant: "s3"}); err == nil {
		t.Error("unknown variant accepted")
	}
}
