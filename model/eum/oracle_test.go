package eum

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// oracleScholz is the scholz variant's round as Parley computed it before
// the vote totals were taken from prefix sums: every numerator is the
// code's sum over all voters, in voter order, for every pair of actors
// (O(n³) a round), and the denominator is each voter's sum over its sorted
// column of distances. The risk phase takes its linear votes from the same
// tally as the production code, as it did then. It is kept here as the
// oracle for the production code (TestScholzMatchesOracle) and reuses the
// production state only for what did not change: the median, the mean, the
// expected utility of eqs. 15–16 and 25a, and the choice of an offer.
type oracleScholz struct {
	*scholzState
}

func newOracle(in input) oracleScholz { return oracleScholz{newScholz(in)} }

// step plays one round with the oracle's vote totals.
func (o oracleScholz) step(record bool) []result.Move {
	st := o.scholzState
	n := len(st.x)
	// Risk (eqs. 33–34), with every r = 1.
	for i := range st.r {
		st.r[i] = 1
	}
	num := make([][]float64, n)
	for i := range num {
		num[i] = make([]float64, n)
	}
	var lv numeric.LinearVotes
	lv.Reset(st.x, st.w)
	for i := range n {
		for j := range n {
			if st.x[i] < st.x[j] {
				forLo, forHi := lv.Votes(st.x[i], st.x[j])
				num[i][j], num[j][i] = forLo/st.span, forHi/st.span
			}
		}
	}
	total := o.denominator(o.distances(nil))
	danger := make([]float64, n)
	for i := range n {
		for j := range n {
			if j != i {
				danger[i] += o.eu(j, i, 1, o.prob(num, total, j, i))
			}
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, d := range danger {
		lo, hi = math.Min(lo, d), math.Max(hi, d)
	}
	for i, d := range danger {
		ra := 0.0
		if hi > lo {
			ra = (2*d - hi - lo) / (hi - lo)
		}
		st.r[i] = (1 - ra/3) / (1 + ra/3)
	}
	// Offers, with each voter's own exponent in its distances.
	t := o.distances(st.r)
	num = o.numerators(t)
	total = o.denominator(t)
	chosen := make([]offer, n)
	for i := range n {
		var c choice
		for j := range n {
			if st.x[i] == st.x[j] {
				continue
			}
			d := 0.5 * math.Abs(st.x[i]-st.x[j]) / st.span
			uS, uF := 2-4*math.Pow(0.5-d, st.r[i]), 2-4*math.Pow(0.5+d, st.r[i])
			uSQ := statusQuoUtility(st.r[i])
			eij := st.euFrom(j, o.prob(num, total, i, j), uS, uF, uSQ)
			eji := st.euFrom(i, o.prob(num, total, j, i), uS, uF, uSQ)
			c.consider(st.x, i, j, eij, eji)
		}
		chosen[i] = c.best()
	}
	return st.apply(chosen, record)
}

// square returns an n × n matrix of zeros.
func square(n int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
	}
	return m
}

// distances returns t[a][k] = (|x_k − x_a| / R)^{r_k}, with every r = 1
// when r is nil.
func (o oracleScholz) distances(r []float64) [][]float64 {
	st := o.scholzState
	n := len(st.x)
	t := square(n)
	for a := range t {
		for k := range n {
			d := math.Abs(st.x[k]-st.x[a]) / st.span
			if r != nil && d != 0 {
				d = math.Pow(d, r[k])
			}
			t[a][k] = d
		}
	}
	return t
}

// numerators returns num[i][j] = Σ_k max(0, c_k s_k (t[j][k] − t[i][k])),
// the votes for x_i against x_j, summed over the voters in order.
func (o oracleScholz) numerators(t [][]float64) [][]float64 {
	st := o.scholzState
	n := len(st.x)
	num := square(n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			var pos, neg float64
			for k := range n {
				v := st.w[k] * (t[j][k] - t[i][k])
				a := math.Abs(v)
				pos += (v + a) * 0.5
				neg += (a - v) * 0.5
			}
			num[i][j], num[j][i] = pos, neg
		}
	}
	return num
}

