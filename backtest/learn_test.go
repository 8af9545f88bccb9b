package backtest

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"github.com/parley-project/parley/backtest/deu3"
)

// crpsByIntegral is ∫ (F(z) − 1{z ≥ y})² dz by the midpoint rule on a
// fine grid over [lo, hi], for checking Distribution.CRPS.
func crpsByIntegral(d *Distribution, y, lo, hi float64) float64 {
	const n = 200000
	h := (hi - lo) / n
	var s float64
	for k := range n {
		z := lo + (float64(k)+0.5)*h
		var F float64
		for j, x := range d.X {
			if x <= z {
				F += d.P[j]
			}
		}
		H := 0.0
		if z >= y {
			H = 1
		}
		s += (F - H) * (F - H) * h
	}
	return s
}

func TestDistribution(t *testing.T) {
	cases := []struct {
		name      string
		x, p      []float64
		y         float64
		median    float64
		crps      float64 // hand-computed; NaN: check by integral only
		wantAtoms int
	}{
		// A point mass: the CRPS is the absolute error.
		{"point", []float64{30}, []float64{1}, 42, 30, 12, 1},
		// Two halves at 0 and 100, outcome 0: E|X−y| = 50, ½E|X−X′| = 25.
		{"two halves", []float64{100, 0}, []float64{0.5, 0.5}, 0, 0, 25, 2},
		// Equal positions merge; the lower median is the first position
		// where the cumulative probability reaches ½.
		{"merged", []float64{50, 10, 50, 90}, []float64{0.2, 0.3, 0.2, 0.3}, 60, 50, math.NaN(), 3},
		{"three", []float64{0, 40, 100}, []float64{0.25, 0.5, 0.25}, 70, 40, math.NaN(), 3},
	}
	for _, c := range cases {
		d := newDistribution(c.x, c.p)
		if len(d.X) != c.wantAtoms || !slices.IsSorted(d.X) {
			t.Errorf("%s: atoms %v", c.name, d.X)
		}
		if m := d.Median(); m != c.median {
			t.Errorf("%s: median %v, want %v", c.name, m, c.median)
		}
		got := d.CRPS(c.y)
		if !math.IsNaN(c.crps) && !near(got, c.crps, 1e-12) {
			t.Errorf("%s: CRPS %v, want %v", c.name, got, c.crps)
		}
		if in := crpsByIntegral(d, c.y, -10, 110); !near(got, in, 1e-3) {
			t.Errorf("%s: CRPS %v, integral %v", c.name, got, in)
		}
	}
}

// syntheticCases draws cases of DEU III's shape: the Commission, the
// Parliament and eight member states with positions on a grid of 10,
// saliences, a reference point on two issues in three, proposals of one
// to three issues. outcome gives each case's outcome.
func syntheticCases(seed uint64, n int, outcome func(rng *rand.Rand, c *Case) float64) ([]Case, []float64, []int, int) {
	rng := rand.New(rand.NewPCG(seed, 11))
	ids := []string{deu3.Commission, deu3.Parliament, "de", "fr", "it", "es", "pl", "nl", "be", "se"}
	cases := make([]Case, n)
	y := make([]float64, n)
	group := make([]int, n)
	g, left := -1, 0
	for i := range cases {
		if left == 0 {
			g, left = g+1, 1+rng.IntN(3)
		}
		left--
		group[i] = g
		c := Case{Reference: math.NaN(), Rule: deu3.QMV, Procedure: deu3.Codecision}
		if rng.IntN(3) == 0 {
			c.Procedure = deu3.Consultation
		}
		if rng.IntN(5) == 0 {
			c.Rule = deu3.Unanimity
		}
		if rng.IntN(3) > 0 {
			c.Reference = float64(10 * rng.IntN(11))
		}
		for _, id := range ids {
			c.ID = append(c.ID, id)
			c.X = append(c.X, float64(10*rng.IntN(11)))
			c.C = append(c.C, 1)
			c.S = append(c.S, 0.1+0.9*rng.Float64())
			c.W = append(c.W, c.C[len(c.C)-1]*c.S[len(c.S)-1])
		}
		var num, den float64
		for a := range c.X {
			num += c.W[a] * c.X[a]
			den += c.W[a]
		}
		c.Mean = num / den
		cases[i] = c
	}
	addProposals(cases, group)
	for i := range cases {
		y[i] = outcome(rng, &cases[i])
	}
	return cases, y, group, g + 1
}

func ptrs(cases []Case) []*Case {
	out := make([]*Case, len(cases))
	for i := range cases {
		out[i] = &cases[i]
	}
	return out
}

