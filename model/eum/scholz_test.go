package eum

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/scenario"
)

// newTestScholz builds a scholz-variant state with risk exponents r (nil
// for all 1).
func newTestScholz(c, s, x, r []float64, workers int) *scholzState {
	in := input{c: c, s: s, x: x, q: 1, t: -1, workers: workers}
	for i := range x {
		in.ids = append(in.ids, fmt.Sprintf("A%d", i))
	}
	st := newScholz(in)
	if r != nil {
		copy(st.r, r)
	}
	return st
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}

// TestScholzVoteTotalsMatchTripleLoop checks the vote totals that the
// scholz variant takes from prefix sums, and its denominator, against the
// triple loop the Python code runs (every voter, every ordered pair of
// actors), with every r = 1 and with each voter's own exponent, on random
// inputs with shared positions, tied weights and zero saliences.
func TestScholzVoteTotalsMatchTripleLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	worst := 0.0
	for iter := range 300 {
		n := 2 + rng.IntN(30)
		c, s, x := randCase(rng, n)
		r := make([]float64, n)
		for k := range r {
			r[k] = 0.5 + 1.5*rng.Float64()
		}
		st := newTestScholz(c, s, x, r, 1+iter%3)
		st.ranked.reset(st.x, st.w)
		for _, neutral := range []bool{false, true} {
			rk := r
			if neutral {
				rk = make([]float64, n)
				for k := range rk {
					rk[k] = 1
				}
			}
			copy(st.r, rk)
			st.linear = neutral
			var total float64
			if neutral { // as the risk phase computes it
				m := len(st.vals)
				st.rowSum, st.rowDanger = make([]float64, m), make([]utilities, m)
				st.rows((*scholzState).riskRow)
				total = st.sumRows()
			} else {
				st.fillPrefix()
				total = st.denominator()
			}
			var want float64
			wantNum := make([][]float64, n)
			for i := range n {
				wantNum[i] = make([]float64, n)
			}
			for k := range n {
				dist := func(a int) float64 { return math.Pow(math.Abs(x[k]-x[a])/st.span, rk[k]) }
				for a := range n {
					for b := range n {
						v := c[k] * s[k] * (dist(b) - dist(a)) // votes for x_a against x_b
						want += math.Abs(v)
						if v > 0 {
							wantNum[a][b] += v
						}
					}
				}
			}
			if e := relErr(total, want); e > 1e-12 {
				t.Fatalf("case %d neutral=%v: denominator %.17g, triple loop %.17g", iter, neutral, total, want)
			} else {
				worst = math.Max(worst, e)
			}
			sc := new(rowScratch).size(len(st.vals), n)
			for a := range n {
				u := st.at[a]
				st.mids(u, sc.below, sc.above)
				for b := range n {
					v := st.at[b]
					if u == v {
						continue
					}
					got, _ := st.votesFor(u, v, sc.below[v], sc.above[v])
					if math.Abs(got-wantNum[a][b]) > 1e-12*want {
						t.Fatalf("case %d neutral=%v: votes for %d against %d: %.17g, triple loop %.17g", iter, neutral, a, b, got, wantNum[a][b])
					}
				}
			}
		}
	}
	t.Logf("largest relative difference of the denominator: %.3g", worst)
}