// denominator is Σ_k Σ_a Σ_b |c_k s_k (t[b][k] − t[a][k])|, each voter's
// double sum taken as 2 Σ_m v_(m) (2m − n + 1) over its sorted column.
func (o oracleScholz) denominator(t [][]float64) float64 {
	st := o.scholzState
	n := len(st.x)
	var total float64
	col := make([]float64, n)
	for k := range n {
		for a := range n {
			col[a] = t[a][k]
		}
		sort.Float64s(col)
		var s float64
		for m, v := range col {
			s += v * float64(2*m-n+1)
		}
		total += 2 * st.w[k] * s
	}
	return total
}

// prob is the code's probability that x_a beats x_b: 0 for a shared
// position, otherwise the numerator over the global denominator.
func (o oracleScholz) prob(num [][]float64, total float64, a, b int) float64 {
	if o.x[a] == o.x[b] {
		return 0
	}
	return num[a][b] / total
}

// oracleCase is a random scholz input of n actors of one of several kinds:
// positions anywhere, on a coarse grid (shared positions and tied
// medians), or on a grid with integer weights and saliences of 0, ½ and 1
// (exact ties between vote totals), some actors duplicated, and Q = 1 or
// less.
// randomStance draws an actor's capability, salience and position: all
// three continuous (kind 0 or 3), positions on eight points (kind 1), or
// small integers and three saliences (kind 2), where ties are frequent.
func randomStance(rng *rand.Rand, kind int) (c, s, x float64) {
	c, s, x = 0.01+rng.Float64(), rng.Float64(), 100*rng.Float64()
	switch kind {
	case 1:
		x = float64(rng.IntN(8)) * 12.5
	case 2:
		c, s, x = float64(1+rng.IntN(3)), []float64{0, 0.5, 1}[rng.IntN(3)], float64(rng.IntN(11))
	}
	return c, s, x
}

func oracleCase(rng *rand.Rand, n int) input {
	in := input{q: 1, t: math.NaN(), workers: 1 + rng.IntN(2)}
	kind := rng.IntN(4)
	if rng.IntN(4) == 0 {
		in.q = rng.Float64()
	}
	for i := range n {
		in.ids = append(in.ids, fmt.Sprintf("A%d", i))
		c, s, x := randomStance(rng, kind)
		if kind == 3 && rng.IntN(5) == 0 {
			s = 0
		}
		if i > 0 && rng.IntN(10) == 0 { // an actor identical to another
			k := rng.IntN(i)
			c, s, x = in.c[k], in.s[k], in.x[k]
		}
		in.c, in.s, in.x = append(in.c, c), append(in.s, s), append(in.x, x)
	}
	in.s[0] = math.Max(in.s[0], 0.5) // some weight, as a scenario has
	return in
}