// Each learner recovers what the synthetic outcomes were made from.
func TestLearnersRecoverTheirModels(t *testing.T) {
	laplace := func(rng *rand.Rand, b float64) float64 { return rng.ExpFloat64() * b * float64(1-2*rng.IntN(2)) }
	tests := []struct {
		name    string
		l       Learner
		outcome func(rng *rand.Rand, c *Case) float64
		check   func(t *testing.T, p map[string]float64)
	}{
		{"institutions", institutionWeights{}, func(_ *rand.Rand, c *Case) float64 {
			if c.Procedure == deu3.Codecision {
				return c.institutionMean(4, 1)
			}
			return c.institutionMean(1, 0)
		}, func(t *testing.T, p map[string]float64) {
			if p["com COD"] != 4 || p["ep COD"] != 1 || p["com CNS"] != 1 || p["ep CNS"] != 0 {
				t.Errorf("factors %v, want com 4 under COD, ep 0 under CNS", p)
			}
		}},
		{"reference shift", referenceShift{}, func(rng *rand.Rand, c *Case) float64 {
			if !c.HasReference() {
				return c.Mean - 3 + laplace(rng, 1)
			}
			return c.Mean + 5*c.direction() + laplace(rng, 1)
		}, func(t *testing.T, p map[string]float64) {
			if !near(p["away from reference"], 5, 0.3) || !near(p["no reference"], -3, 0.3) {
				t.Errorf("shifts %v, want 5 and −3", p)
			}
		}},
		{"trimmed mean", trimmedMean{}, func(_ *rand.Rand, c *Case) float64 { return c.trimmedMean(0.2) },
			func(t *testing.T, p map[string]float64) {
				if p["trim share"] != 0.2 {
					t.Errorf("trim %v, want 0.2", p)
				}
			}},
		{"package mean", packageMean{}, func(_ *rand.Rand, c *Case) float64 { return c.packageMean(1) },
			func(t *testing.T, p map[string]float64) {
				if p["gamma"] != 1 {
					t.Errorf("γ %v, want 1", p)
				}
			}},
		{"median regression", medianRegression{}, func(rng *rand.Rand, c *Case) float64 {
			com, _ := c.actor(deu3.Commission)
			return 0.5*c.Mean + 0.5*com + laplace(rng, 2)
		}, func(t *testing.T, p map[string]float64) {
			if !near(p["mean"], 0.5, 0.1) || !near(p["com"], 0.5, 0.1) || p["penalty +Inf (the mean)"] != 0 || p["penalty 0.01"] != 0 {
				t.Errorf("coefficients %v, want mean 0.5, com 0.5, a small penalty", p)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cases, y, _, _ := syntheticCases(3, 400, tc.outcome)
			fit := tc.l.Fit(ptrs(cases), y, 1)
			tc.check(t, fit.Params())
			// The fitted learner forecasts fresh issues better than the
			// weighted mean does.
			test, ty, _, _ := syntheticCases(4, 200, tc.outcome)
			var mae, meanMAE float64
			for i := range test {
				mae += math.Abs(fit.Predict(&test[i]).Point - ty[i])
				meanMAE += math.Abs(test[i].Mean - ty[i])
			}
			if mae >= meanMAE {
				t.Errorf("MAE %v, the mean's %v", mae/200, meanMAE/200)
			}
		})
	}
}

// Outcomes land on the Commission's position four times in five, else
// near the mean: the mixture learns to put its mass there, its predictive
// median is the Commission's position, and its CRPS beats the weighted
// mean's absolute error and the mixture without focal points.
func TestFocalMixtureLearnsAFocalPoint(t *testing.T) {
	outcome := func(rng *rand.Rand, c *Case) float64 {
		if rng.IntN(5) < 4 {
			com, _ := c.actor(deu3.Commission)
			return com
		}
		return clampScale(c.Mean + 3*rng.NormFloat64())
	}
	cases, y, _, _ := syntheticCases(5, 300, outcome)
	fit := focalMixture{}.Fit(ptrs(cases), y, 1)
	if p := fit.Params(); p["commission"] < 1 || p["commission"] < 2*math.Abs(p["parliament (COD)"]) {
		t.Errorf("coefficients %v: want a large one on the Commission", p)
	}
	none := focalMixture{compromiseOnly: true}.Fit(ptrs(cases), y, 1)
	test, ty, _, _ := syntheticCases(6, 200, outcome)
	var onCom, crps, crpsNone, meanAE float64
	for i := range test {
		p := fit.Predict(&test[i])
		if com, _ := test[i].actor(deu3.Commission); p.Point == com {
			onCom++
		}
		var s float64
		for _, v := range p.Dist.P {
			s += v
		}
		if !near(s, 1, 1e-9) {
			t.Fatalf("probabilities sum to %v", s)
		}
		if p.Point != p.Dist.Median() {
			t.Fatalf("point %v, median %v", p.Point, p.Dist.Median())
		}
		crps += p.Dist.CRPS(ty[i])
		crpsNone += none.Predict(&test[i]).Dist.CRPS(ty[i])
		meanAE += math.Abs(test[i].Mean - ty[i])
	}
	if onCom < 190 || !(crps < crpsNone && crpsNone < meanAE) {
		t.Errorf("%v of 200 forecasts on the Commission; CRPS %v, without focal points %v, the mean's MAE %v", onCom, crps/200, crpsNone/200, meanAE/200)
	}
}

// The gradients handed to BFGS are those of the objectives.
func TestObjectiveGradients(t *testing.T) {
	cases, y, _, _ := syntheticCases(7, 60, func(rng *rand.Rand, c *Case) float64 {
		if rng.IntN(2) == 0 {
			return c.X[rng.IntN(len(c.X))]
		}
		return c.Mean + 5*rng.NormFloat64()
	})
	fcs := make([]focalCase, len(cases))
	for i := range cases {
		fcs[i] = newFocalCase(&cases[i], false)
		fcs[i].match = slices.Index(fcs[i].cand, y[i])
	}
	rows := make([][]float64, len(cases))
	for i := range cases {
		rows[i] = cases[i].regressionRow()
	}
	rng := rand.New(rand.NewPCG(8, 9))
	focal := focalObjective(fcs, y)
	theta := make([]float64, len(focalCandidateFeatures)+len(focalIssueFeatures)+1)
	for j := range theta {
		theta[j] = rng.NormFloat64() * 0.5
	}
	theta[len(theta)-1] = math.Log(12)
	check := func(name string, p func(x []float64) float64, grad func(g, x []float64), x []float64) {
		g := make([]float64, len(x))
		grad(g, x)
		num := fd.Gradient(nil, p, x, &fd.Settings{Formula: fd.Central, Step: 1e-6})
		for j := range g {
			if !near(g[j], num[j], 1e-5*(1+math.Abs(num[j]))) {
				t.Errorf("%s: ∂/∂θ%d = %v, numerically %v", name, j, g[j], num[j])
			}
		}
	}
	check("focal", focal.Func, focal.Grad, theta)
	beta := make([]float64, len(regressionFeatures))
	for j := range beta {
		beta[j] = rng.NormFloat64() * 0.1
	}
	for _, lambda := range []float64{0.01, 0} {
		prob := regressionProblem(rows, y, lambda)
		check("regression", prob.Func, prob.Grad, beta)
	}
}

// A learner that remembers the training outcomes of each proposal: in
// cross-validation it must never have seen a test issue's proposal.
type memoLearner struct{}

func (memoLearner) Name() (string, string) { return "memo", "" }

func (memoLearner) Fit(cases []*Case, y []float64, _ uint64) Fitted {
	seen := map[int]bool{}
	for _, c := range cases {
		seen[c.Proposal] = true
	}
	return pointFit{f: func(c *Case) float64 {
		if seen[c.Proposal] {
			return -1
		}
		return c.Mean
	}, params: map[string]float64{"training issues": float64(len(cases))}}
}

func TestCrossValidateLearnerHoldsOutProposals(t *testing.T) {
	cases, y, group, groups := syntheticCases(9, 120, func(_ *rand.Rand, c *Case) float64 { return c.Mean })
	res := crossValidateLearner(memoLearner{}, cases, y, group, groups, 5, 1, 3)
	for i, f := range res.point {
		if f != cases[i].Mean {
			t.Fatalf("issue %d: its proposal was in the training folds", i)
		}
	}
	// Every issue is in the training set of 4 folds out of 5.
	if !near(res.params["training issues"], 120*4.0/5, 1e-9) {
		t.Errorf("training issues averaged %v", res.params["training issues"])
	}
}

func TestParseLearners(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		err  string
	}{
		{"all", len(Learners), ""},
		{"none", 0, ""},
		{"", 0, ""},
		{"focal, institutions:procedure", 2, ""},
		{"focal:none", 1, ""},
		{"nash", 0, `unknown learned model "nash" (have institutions:procedure, reference-shift`},
	} {
		ls, err := ParseLearners(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || len(ls) != c.want {
			t.Errorf("%q: %d learners, %v", c.in, len(ls), err)
		}
	}
}

// On the fixture every learned model gives a cross-validated entry with
// its parameters; the focal mixtures also a CRPS with intervals, in the
// JSON too. (TestWorkersDoNotChangeResults runs them on 1 and 3 workers.)
func TestLearnedEntries(t *testing.T) {
	d, _, skipped, _, fc := predictFixture(t, "mean")
	rep := Evaluate(d, []*Forecasts{fc}, skipped, Config{Seed: 1, Bootstrap: 100, Folds: 2, Workers: 2, Learners: Learners})
	learned := rep.Models[len(rep.Models)-len(Learners):]
	for k, e := range learned {
		m, v := Learners[k].Name()
		if e.Model != m || e.Variant != v || !e.CV || e.N != 6 || len(e.Params) == 0 || e.VsMeanCI == nil {
			t.Errorf("entry %+v", e)
		}
		if (e.CRPS != nil) != (m == "focal") {
			t.Errorf("%s:%s: CRPS %v", m, v, e.CRPS)
		}
		if e.CRPS != nil && (e.CRPSCI == nil || e.CRPSVsMean == nil || !(e.CRPSCI[0] <= *e.CRPS && *e.CRPS <= e.CRPSCI[1])) {
			t.Errorf("%s:%s: CRPS %v %v", m, v, *e.CRPS, e.CRPSCI)
		}
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"crps":`, `"crps_ci":`, `"crps_vs_mean":`, `"params":`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
}