// The medians below are what jmckib's median_position() printed under
// CPython 3.11 for these inputs (positions, capabilities, saliences), with
// the set iteration order it walked. Most have a tied weighted median,
// where that order decides between the tied positions.
var scholzMedianCases = []struct {
	x, c, s []float64
	order   []float64 // list({x}) under CPython 3.11
	median  float64
}{
	{[]float64{1, 3, 5, 7}, []float64{1, 1, 1, 1}, []float64{1, 1, 1, 1}, []float64{1, 3, 5, 7}, 3},
	{[]float64{0.1, 0.3, 0.5, 0.7}, []float64{1, 1, 1, 1}, []float64{0.5, 0.5, 0.5, 0.5}, []float64{0.1, 0.5, 0.3, 0.7}, 0.5},
	{[]float64{10, 2, 34, 18, 26}, []float64{1, 1, 2, 1, 1}, []float64{1, 1, 0.5, 1, 1}, []float64{2, 34, 10, 18, 26}, 18},
	{[]float64{100, 37, 64, 12, 81, 45}, []float64{1, 1, 1, 1, 1, 1}, []float64{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, []float64{64, 100, 37, 12, 45, 81}, 45},
	{[]float64{0.3, 0.6, 0.9, 0.2, 0.45, 0.75, 0.15, 0.05}, []float64{1, 1, 1, 1, 1, 1, 1, 1}, []float64{1, 1, 1, 1, 1, 1, 1, 1},
		[]float64{0.3, 0.6, 0.45, 0.2, 0.9, 0.75, 0.15, 0.05}, 0.45},
	{[]float64{4, 4, 10, 10, 7, 7, 4, 10}, []float64{2, 1, 2, 1, 0, 0, 0, 0}, []float64{1, 1, 1, 1, 1, 1, 1, 1}, []float64{10, 4, 7}, 10},
	{[]float64{16, 8, 32, 24}, []float64{1, 1, 1, 1}, []float64{1, 1, 1, 1}, []float64{16, 8, 32, 24}, 16},
	{[]float64{1000, 17, 33, 49, 65, 81, 97}, []float64{3, 1, 1, 1, 1, 1, 1}, []float64{1, 1, 1, 1, 1, 1, 1},
		[]float64{65, 33, 97, 1000, 17, 49, 81}, 81},
}

// kingOfTheHill is the code's median rule written out: walk the distinct
// positions in the given order and replace the current one only by a
// position that wins the (r = 1) vote against it strictly.
func kingOfTheHill(c, s, x, order []float64, span float64) float64 {
	m := order[0]
	for _, p := range order[1:] {
		var v float64
		for k := range x {
			v += c[k] * s[k] * (math.Abs(x[k]-m)/span - math.Abs(x[k]-p)/span)
		}
		if v > 0 {
			m = p
		}
	}
	return m
}

func TestScholzMedianTies(t *testing.T) {
	differs := 0
	for i, tc := range scholzMedianCases {
		st := newTestScholz(tc.c, tc.s, tc.x, nil, 1)
		if got := new(pySet).order(tc.x); !slices.Equal(got, tc.order) {
			t.Errorf("case %d: set order %v, CPython %v", i, got, tc.order)
		}
		if got := st.median(); got != tc.median {
			t.Errorf("case %d: median %v, the Python code %v", i, got, tc.median)
		}
		w := make([]float64, len(tc.x))
		for k := range w {
			w[k] = tc.c[k] * tc.s[k]
		}
		if numeric.WeightedMedian(tc.x, w) != tc.median {
			differs++
		}
	}
	// The lower-end rule of the paper variant would pick differently in
	// the tied cases where the set order puts the upper end first.
	if differs != 3 {
		t.Errorf("%d cases where the code's median differs from the lower weighted median, want 3", differs)
	}
	// Random inputs with few distinct positions and integer weights (many
	// ties): the median is the walk over the CPython set order.
	rng := rand.New(rand.NewPCG(28, 28))
	for iter := range 500 {
		n := 1 + rng.IntN(12)
		x, c, s := make([]float64, n), make([]float64, n), make([]float64, n)
		for k := range n {
			x[k] = float64(rng.IntN(6)) * []float64{1, 0.1, 7.3}[iter%3]
			c[k] = float64(rng.IntN(3))
			s[k] = 1
		}
		c[0]++
		if spread(x) == 0 {
			continue
		}
		st := newTestScholz(c, s, x, nil, 1)
		if got, want := st.median(), kingOfTheHill(c, s, x, new(pySet).order(x), st.span); got != want {
			t.Fatalf("case %d (x=%v c=%v): median %v, walk %v", iter, x, c, got, want)
		}
	}
}

func randScholzRun(t *testing.T, seed uint64, n, rounds, workers int) (*scholzState, []float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 60))
	c, s, x := make([]float64, n), make([]float64, n), make([]float64, n)
	for k := range n {
		c[k], s[k], x[k] = 0.01+rng.Float64(), rng.Float64(), 100*rng.Float64()
		if k%5 == 0 {
			x[k] = float64(10 * rng.IntN(11)) // some shared positions
		}
	}
	st := newTestScholz(c, s, x, nil, workers)
	ids := st.ids
	is, err := simulate(context.Background(), st, ids, rounds, model.StopRule{}, 0.01)
	if err != nil {
		panic(err)
	}
	var med []float64
	for _, r := range is.Rounds {
		med = append(med, r.Median)
	}
	return st, med
}

func TestScholzWorkersBitIdentical(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		ref, refMed := randScholzRun(t, seed, 60, 10, 1)
		for _, w := range []int{2, 4} {
			st, med := randScholzRun(t, seed, 60, 10, w)
			if !slices.Equal(st.x, ref.x) || !slices.Equal(st.r, ref.r) || !slices.Equal(med, refMed) {
				t.Errorf("seed %d: workers=%d differs from workers=1", seed, w)
			}
		}
		// The whole result, moves included, through the public entry point.
		var runs []any
		for _, w := range []int{1, 2, 4} {
			sc := randScenario(t, seed, 60)
			res, err := Model{}.Run(context.Background(), sc, model.Options{Variant: VariantScholz, Workers: w})
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, res)
		}
		if !reflect.DeepEqual(runs[0], runs[1]) || !reflect.DeepEqual(runs[0], runs[2]) {
			t.Errorf("seed %d: Run results depend on the number of workers", seed)
		}
	}
}

