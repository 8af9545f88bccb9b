package backtest

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Stratum 0's outcome is the first input, stratum 1's the second: one
// ensemble for all issues cannot fit both, one per stratum fits each
// exactly, out of fold.
func TestCrossValidateStrata(t *testing.T) {
	n, groups := 160, 40
	stratum := make([]int, n)
	X, y, group := drawIssues(5, n, groups, func(rng *rand.Rand, i int) ([]float64, float64) {
		stratum[i] = (i / groups) % 2
		x := []float64{rng.Float64() * 100, rng.Float64() * 100}
		return x, x[stratum[i]]
	})
	e := Ensemble{Folds: 4, Seed: 3}
	mae := func(f []float64) float64 {
		var s float64
		for i := range f {
			s += math.Abs(f[i]-y[i]) / float64(n)
		}
		return s
	}
	whole := e.CrossValidate(X, y, group, groups, []float64{1, 0})
	strata := e.CrossValidateStrata(X, y, group, groups, []float64{1, 0}, stratum)
	if m := mae(strata.Forecast); m > 1e-6 {
		t.Errorf("stratified MAE %v, want 0 (weights %v, α %v)", m, strata.Weights, strata.Alpha)
	}
	if m := mae(whole.Forecast); m < 5 {
		t.Errorf("one ensemble for both strata has MAE %v, want it well above 0", m)
	}
	// Half the issues of every fold are in each stratum: the weights
	// average to ½, ½.
	if !near(strata.Weights[0], 0.5, 1e-6) || !near(strata.Weights[1], 0.5, 1e-6) || len(strata.Alpha) != 8 {
		t.Errorf("weights %v, α %v", strata.Weights, strata.Alpha)
	}
	// Without strata it is CrossValidate.
	plain := e.CrossValidateStrata(X, y, group, groups, []float64{1, 0}, nil)
	for i := range y {
		if plain.Forecast[i] != whole.Forecast[i] {
			t.Fatalf("issue %d: %v against %v", i, plain.Forecast[i], whole.Forecast[i])
		}
	}
}

// Select picks the candidate with the lowest training MAE in every fold:
// column 2 is the outcome plus 1, column 1 the outcome plus noise of
// ±5, column 0 is off by 20. Column 3, exact, is not a candidate.
func TestSelect(t *testing.T) {
	groups := 20
	X, y, group := drawIssues(7, 60, groups, func(rng *rand.Rand, _ int) ([]float64, float64) {
		y := rng.Float64() * 100
		return []float64{y + 20, y + 10*rng.Float64() - 5, y + 1, y}, y
	})
	cv := Ensemble{Folds: 5, Seed: 2}.Select(X, y, group, groups, []int{0, 1, 2})
	for i := range y {
		if cv.Forecast[i] != X[i][2] {
			t.Fatalf("issue %d: forecast %v, want column 2's %v", i, cv.Forecast[i], X[i][2])
		}
	}
	if cv.Weights[2] != 1 || cv.Weights[3] != 0 {
		t.Errorf("shares %v", cv.Weights)
	}
	// Equal training losses: the first candidate wins.
	for i := range X {
		X[i][1] = X[i][2]
	}
	if cv := (Ensemble{Folds: 5, Seed: 2}).Select(X, y, group, groups, []int{2, 1}); cv.Weights[2] != 1 {
		t.Errorf("tie: shares %v", cv.Weights)
	}
}

// With the power-weighted means run, the backtest adds power-mean:cv,
// whose out-of-fold forecast of each issue is one of its candidates'.
func TestPowerMeanSelection(t *testing.T) {
	d, used, skipped, specs, fc := predictFixture(t, "mean,power-mean")
	// Under equal capabilities the capability exponent changes nothing:
	// c0, c0.5 and c2 are the mean.
	for s, sp := range specs {
		if sp.Variant == "c0" || sp.Variant == "c0.5" || sp.Variant == "c2" {
			for i := range used {
				if !near(fc.F[s][i], fc.F[0][i], 1e-9) {
					t.Errorf("%s on %s: %v, mean %v", sp, used[i].ID, fc.F[s][i], fc.F[0][i])
				}
			}
		}
	}
	rep := Evaluate(d, []*Forecasts{fc}, skipped, Config{Seed: 1, Bootstrap: 50, Folds: 2, Workers: 1})
	sel := rep.Models[len(rep.Models)-1]
	if sel.Model != "power-mean" || sel.Variant != SelectVariant || !sel.CV || len(sel.Weights) != 7 {
		t.Fatalf("last entry %+v", sel)
	}
	if sum := sumWeights(sel.Weights); !near(sum, 1, 1e-12) {
		t.Errorf("shares sum to %v", sum)
	}
	// Both folds pick s0, the unweighted mean of the positions (equal
	// capabilities, salience^0): its MAE on the six issues is 18.244.
	if sel.Weights["power-mean:s0"] != 1 || !near(sel.MAE, 18.2440476190476, 1e-9) {
		t.Errorf("MAE %v, shares %v", sel.MAE, sel.Weights)
	}
	for _, e := range rep.Models {
		if e.Model == "power-mean" && e.Variant == "s0" && e.MAE != sel.MAE {
			t.Errorf("s0 has MAE %v, the selection %v", e.MAE, sel.MAE)
		}
	}
}
