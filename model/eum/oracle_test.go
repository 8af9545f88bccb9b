package eum

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/result"
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
	var lv linearVotes
	lv.reset(st.x, st.w)
	lv.sweep(1, pairFunc(func(i, j int, forLo, forHi float64) {
		num[i][j], num[j][i] = forLo/st.span, forHi/st.span
	}))
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
	var out []result.Move
	for i, m := range chosen {
		if m.kind == "" {
			continue
		}
		if record {
			out = append(out, result.Move{Actor: st.ids[i], Partner: st.ids[m.partner], Kind: m.kind, From: st.x[i], To: m.to, EU: m.eu, PartnerEU: m.otherEU})
		}
		st.x[i] = m.to
	}
	return out
}

// distances returns t[a][k] = (|x_k − x_a| / R)^{r_k}, with every r = 1
// when r is nil.
func (o oracleScholz) distances(r []float64) [][]float64 {
	st := o.scholzState
	n := len(st.x)
	t := make([][]float64, n)
	for a := range t {
		t[a] = make([]float64, n)
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
	num := make([][]float64, n)
	for i := range num {
		num[i] = make([]float64, n)
	}
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
func oracleCase(rng *rand.Rand, n int) input {
	in := input{q: 1, t: -1, workers: 1 + rng.IntN(2)}
	kind := rng.IntN(4)
	if rng.IntN(4) == 0 {
		in.q = rng.Float64()
	}
	for i := range n {
		in.ids = append(in.ids, fmt.Sprintf("A%d", i))
		c, s, x := 0.01+rng.Float64(), rng.Float64(), 100*rng.Float64()
		switch kind {
		case 1:
			x = float64(rng.IntN(8)) * 12.5
		case 2:
			c, s, x = float64(1+rng.IntN(3)), []float64{0, 0.5, 1}[rng.IntN(3)], float64(rng.IntN(11))
		case 3:
			if rng.IntN(5) == 0 {
				s = 0
			}
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

// TestScholzMatchesOracle runs the scholz variant and the oracle (the
// O(n³) vote totals) side by side on seeded random inputs of many sizes and
// kinds, and compares every round: the positions and the moves' expected
// utilities to 1e-9 relative, the medians and means likewise, and the moves'
// actors, partners and kinds exactly.
func TestScholzMatchesOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 1))
	sizes := []int{2, 3, 4, 5, 7, 10, 16, 25, 40, 64, 100, 160}
	runs := 0
	for trial := range 240 {
		n := sizes[trial%len(sizes)]
		in := oracleCase(rng, n)
		if spread(in.x) == 0 {
			continue
		}
		runs++
		got := simulate(newScholz(in), in.ids, 10, model.StopRule{})
		want := simulate(newOracle(in), in.ids, 10, model.StopRule{})
		if err := sameRun(got, want, oracleTol); err != "" {
			t.Fatalf("trial %d (n = %d, q = %v): %s", trial, n, in.q, err)
		}
	}
	t.Logf("%d runs agree", runs)
}

// oracleTol is the relative tolerance of TestScholzMatchesOracle.
const oracleTol = 0

// sameRun compares two runs round by round within relative tolerance tol
// and describes the first difference ("" if none).
func sameRun(got, want result.Issue, tol float64) string {
	near := func(a, b float64) bool {
		return a == b || math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b)) || math.Abs(a-b) <= 1e-12
	}
	if len(got.Rounds) != len(want.Rounds) || got.Stopped != want.Stopped {
		return fmt.Sprintf("%d rounds (%s), oracle %d (%s)", len(got.Rounds), got.Stopped, len(want.Rounds), want.Stopped)
	}
	for n, g := range got.Rounds {
		w := want.Rounds[n]
		if !near(g.Median, w.Median) || !near(g.Mean, w.Mean) {
			return fmt.Sprintf("round %d: median %v mean %v, oracle %v %v", n, g.Median, g.Mean, w.Median, w.Mean)
		}
		for id, x := range w.Positions {
			if !near(g.Positions[id], x) {
				return fmt.Sprintf("round %d: %s at %v, oracle %v", n, id, g.Positions[id], x)
			}
		}
		if len(g.Moves) != len(w.Moves) {
			return fmt.Sprintf("round %d: %d moves, oracle %d", n, len(g.Moves), len(w.Moves))
		}
		for k, gm := range g.Moves {
			wm := w.Moves[k]
			if gm.Actor != wm.Actor || gm.Partner != wm.Partner || gm.Kind != wm.Kind ||
				!near(gm.To, wm.To) || !near(gm.EU, wm.EU) || !near(gm.PartnerEU, wm.PartnerEU) {
				return fmt.Sprintf("round %d: move %+v, oracle %+v", n, gm, wm)
			}
		}
	}
	return ""
}