// randScenario is a BDM CSV scenario of n random actors.
func randScenario(t *testing.T, seed uint64, n int) *scenario.Scenario {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 61))
	csv := "Actor,Capability,Position,Salience\n"
	for k := range n {
		csv += fmt.Sprintf("A%d,%.6f,%.6f,%.4f\n", k, 0.01+rng.Float64(), 100*rng.Float64(), rng.Float64())
	}
	sc, err := scenario.Parse([]byte(csv), "random.csv")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestScholzAgreement: when every position is equal the code would divide
// by zero (the range R); Parley stops before the first round.
func TestScholzAgreement(t *testing.T) {
	sc, err := scenario.Parse([]byte("Actor,Capability,Position,Salience\nA,1,5,0.5\nB,2,5,0.7\nC,0.5,5,1\n"), "same.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{VariantScholz, VariantPaper} {
		res, err := Model{}.Run(context.Background(), sc, model.Options{Variant: v, Rounds: 10})
		if err != nil {
			t.Fatal(err)
		}
		is := res.Issues[0]
		if is.Stopped != "agreement" || len(is.Rounds) != 1 || is.Forecast != 5 || is.Rounds[0].Median != 5 {
			t.Errorf("%s: stopped %q after %d rounds, forecast %v", v, is.Stopped, len(is.Rounds)-1, is.Forecast)
		}
	}
}

// TestScholzEqualDangerIsRiskNeutral: where every danger level is equal
// (eq. 34 divides by zero) every r is 1. Two actors with equal weights at
// either end are symmetric.
func TestScholzEqualDangerIsRiskNeutral(t *testing.T) {
	st := newTestScholz([]float64{1, 1}, []float64{0.5, 0.5}, []float64{0, 10}, []float64{2, 0.5}, 1)
	st.ranked.reset(st.x, st.w)
	st.updateRisk()
	if st.r[0] != 1 || st.r[1] != 1 {
		t.Errorf("r = %v, want [1 1]", st.r)
	}
	ps := newTestPaper([]float64{1, 1}, []float64{0.5, 0.5}, []float64{0, 10}, nil, 1, -1, 1)
	ps.prepare()
	ps.updateRisk()
	if ps.r[0] != 1 || ps.r[1] != 1 {
		t.Errorf("paper: r = %v, want [1 1]", ps.r)
	}
}

// TestScholzNeverCapitulatesAndKeepsRange: the code's capitulation test
// can never hold, and R stays the range of the starting positions.
func TestScholzNeverCapitulatesAndKeepsRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for iter := range 60 {
		c, s, x := randCase(rng, 2+rng.IntN(15))
		st := newTestScholz(c, s, x, nil, 1)
		span := st.span
		lo, hi := slices.Min(x), slices.Max(x)
		for round := range 8 {
			for _, m := range st.step(true) {
				if m.Kind == Capitulation {
					t.Fatalf("case %d round %d: capitulation %+v", iter, round+1, m)
				}
				if m.To < lo || m.To > hi {
					t.Fatalf("case %d round %d: move to %v outside [%v, %v]", iter, round+1, m.To, lo, hi)
				}
			}
			if st.span != span {
				t.Fatalf("case %d: R changed from %v to %v", iter, span, st.span)
			}
		}
	}
}

// TestScholzTable2 compares the scholz variant with Table 2 of Scholz,
// Calbert & Smith (2011), printed to one decimal: the medians agree when
// truncated to one decimal in every round but round 2 (the code gives 9.61,
// the paper prints 9.9; a known, unexplained difference), and the means lie
// within 0.07 of the printed values.
func TestScholzTable2(t *testing.T) {
	res, err := Model{}.Run(context.Background(), fixture.Emission(t), model.Options{Variant: VariantScholz, Rounds: 8})
	if err != nil {
		t.Fatal(err)
	}
	table2Median := []float64{8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6}
	table2Mean := []float64{7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6}
	rounds := res.Issues[0].Rounds
	for n := 1; n <= 8; n++ {
		med, mean := rounds[n].Median, rounds[n].Mean
		trunc := math.Floor(med*10) / 10
		if n == 2 {
			if math.Abs(trunc-9.6) > 1e-9 {
				t.Errorf("round 2: median %v; the code is known to give 9.61", med)
			}
		} else if math.Abs(trunc-table2Median[n-1]) > 1e-9 {
			t.Errorf("round %d: median %v, Table 2 prints %v", n, med, table2Median[n-1])
		}
		if math.Abs(mean-table2Mean[n-1]) > 0.07 {
			t.Errorf("round %d: mean %v, Table 2 prints %v", n, mean, table2Mean[n-1])
		}
	}
}