// TestScholzMatchesOracle compares the scholz variant with the oracle (the
// O(n³) vote totals) on seeded random inputs of many sizes and kinds. Each
// round the oracle plays is also played by the production code from the
// same positions, and the two must agree: the same moves (actor, partner,
// kind), the positions after the round, their median and mean to 1e-9
// relative (to the larger of the position and the range of the starting
// positions), and the moves' expected utilities to 1e-9 (they are
// differences of utilities of order 1). Whole runs are compared too: the
// same moves in every round, positions, medians and means to 1e-4 (over
// many rounds rounding differences grow: a compromise moves by
// |E_ij/E_ji|, and E_ij is a small difference of utilities near 1), unless
// the run met a decision within 1e-9 of its boundary (scholzMargins),
// which rounding may turn either way; those must be rare.
func TestScholzMatchesOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 1))
	sizes := []int{2, 3, 4, 5, 7, 10, 16, 25, 40, 64, 100}
	rounds, runs, diverged, worstRun := 0, 0, 0, 0.0
	for trial := range 220 {
		n := sizes[trial%len(sizes)]
		in := oracleCase(rng, n)
		if spread(in.x) == 0 {
			continue
		}
		oracle, st := newOracle(in), newScholz(in)
		for round := 1; round <= 10; round++ {
			copy(st.x, oracle.x)
			want, got := oracle.step(true), st.step(true)
			rounds++
			if err := sameRound(got, want, st, oracle.scholzState, oracleTol); err != "" {
				t.Fatalf("trial %d (n = %d, q = %v) round %d: %s", trial, n, in.q, round, err)
			}
		}
		st = newScholz(in)
		g := newScholzMargins()
		st.margins = g
		got, err1 := simulate(context.Background(), st, in.ids, 10, model.StopRule{}, 0.01)
		want, err2 := simulate(context.Background(), newOracle(in), in.ids, 10, model.StopRule{}, 0.01)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		d, err := runDiff(got, want)
		if err != "" || d > 1e-4 {
			if g.smallest() < 1e-9 {
				diverged++ // after a decision within rounding of its boundary
				continue
			}
			t.Fatalf("trial %d (n = %d, q = %v): whole runs: %s (largest relative difference %.3g; smallest margin %.3g)", trial, n, in.q, err, d, g.smallest())
		}
		worstRun = math.Max(worstRun, d)
		runs++
	}
	t.Logf("%d rounds agree to %g; %d whole runs make the same moves, largest relative difference of a position, median or mean %.3g; %d runs part after a decision within 1e-9 of its boundary",
		rounds, oracleTol, runs, worstRun, diverged)
	if diverged > runs/20 {
		t.Errorf("%d of %d runs part from the oracle", diverged, runs+diverged)
	}
}

// oracleTol is the relative tolerance of TestScholzMatchesOracle.
const oracleTol = 1e-9

// sameRound compares one round's moves and resulting positions, median
// and mean, within relative tolerance tol, and describes the first
// difference ("" if none).
func sameRound(got, want []result.Move, st, oracle *scholzState, tol float64) string {
	// Relative to the position or, for positions near the scale's zero,
	// to the range of the starting positions.
	near := func(a, b float64) bool {
		return math.Abs(a-b) <= tol*math.Max(math.Max(math.Abs(a), math.Abs(b)), st.span)
	}
	nearEU := func(a, b float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }
	if len(got) != len(want) {
		return fmt.Sprintf("%d moves, oracle %d", len(got), len(want))
	}
	for k, g := range got {
		w := want[k]
		if g.Actor != w.Actor || g.Partner != w.Partner || g.Kind != w.Kind ||
			!near(g.To, w.To) || !nearEU(g.Utilities.EU, w.Utilities.EU) || !nearEU(g.Utilities.PartnerEU, w.Utilities.PartnerEU) {
			return fmt.Sprintf("move %+v, oracle %+v", g, w)
		}
	}
	for i, x := range oracle.x {
		if !near(st.x[i], x) {
			return fmt.Sprintf("%s at %v, oracle %v", st.ids[i], st.x[i], x)
		}
	}
	if g, w := st.median(), oracle.median(); !near(g, w) {
		return fmt.Sprintf("median %v, oracle %v", g, w)
	}
	if g, w := st.mean(), oracle.mean(); !near(g, w) {
		return fmt.Sprintf("mean %v, oracle %v", g, w)
	}
	return ""
}

