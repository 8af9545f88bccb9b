package backtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model/registry"
)

func loadFixture(t testing.TB) (*deu3.Dataset, []deu3.Issue, map[string]int) {
	t.Helper()
	f, err := os.Open(fixture.Path("deu3/fixture.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := deu3.Read(f, "fixture.tsv")
	if err != nil {
		t.Fatal(err)
	}
	used, skipped := d.Usable()
	return d, used, skipped
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func sumWeights(w map[string]float64) float64 {
	var sum float64
	for _, v := range w {
		sum += v
	}
	return sum
}

func TestMeasure(t *testing.T) {
	e := []float64{0, 3, 8, 16, 30, 59}
	m := measure(e, nil)
	if m.N != 6 || !near(m.MAE, 116.0/6, 1e-12) || !near(m.RMSE, math.Sqrt((9+64+256+900+3481)/6.0), 1e-12) ||
		m.MedianAE != 8 || !near(m.Within10, 0.5, 1e-12) {
		t.Errorf("%+v", m)
	}
	// Counts act as repeated items: {3, 3, 59} has MAE 65/3 and median 3.
	m = measure(e, []float64{0, 2, 0, 0, 0, 1})
	if m.N != 3 || !near(m.MAE, 65.0/3, 1e-12) || m.MedianAE != 3 || !near(m.Within10, 2.0/3, 1e-12) {
		t.Errorf("counted: %+v", m)
	}
}

func TestPercentileAndInterval(t *testing.T) {
	s := []float64{1, 2, 3, 4, 5}
	for _, c := range []struct{ p, want float64 }{{0, 1}, {0.5, 3}, {0.25, 2}, {0.1, 1.4}, {1, 5}} {
		if got := percentile(s, c.p); !near(got, c.want, 1e-12) {
			t.Errorf("percentile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	v := make([]float64, 1001)
	for i := range v {
		v[i] = float64(1000 - i)
	}
	if iv := interval(v); iv != [2]float64{25, 975} {
		t.Errorf("interval %v", iv)
	}
}

func TestResamplesDrawWholeGroups(t *testing.T) {
	group := []int{0, 0, 1, 2, 2, 2}
	a := resamples(group, 3, 50, 7)
	b := resamples(group, 3, 50, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different resamples")
	}
	if reflect.DeepEqual(a, resamples(group, 3, 50, 8)) {
		t.Error("different seeds, same resamples")
	}
	for _, c := range a {
		// Items of a group are drawn together, and 3 groups are drawn.
		if c[0] != c[1] || c[3] != c[4] || c[4] != c[5] || c[0]+c[2]+c[3] != 3 {
			t.Fatalf("counts %v", c)
		}
	}
}

func TestFitL1RecoversWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 200
	X := make([][]float64, n)
	y := make([]float64, n)
	for i := range X {
		X[i] = []float64{rng.Float64() * 100, rng.Float64() * 100, rng.Float64() * 100}
		y[i] = 0.6*X[i][0] + 0.4*X[i][2]
	}
	w := fitL1(X, y, []float64{1, 0, 0})
	if !near(w[0], 0.6, 1e-6) || !near(w[1], 0, 1e-6) || !near(w[2], 0.4, 1e-6) {
		t.Errorf("weights %v, want [0.6 0 0.4]", w)
	}
	if s := w[0] + w[1] + w[2]; !near(s, 1, 1e-12) {
		t.Errorf("weights sum to %v", s)
	}
}

// drawIssues draws n issues dealt round-robin to groups, issue i's
// inputs and outcome from row with a generator seeded by seed.
func drawIssues(seed uint64, n, groups int, row func(rng *rand.Rand, i int) ([]float64, float64)) (X [][]float64, y []float64, group []int) {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	X, y, group = make([][]float64, n), make([]float64, n), make([]int, n)
	for i := range X {
		group[i] = i % groups
		X[i], y[i] = row(rng, i)
	}
	return X, y, group
}

func TestCrossValidationGroupsByProposal(t *testing.T) {
	groups := 30
	X, y, group := drawIssues(3, 120, groups, func(rng *rand.Rand, _ int) ([]float64, float64) {
		x := []float64{rng.Float64() * 100, rng.Float64() * 100}
		return x, x[1]
	})
	cv := Ensemble{Folds: 5, Seed: 9}.CrossValidate(X, y, group, groups, []float64{1, 0})
	fold := map[int]int{}
	for i, f := range cv.Fold {
		if g, ok := fold[group[i]]; ok && g != f {
			t.Fatalf("proposal %d in folds %d and %d", group[i], g, f)
		}
		fold[group[i]] = f
	}
	// The second input is the outcome: every fold learns it, whatever α.
	for i := range y {
		if !near(cv.Forecast[i], y[i], 1e-6) {
			t.Fatalf("issue %d: forecast %v, outcome %v (weights %v, α %v)", i, cv.Forecast[i], y[i], cv.Weights, cv.Alpha)
		}
	}
	if len(cv.Alpha) != 5 || cv.Alpha[0] != 0 {
		t.Errorf("α %v", cv.Alpha)
	}
}

// TestConfigCheck: a backtest's counts are bounded, for the command line
// and the server alike.
func TestConfigCheck(t *testing.T) {
	for _, tt := range []struct {
		cfg  Config
		want string
	}{
		{Config{Bootstrap: 2000, Folds: 10}, ""},
		{Config{Bootstrap: 0, Folds: 0, Workers: 256}, ""},
		{Config{Bootstrap: -1}, "bootstrap must be 0 to 100000, got -1"},
		{Config{Bootstrap: 1e9}, "bootstrap must be 0 to 100000, got 1000000000"},
		{Config{Folds: 1}, "folds must be 0 (no ensemble) or 2 to 1000, got 1"},
		{Config{Folds: 1e6}, "folds must be 0 (no ensemble) or 2 to 1000, got 1000000"},
		{Config{Workers: 257}, "workers must be 0 (one per CPU) to 256, got 257"},
	} {
		err := tt.cfg.Check()
		if got := fmt.Sprint(err); tt.want == "" && err != nil || tt.want != "" && got != tt.want {
			t.Errorf("%+v: %v, want %q", tt.cfg, err, tt.want)
		}
	}
}

func TestParseSpecs(t *testing.T) {
	reg := registry.Default()
	cases := []struct{ in, want, err string }{
		{"mean", "mean", ""},
		{"mean, eum:paper", "mean eum:paper", ""},
		{"eum", "eum:scholz eum:paper", ""},
		{"rubinstein", "", "unknown model"},
		{"nash", "nash:nash nash:ks", ""},
		{"eum:bdm", "", "no variant"},
		{"mean:x", "", "no variants"},
		{"smp@proposal, exchange:equal-gain@proposal", "smp@proposal exchange:equal-gain@proposal", ""},
	}
	for _, c := range cases {
		specs, err := ParseSpecs(c.in, reg)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		var got []string
		for _, s := range specs {
			got = append(got, s.String())
		}
		if err != nil || strings.Join(got, " ") != c.want {
			t.Errorf("%q: %v %v, want %s", c.in, got, err, c.want)
		}
	}
	all, _ := ParseSpecs("all", reg)
	var names []string
	for _, s := range all {
		names = append(names, s.String())
	}
	got := strings.Join(names, " ")
	for _, want := range []string{"mean ", "eum:paper ", "procedure:eum ", "smp ", "smp@proposal", "exchange:equal-gain@proposal", "exchange:random-rate@proposal"} {
		if !strings.Contains(got+" ", want) {
			t.Errorf("all lacks %q: %s", want, got)
		}
	}
	if strings.Contains(got, "exchange:equal-gain ") || !strings.HasPrefix(got, "mean ") {
		t.Errorf("all: %s", got)
	}
}

// predictFixture runs the listed models on the fixture's usable issues
// with equal capabilities on one worker.
func predictFixture(t *testing.T, list string) (*deu3.Dataset, []deu3.Issue, map[string]int, []Spec, *Forecasts) {
	t.Helper()
	d, used, skipped := loadFixture(t)
	reg := registry.Default()
	specs, err := ParseSpecs(list, reg)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := Predict(context.Background(), d, used, deu3.Equal, specs, reg, 1)
	if err != nil {
		t.Fatal(err)
	}
	return d, used, skipped, specs, fc
}

func TestFixtureBacktest(t *testing.T) {
	d, used, skipped, _, fc := predictFixture(t, "mean,median,eum")
	// Weighted means worked out by hand, e.g. d001i1: 20000/390.
	want := []float64{20000.0 / 390, 36.857142857142854, 40, 58.53658536585366, 41.30434782608695, 60}
	for i, w := range want {
		if !near(fc.F[0][i], w, 1e-9) {
			t.Errorf("mean of %s = %v, want %v", used[i].ID, fc.F[0][i], w)
		}
	}
	if fc.ImputedSaliences != 1 {
		t.Errorf("imputed %d", fc.ImputedSaliences)
	}
	rep := Evaluate(d, []*Forecasts{fc}, skipped, Config{Seed: 1, Bootstrap: 200, Folds: 2, Workers: 1})
	if rep.IssuesUsed != 6 || rep.IssuesSkipped != 2 || rep.Proposals != 4 || len(rep.Models) != 6 {
		t.Fatalf("report %+v", rep)
	}
	mean := rep.Models[0]
	if mean.Model != "mean" || mean.N != 6 || !near(mean.MAE, 19.50331211147754, 1e-9) ||
		!near(mean.RMSE, 27.994355938313706, 1e-9) || !near(mean.MedianAE, 8.717948717948715, 1e-9) || mean.Within10 != 0.5 {
		t.Errorf("mean %+v", mean.Metrics)
	}
	if !(mean.MAECI[0] <= mean.MAE && mean.MAE <= mean.MAECI[1]) || mean.MAECI[0] >= mean.MAECI[1] {
		t.Errorf("mean MAE interval %v", mean.MAECI)
	}
	if *mean.VsMean != 0 || *mean.VsMeanCI != [2]float64{0, 0} || *mean.BeatsMean {
		t.Errorf("mean against itself: %v %v %v", *mean.VsMean, *mean.VsMeanCI, *mean.BeatsMean)
	}
	// d002i1 and d004i* are CNS; d002i1 alone is decided by unanimity.
	if m := mean.ByRule[deu3.Unanimity]; m.N != 1 || m.MAE != 30 {
		t.Errorf("by rule %+v", mean.ByRule)
	}
	if m := mean.ByProcedure[deu3.Consultation]; m.N != 3 || !near(m.MAE, (30+58.69565217391305)/3, 1e-9) {
		t.Errorf("by procedure %+v", mean.ByProcedure)
	}
	if byRule := rep.Models[len(rep.Models)-1]; byRule.Model != EnsembleName || byRule.Variant != ByRuleVariant || !byRule.CV || len(byRule.Alphas) != 3 {
		// Two folds; the Unan issue d002i1 is in one of them only.
		t.Errorf("ensemble by rule %+v", byRule)
	}
	ens := rep.Models[len(rep.Models)-2]
	if ens.Model != EnsembleName || !ens.CV || ens.N != 6 || len(ens.Weights) != 5 || len(ens.Alphas) != 2 {
		t.Errorf("ensemble %+v", ens)
	}
	if sum := sumWeights(ens.Weights); !near(sum, 1, 1e-9) {
		t.Errorf("ensemble weights sum to %v", sum)
	}

	// The JSON has the fields of the contract.
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Used    *int `json:"issues_used"`
		Skipped *int `json:"issues_skipped"`
		Models  []map[string]any
	}
	if err := json.Unmarshal(b, &doc); err != nil || *doc.Used != 6 || *doc.Skipped != 2 {
		t.Fatalf("%s %v", b, err)
	}
	for _, k := range []string{"model", "variant", "capabilities", "n", "mae", "mae_ci", "rmse", "median_ae", "within10", "cv"} {
		if _, ok := doc.Models[0][k]; !ok {
			t.Errorf("JSON entry lacks %q", k)
		}
	}
}

func TestWorkersDoNotChangeResults(t *testing.T) {
	d, used, skipped := loadFixture(t)
	reg := registry.Default()
	specs, _ := ParseSpecs("all", reg)
	var reps []string
	for _, w := range []int{1, 3} {
		fc, err := Predict(context.Background(), d, used, deu3.Votes, specs, reg, w)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(Evaluate(d, []*Forecasts{fc}, skipped, Config{Seed: 5, Bootstrap: 100, Folds: 3, Workers: w, Learners: Learners}))
		reps = append(reps, string(b))
	}
	if reps[0] != reps[1] {
		t.Error("1 and 3 workers give different reports")
	}
}

// On whole proposals the models see every issue of the proposal: the
// exchange model trades across d001's two issues, and each issue's
// forecast is read back by issue id. Run per issue it has nothing to
// trade and gives the weighted mean.
func TestProposalScope(t *testing.T) {
	d, used, _ := loadFixture(t)
	reg := registry.Default()
	specs, err := ParseSpecs("mean,exchange:equal-gain,exchange:equal-gain@proposal,smp@proposal", reg)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := Predict(context.Background(), d, used, deu3.Equal, specs, reg, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range used {
		if !near(fc.F[1][i], fc.F[0][i], 1e-9) {
			t.Errorf("%s: exchange per issue %v, mean %v", used[i].ID, fc.F[1][i], fc.F[0][i])
		}
		if f := fc.F[3][i]; !(f >= 0 && f <= 100) {
			t.Errorf("%s: smp on the proposal gave %v", used[i].ID, f)
		}
	}
	// The single-issue proposals (d002, d003) have nothing to trade.
	for _, i := range []int{2, 3} {
		if !near(fc.F[2][i], fc.F[0][i], 1e-9) {
			t.Errorf("%s (alone in its proposal): exchange %v, mean %v", used[i].ID, fc.F[2][i], fc.F[0][i])
		}
	}
	rep := Evaluate(d, []*Forecasts{fc}, nil, Config{Seed: 1, Bootstrap: 10})
	if rep.Models[2].Scope != ScopeProposal || rep.Models[0].Scope != ScopeIssue {
		t.Errorf("scopes %q %q", rep.Models[0].Scope, rep.Models[2].Scope)
	}
}

// A forecast equal to the outcome beats the mean by its whole MAE, far
// more than the half-width of the mean's interval; one a point worse
// than the mean everywhere does not.
func TestBeatsMean(t *testing.T) {
	d, used, skipped := loadFixture(t)
	reg := registry.Default()
	specs, _ := ParseSpecs("mean", reg)
	fc, err := Predict(context.Background(), d, used, deu3.Equal, specs, reg, 1)
	if err != nil {
		t.Fatal(err)
	}
	oracle, worse := make([]float64, len(used)), make([]float64, len(used))
	for i, is := range used {
		oracle[i] = is.Outcome
		worse[i] = fc.F[0][i] + math.Copysign(1, fc.F[0][i]-is.Outcome)
	}
	fc.Specs = append(fc.Specs, Spec{Model: "oracle"}, Spec{Model: "worse"})
	fc.F = append(fc.F, oracle, worse)
	rep := Evaluate(d, []*Forecasts{fc}, skipped, Config{Seed: 2, Bootstrap: 300})
	mean, or, wo := rep.Models[0], rep.Models[1], rep.Models[2]
	if or.MAE != 0 || !*or.BeatsMean || !near(*or.VsMean, -mean.MAE, 1e-12) || or.VsMeanCI[1] >= 0 {
		t.Errorf("oracle: MAE %v, beats %v, vs mean %v %v", or.MAE, *or.BeatsMean, *or.VsMean, *or.VsMeanCI)
	}
	if *wo.BeatsMean || !near(*wo.VsMean, 1, 1e-9) || *wo.VsMeanCI != [2]float64{1, 1} {
		t.Errorf("worse: beats %v, vs mean %v %v", *wo.BeatsMean, *wo.VsMean, *wo.VsMeanCI)
	}
}