// runDiff returns the largest relative difference between two runs'
// positions, medians and means, or describes how their rounds or moves
// differ.
func runDiff(got, want result.Issue) (float64, string) {
	rel := func(a, b float64) float64 {
		if a == b {
			return 0
		}
		return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
	}
	if len(got.Rounds) != len(want.Rounds) || got.Stopped != want.Stopped {
		return 0, fmt.Sprintf("%d rounds (%s), oracle %d (%s)", len(got.Rounds), got.Stopped, len(want.Rounds), want.Stopped)
	}
	var d float64
	for n, g := range got.Rounds {
		w := want.Rounds[n]
		d = math.Max(d, math.Max(rel(g.Median, w.Median), rel(g.Mean, w.Mean)))
		for id, x := range w.Positions {
			d = math.Max(d, rel(g.Positions[id], x))
		}
		if len(g.Moves) != len(w.Moves) {
			return d, fmt.Sprintf("round %d: %d moves, oracle %d", n, len(g.Moves), len(w.Moves))
		}
		for k, gm := range g.Moves {
			if wm := w.Moves[k]; gm.Actor != wm.Actor || gm.Partner != wm.Partner || gm.Kind != wm.Kind {
				return d, fmt.Sprintf("round %d: move %+v, oracle %+v", n, gm, wm)
			}
		}
	}
	return d, ""
}

// TestScholzMargins measures how close the scholz variant's decisions come
// to being flipped by rounding (scholzMargins; docs/models/eum.md §6) on
// the reference inputs, whose logs it reproduces, and fails if any margin
// is below 1e-9: the prefix sums change results by about 1e-14 (the
// rounds of TestScholzMatchesOracle), so a decision closer than that to
// its boundary could turn out differently from the code's. It also counts,
// over the random inputs of TestScholzMatchesOracle, the runs with a margin
// below 1e-12, where agreement with the oracle rests on exact ties that
// both compute alike.
func TestScholzMargins(t *testing.T) {
	cases := []struct{ name, path string }{
		{"emission", "../../testdata/reference/eum/emission.csv"},
	}
	for _, name := range []string{"random7", "random9", "tie6", "dupes8", "sal100"} {
		cases = append(cases, struct{ name, path string }{name, "../../testdata/reference/eum/replication/" + name + ".csv"})
	}
	for _, c := range cases {
		sc, err := scenario.Load(c.path)
		if err != nil {
			t.Fatal(err)
		}
		var in input
		in.fill(context.Background(), sc.Stakeholders(sc.Issues[0].ID), settings{variant: VariantScholz, q: 1, t: math.NaN()}, 1)
		st := newScholz(in)
		g := newScholzMargins()
		st.margins = g
		if _, err := simulate(context.Background(), st, in.ids, 10, model.StopRule{}, 0.01); err != nil {
			t.Fatal(err)
		}
		t.Logf("%-9s offer %.3g, key gap %.3g, median %.3g (%d exact ties), risk spread %.3g", c.name, g.offer, g.key, g.median, g.ties, g.risk)
		for what, v := range map[string]float64{"offer": g.offer, "key": g.key, "median": g.median, "risk": g.risk} {
			if v < 1e-9 {
				t.Errorf("%s: %s margin %g", c.name, what, v)
			}
		}
	}
	rng := rand.New(rand.NewPCG(20, 1))
	small, runs := 0, 0
	smallest := math.Inf(1)
	for trial := range 110 {
		in := oracleCase(rng, []int{2, 3, 4, 5, 7, 10, 16, 25, 40, 64, 100}[trial%11])
		if spread(in.x) == 0 {
			continue
		}
		st := newScholz(in)
		g := newScholzMargins()
		st.margins = g
		if _, err := simulate(context.Background(), st, in.ids, 10, model.StopRule{}, 0.01); err != nil {
			t.Fatal(err)
		}
		m := math.Min(math.Min(g.offer, g.key), math.Min(g.median, g.risk))
		smallest = math.Min(smallest, m)
		if m < 1e-12 {
			small++
			t.Logf("trial %d n=%d: offer %.3g key %.3g median %.3g (%d ties) risk %.3g", trial, len(in.x), g.offer, g.key, g.median, g.ties, g.risk)
		}
		runs++
	}
	t.Logf("random inputs: %d of %d runs have a margin below 1e-12 (smallest %.3g)", small, runs, smallest)
}
