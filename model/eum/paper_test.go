package eum

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// The tests in this file check the paper variant against the equations of
// Scholz, Calbert & Smith (2011) evaluated directly, without the sorted
// prefix sums paper.go uses. Equation numbers are the ICAART 2011 ones (see
// docs/models/eum.md).

// randCase draws one issue's data. The modes give continuous positions,
// integer positions (duplicates, voters exactly at a midpoint) and only three
// distinct positions (many ties); weights are sometimes small integers so
// that ties in the weighted median are exact.
func randCase(rng *rand.Rand, n int) (c, s, x []float64) {
	c, s, x = make([]float64, n), make([]float64, n), make([]float64, n)
	mode := rng.IntN(3)
	intWeights := rng.IntN(4) == 0
	for k := range n {
		switch mode {
		case 0:
			x[k] = 100 * rng.Float64()
		case 1:
			x[k] = float64(rng.IntN(11))
		default:
			x[k] = []float64{2, 5, 9}[rng.IntN(3)]
		}
		if intWeights {
			c[k] = float64(1 + rng.IntN(3))
			s[k] = []float64{0, 0.5, 1}[rng.IntN(3)]
		} else {
			c[k] = 0.01 + rng.Float64()
			s[k] = rng.Float64()
			if rng.IntN(10) == 0 {
				s[k] = 1
			}
		}
	}
	// Keep at least two positions and some weight, as a scenario would.
	if spread(x) == 0 {
		x[0]++
	}
	if s[0] == 0 {
		s[0] = 0.5
	}
	return c, s, x
}

// newTestPaper builds a paper-variant state; risk[i] < 0 means no fixed
// risk attitude.
// newTestPaper makes a paper state; t < 0 means T is derived (unset).
func newTestPaper(c, s, x, risk []float64, q, t float64, workers int) *paperState {
	if t < 0 {
		t = math.NaN()
	}
	in := input{c: c, s: s, x: x, q: q, t: t, workers: workers}
	st := make([]scenario.Stakeholder, len(x))
	for i := range x {
		in.ids = append(in.ids, fmt.Sprintf("A%d", i))
		st[i] = scenario.Stakeholder{ID: in.ids[i], Capability: c[i], Position: x[i], Salience: s[i]}
		if risk != nil && risk[i] >= 0 {
			r := risk[i]
			st[i].Risk = &r
		}
	}
	return newPaper(in, st)
}

// eq31 is the probability of success of eq. 31 evaluated voter by voter:
// the positive votes for xi against xj over the sum of the absolute votes,
// where voter k casts c_k s_k (|x_k − x_j| − |x_k − x_i|). It is 0.5 when
// nobody casts a non-zero vote (eq. 31 is 0/0 there).
func eq31(c, s, x []float64, xi, xj float64) float64 {
	var num, den float64
	for k := range x {
		v := c[k] * s[k] * (math.Abs(x[k]-xj) - math.Abs(x[k]-xi))
		if v > 0 {
			num += v
		}
		den += math.Abs(v)
	}
	if den == 0 {
		return 0.5
	}
	return num / den
}

func TestPWinMatchesEq31(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 2011))
	checked := 0
	for iter := range 400 {
		n := 1 + rng.IntN(40)
		c, s, x := randCase(rng, n)
		if iter%7 == 0 { // a case with one voter, or everybody at one point
			n = min(n, 1+rng.IntN(3))
			c, s, x = c[:n], s[:n], slices.Repeat([]float64{x[0]}, n)
		}
		ps := newTestPaper(c, s, x, nil, 1, -1, 1)
		ps.prepare()
		var pairs [][2]float64
		for i := range x {
			for j := range x {
				pairs = append(pairs, [2]float64{x[i], x[j]})
			}
		}
		lo, hi := slices.Min(x), slices.Max(x)
		for range 20 {
			// Points anywhere in (and a little beyond) the range.
			a := lo - 1 + (hi-lo+2)*rng.Float64()
			b := lo - 1 + (hi-lo+2)*rng.Float64()
			pairs = append(pairs, [2]float64{a, b}, [2]float64{a, a})
			// A pair whose midpoint is exactly a voter's position. Integer
			// positions and dyadic offsets keep the arithmetic exact; for
			// other positions x ± d rounds and the voter is no longer
			// exactly at the midpoint.
			k := rng.IntN(n)
			d := float64(1+rng.IntN(8)) / 4
			if x[k] == math.Trunc(x[k]) {
				pairs = append(pairs, [2]float64{x[k] - d, x[k] + d}, [2]float64{x[k] + d, x[k] - d})
			}
		}
		for _, p := range pairs {
			got, want := ps.pWin(p[0], p[1]), eq31(c, s, x, p[0], p[1])
			if math.Abs(got-want) > 1e-9 {
				t.Fatalf("case %d (x=%v c=%v s=%v): pWin(%v, %v) = %.15g, eq. 31 gives %.15g", iter, x, c, s, p[0], p[1], got, want)
			}
			checked++
		}
	}
	t.Logf("%d pairs checked", checked)
}

// TestPWinAllAtMidpoint: when every voter sits at the midpoint nobody votes
// and both sides get 0.5.
func TestPWinAllAtMidpoint(t *testing.T) {
	ps := newTestPaper([]float64{1, 2, 3}, []float64{0.5, 0.5, 1}, []float64{5, 5, 5}, nil, 1, -1, 1)
	ps.prepare()
	if p, q := ps.pWin(3, 7), ps.pWin(7, 3); p != 0.5 || q != 0.5 {
		t.Errorf("pWin(3, 7) = %v, pWin(7, 3) = %v; want 0.5 each", p, q)
	}
	// One voter off the midpoint decides it completely.
	ps = newTestPaper([]float64{1, 2, 3, 1}, []float64{0.5, 0.5, 1, 0.1}, []float64{5, 5, 5, 6.5}, nil, 1, -1, 1)
	ps.prepare()
	if p, q := ps.pWin(3, 7), ps.pWin(7, 3); p != 0 || q != 1 {
		t.Errorf("pWin(3, 7) = %v, pWin(7, 3) = %v; want 0 and 1", p, q)
	}
}

// TestPWinComplementary: P(a beats b) + P(b beats a) = 1 (eq. 31 shares
// its denominator between the two directions).
func TestPWinComplementary(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for iter := range 200 {
		c, s, x := randCase(rng, 2+rng.IntN(30))
		ps := newTestPaper(c, s, x, nil, 1, -1, 1)
		ps.prepare()
		for range 50 {
			a, b := x[rng.IntN(len(x))], 120*rng.Float64()-10
			if rng.IntN(2) == 0 {
				b = x[rng.IntN(len(x))]
			}
			if sum := ps.pWin(a, b) + ps.pWin(b, a); math.Abs(sum-1) > 1e-12 {
				t.Fatalf("case %d: pWin(%v, %v) + pWin(%v, %v) = %.17g", iter, a, b, b, a, sum)
			}
		}
	}
}

// condorcetWinner is μ by its definition (§3.2, eqs. 28–29): the smallest
// position that no other position beats in the c·s-weighted pairwise vote.
// Vote totals within tol of zero count as ties.
func condorcetWinner(c, s, x []float64) float64 {
	cand := slices.Clone(x)
	slices.Sort(cand)
	cand = slices.Compact(cand)
	var scale float64
	for k := range x {
		scale += c[k] * s[k]
	}
	tol := 1e-12 * scale * (1 + cand[len(cand)-1] - cand[0])
	for _, p := range cand {
		beaten := false
		for _, q := range cand {
			var v float64 // eq. 29: votes for q against p
			for k := range x {
				v += c[k] * s[k] * (math.Abs(x[k]-p) - math.Abs(x[k]-q))
			}
			if v > tol {
				beaten = true
				break
			}
		}
		if !beaten {
			return p
		}
	}
	panic("no Condorcet winner")
}

// bruteRound plays one round of the paper variant written straight from
// the equations: μ by pairwise votes, eq. 31 voter by voter, eq. 25a for
// every expected utility, eqs. 34 and 33 for the risk exponents, the §6.1
// octants and the §6.2 order of preference (kind, smallest move, larger
// partner EU, earlier partner) by a stable sort. fixed[i] < 0 means no fixed
// risk attitude.
//
// It also reports, per actor, whether the choice is numerically ambiguous:
// a classification inequality or a preference key of §6.2 holds by less
// than tol, or another actor stands within tol·R of it without sharing its
// position. There rounding, not the model, decides, so two correct
// implementations may choose differently.
func bruteRound(c, s, x, fixed []float64, R, Q, T float64) ([]float64, []result.Move, float64, []bool) {
	const tol = 1e-9
	n := len(x)
	mu := condorcetWinner(c, s, x)
	// E is E^i(U_ij) of eq. 25a: i challenges j, seen with exponent r.
	E := func(i, j int, r float64) float64 {
		dij := math.Abs(x[i]-x[j]) / R
		dim := math.Abs(x[i]-mu) / R
		uS := 2 - 4*math.Pow(0.5-0.5*dij, r)        // eq. 15
		uF := 2 - 4*math.Pow(0.5+0.5*dij, r)        // eq. 16
		uB := 2 - 4*math.Pow(0.5-0.25*(dim+dij), r) // eq. 22
		uW := 2 - 4*math.Pow(0.5+0.25*(dim+dij), r) // eq. 23
		uSQ := 2 - 4*math.Pow(0.5, r)               // eq. 24
		p := eq31(c, s, x, x[i], x[j])              // eq. 31
		t := T
		if t == -1 {
			t = 0
			if math.Abs(x[i]-mu) < math.Abs(x[i]-x[j]) {
				t = 1
			}
		}
		return s[j]*(p*uS+(1-p)*uF) + (1-s[j])*uS - Q*uSQ - (1-Q)*(t*uB+(1-t)*uW)
	}
	// Eq. 34 with every r = 1, then eq. 33.
	danger := make([]float64, n)
	for i := range n {
		for j := range n {
			if j != i {
				danger[i] += E(j, i, 1)
			}
		}
	}
	dmax, dmin := slices.Max(danger), slices.Min(danger)
	r := make([]float64, n)
	for i := range n {
		Ri := 0.0
		if dmax > dmin {
			Ri = (2*danger[i] - dmax - dmin) / (dmax - dmin)
		}
		r[i] = (1 - Ri/3) / (1 + Ri/3)
		if fixed[i] >= 0 {
			r[i] = fixed[i]
		}
	}
	near := func(u, v float64) bool { return math.Abs(u-v) <= tol }
	rank := map[string]int{Confrontation: 1, Compromise: 2, Capitulation: 3}
	next := slices.Clone(x)
	ambiguous := make([]bool, n)
	var moves []result.Move
	for i := range n {
		var offers []result.Move
		for j := range n {
			if x[j] == x[i] {
				continue
			}
			if math.Abs(x[i]-x[j]) <= tol*R {
				ambiguous[i] = true
			}
			a, b := E(i, j, r[i]), E(j, i, r[j]) // eq. 25a and 25b (with s_i)
			if near(a, 0) || near(b, 0) || near(a, b) || near(math.Abs(a), math.Abs(b)) {
				ambiguous[i] = true
			}
			m := result.Move{Actor: fmt.Sprintf("A%d", i), Partner: fmt.Sprintf("A%d", j), From: x[i], Utilities: &result.Utilities{EU: a, PartnerEU: b}}
			switch {
			case a > 0 && b > a:
				m.Kind, m.To = Confrontation, x[j]
			case a < 0 && b > 0 && math.Abs(a) < math.Abs(b):
				m.Kind, m.To = Compromise, x[i]-(x[i]-x[j])*math.Abs(a/b) // eq. 36
			case a < 0 && b > 0 && math.Abs(a) > math.Abs(b):
				m.Kind, m.To = Capitulation, x[j]
			default:
				continue
			}
			offers = append(offers, m)
		}
		if len(offers) == 0 {
			continue
		}
		size := func(m result.Move) float64 { return math.Abs(m.To - m.From) }
		sort.SliceStable(offers, func(p, q int) bool {
			op, oq := offers[p], offers[q]
			if rank[op.Kind] != rank[oq.Kind] {
				return rank[op.Kind] < rank[oq.Kind]
			}
			if mp, mq := size(op), size(oq); mp != mq {
				return mp < mq
			}
			return op.Utilities.PartnerEU > oq.Utilities.PartnerEU
		})
		if len(offers) > 1 {
			o0, o1 := offers[0], offers[1]
			if o0.Kind == o1.Kind && ((size(o0) != size(o1) && near(size(o0), size(o1))) ||
				(size(o0) == size(o1) && near(o0.Utilities.PartnerEU, o1.Utilities.PartnerEU))) {
				ambiguous[i] = true
			}
		}
		next[i] = offers[0].To
		moves = append(moves, offers[0])
	}
	return next, moves, mu, ambiguous
}

func TestPaperRoundMatchesEquations(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 36))
	kinds := map[string]int{}
	compared, skipped := 0, 0
	settings := []struct{ q, t float64 }{{1, -1}, {0.5, -1}, {0, -1}, {0.8, 0.3}, {0.5, 1}, {0.5, 0}}
	for iter := range 150 {
		n := 2 + rng.IntN(14)
		c, s, x := randCase(rng, n)
		fixed := make([]float64, n)
		for i := range fixed {
			fixed[i] = -1
			if rng.IntN(5) == 0 {
				fixed[i] = 0.5 + 1.5*rng.Float64()
			}
		}
		set := settings[iter%len(settings)]
		ps := newTestPaper(c, s, x, fixed, set.q, set.t, 1+iter%3)
		R := spread(x)
		for round := 1; round <= 4; round++ {
			before := slices.Clone(ps.x)
			wantX, wantMoves, mu, ambiguous := bruteRound(c, s, before, fixed, R, set.q, set.t)
			gotMoves := ps.round()
			where := fmt.Sprintf("case %d round %d (q=%v t=%v x=%v)", iter, round, set.q, set.t, before)
			if math.Abs(ps.mu-mu) > 1e-9 {
				t.Fatalf("%s: μ = %v, pairwise votes give %v", where, ps.mu, mu)
			}
			byActor := func(moves []result.Move) map[string]result.Move {
				out := map[string]result.Move{}
				for _, m := range moves {
					out[m.Actor] = m
				}
				return out
			}
			got, want := byActor(gotMoves), byActor(wantMoves)
			for i := range before {
				id := fmt.Sprintf("A%d", i)
				if ambiguous[i] {
					skipped++
					continue
				}
				compared++
				g, gok := got[id]
				w, wok := want[id]
				if gok != wok {
					t.Fatalf("%s: %s moves %v (%+v), equations say %v (%+v)", where, id, gok, g, wok, w)
				}
				if wok {
					if g.Partner != w.Partner || g.Kind != w.Kind || g.From != w.From ||
						math.Abs(g.To-w.To) > 1e-9 || math.Abs(g.Utilities.EU-w.Utilities.EU) > 1e-9 || math.Abs(g.Utilities.PartnerEU-w.Utilities.PartnerEU) > 1e-9 {
						t.Fatalf("%s: move %+v, equations give %+v", where, g, w)
					}
					kinds[w.Kind]++
				}
				if math.Abs(ps.x[i]-wantX[i]) > 1e-9 {
					t.Fatalf("%s: x[%d] = %.15g, equations give %.15g", where, i, ps.x[i], wantX[i])
				}
			}
		}
	}
	t.Logf("%d actor-rounds compared, %d numerically ambiguous skipped; moves by kind: %v", compared, skipped, kinds)
	if skipped*10 > compared {
		t.Errorf("too many ambiguous actor-rounds: %d of %d", skipped, compared+skipped)
	}
	for _, k := range []string{Confrontation, Compromise, Capitulation} {
		if kinds[k] == 0 {
			t.Errorf("no %s among the random rounds; the comparison does not cover it", k)
		}
	}
}

// TestPaperMedianIsLowerCondorcetWinner checks μ against the pairwise-vote
// definition, including exact ties (integer weights) where the lower end is
// taken.
func TestPaperMedianIsLowerCondorcetWinner(t *testing.T) {
	// A whole interval ties: weight 2 at or below 3, 2 at or above 5.
	ps := newTestPaper([]float64{1, 1, 1, 1}, []float64{1, 1, 1, 1}, []float64{1, 3, 5, 7}, nil, 1, -1, 1)
	if got := ps.median(); got != 3 {
		t.Errorf("median of 1,3,5,7 with equal weights = %v, want the lower end 3", got)
	}
	rng := rand.New(rand.NewPCG(28, 29))
	for iter := range 300 {
		c, s, x := randCase(rng, 1+rng.IntN(25))
		ps := newTestPaper(c, s, x, nil, 1, -1, 1)
		if got, want := ps.median(), condorcetWinner(c, s, x); got != want {
			t.Fatalf("case %d (x=%v c=%v s=%v): median %v, Condorcet winner %v", iter, x, c, s, got, want)
		}
	}
}

func randScenarioRun(seed uint64, n, rounds, workers int, q float64) result.Issue {
	rng := rand.New(rand.NewPCG(seed, 1))
	c, s, x := randCase(rng, n)
	ps := newTestPaper(c, s, x, nil, q, -1, workers)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("A%d", i)
	}
	is, err := simulate(context.Background(), ps, ids, rounds, model.StopRule{}, 0.01)
	if err != nil {
		panic(err)
	}
	return is
}

func TestPaperWorkersIdentical(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4} {
		for _, q := range []float64{1, 0.5} {
			one := randScenarioRun(seed, 45, 8, 1, q)
			for _, w := range []int{2, 3} {
				if got := randScenarioRun(seed, 45, 8, w, q); !reflect.DeepEqual(got, one) {
					t.Errorf("seed %d q=%v: workers=%d differs from workers=1", seed, q, w)
				}
			}
		}
	}
}

func TestPaperMovesStayInStartingRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(99, 100))
	for iter := range 100 {
		n := 2 + rng.IntN(20)
		c, s, x := randCase(rng, n)
		lo, hi := slices.Min(x), slices.Max(x)
		q := []float64{1, 0.5, 0}[iter%3]
		ps := newTestPaper(c, s, x, nil, q, -1, 1)
		for round := 1; round <= 15; round++ {
			for _, m := range ps.round() {
				if m.To < lo || m.To > hi {
					t.Fatalf("case %d round %d: %s moves to %.17g, outside the starting range [%v, %v]", iter, round, m.Actor, m.To, lo, hi)
				}
			}
		}
	}
}

func medians(is result.Issue) []float64 {
	var out []float64
	for _, r := range is.Rounds {
		out = append(out, r.Median)
	}
	return out
}

// TestPaperEmission pins the paper variant's medians on the emission case
// (no published target exists; these are Parley's own results), and checks
// that Q = 0.5 changes them.
func TestPaperEmission(t *testing.T) {
	sc := fixture.Emission(t)
	run := func(q float64) result.Issue {
		res, err := Model{}.Run(context.Background(), sc, model.Options{Variant: VariantPaper, Params: model.Params{"q": model.Number(q)}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Issues[0]
	}
	q1, qh := run(1), run(0.5)
	want1 := []float64{7, 7, 7, 7, 7} // all agree at 7 after round 4, which ends the run
	wantH := []float64{7, 10, 4, 7, 7, 7, 7, 7, 7, 7, 7}
	if got := medians(q1); !slices.Equal(got, want1) {
		t.Errorf("Q=1 medians %v, want %v", got, want1)
	}
	if got := medians(qh); !slices.Equal(got, wantH) {
		t.Errorf("Q=0.5 medians %v, want %v", got, wantH)
	}
	if reflect.DeepEqual(q1.Rounds[1].Positions, qh.Rounds[1].Positions) {
		t.Error("Q=0.5 and Q=1 give the same positions after round 1")
	}
	// At Q = 1 everybody ends at 7 by round 4.
	if q1.Stopped != "agreement" {
		t.Errorf("Q=1 stopped by %q, want agreement", q1.Stopped)
	}
	for id, x := range q1.Final().Positions {
		if x != 7 {
			t.Errorf("Q=1: %s ends at %v, want 7", id, x)
		}
	}
}

// TestPaperQChangesExpectedUtility: the (1 − Q)(T U_b + (1 − T) U_w) term of
// eq. 25a is live in the paper variant.
func TestPaperQChangesExpectedUtility(t *testing.T) {
	c, s, x := []float64{1, 1, 1}, []float64{0.5, 0.6, 0.7}, []float64{0, 4, 10}
	p1 := newTestPaper(c, s, x, nil, 1, -1, 1)
	ph := newTestPaper(c, s, x, nil, 0.5, -1, 1)
	p1.prepare()
	ph.prepare()
	for i := range 3 {
		for j := range 3 {
			if i == j {
				continue
			}
			p := p1.pWin(x[i], x[j])
			if e1, eh := p1.eu(i, j, 1, p), ph.eu(i, j, 1, p); e1 == eh {
				t.Errorf("E(U_%d%d) is %v for both Q=1 and Q=0.5", i, j, e1)
			}
		}
	}
}

// TestPaperFixedRisk: a fixed risk attitude in the scenario replaces the
// computed r for that actor only (the danger levels of eq. 34 are computed
// with r = 1, so the others keep theirs).
func TestPaperFixedRisk(t *testing.T) {
	sc := fixture.Emission(t)
	st := sc.Stakeholders(sc.Issues[0].ID)
	in := input{q: 1, t: -1, workers: 1}
	for _, a := range st {
		in.ids = append(in.ids, a.ID)
		in.c = append(in.c, a.Capability)
		in.s = append(in.s, a.Salience)
		in.x = append(in.x, a.Position)
	}
	free := newPaper(in, st)
	free.prepare()
	free.updateRisk()
	fixedSt := slices.Clone(st)
	two := 2.0
	fixedSt[0].Risk = &two // Netherlands
	fixed := newPaper(in, fixedSt)
	fixed.prepare()
	fixed.updateRisk()
	if free.r[0] == 2 {
		t.Fatalf("computed r for %s is already 2", st[0].ID)
	}
	if fixed.r[0] != 2 {
		t.Errorf("fixed risk 2: r = %v", fixed.r[0])
	}
	for i := 1; i < len(st); i++ {
		if fixed.r[i] != free.r[i] {
			t.Errorf("%s: r %v with Netherlands fixed, %v without", st[i].ID, fixed.r[i], free.r[i])
		}
	}
	t.Logf("computed r: %v", free.r)
	// The scenario field reaches the model through Run, and changes the run.
	sc2 := fixture.Emission(t)
	sc2.Actors[0].Risk = &two
	a, err := Model{}.Run(context.Background(), sc, model.Options{Variant: VariantPaper})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Model{}.Run(context.Background(), sc2, model.Options{Variant: VariantPaper})
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Issues[0].Rounds[1].Moves, b.Issues[0].Rounds[1].Moves) {
		t.Error("fixing Netherlands' risk attitude leaves round 1's moves unchanged")
	}
	// The scholz variant ignores it.
	c, _ := Model{}.Run(context.Background(), sc, model.Options{Variant: VariantScholz})
	d, _ := Model{}.Run(context.Background(), sc2, model.Options{Variant: VariantScholz})
	if !reflect.DeepEqual(c, d) {
		t.Error("the scholz variant uses the fixed risk attitude")
	}
}

// Two actors at 0 and 10 (R = 10, so |x_i − x_j|/R = 1) with fixed risk
// exponents. Then U_s = 2, U_f = −2, U_sq = 2 − 4·0.5^r (eqs. 15, 16, 24),
// eq. 31 gives P_i = w_i/(w_i + w_j) with w = c·s, and with Q = 1 eq. 25a
// reduces to E^i(U_ij) = 4 (0.5^{r_i} − s_j (1 − P_i)).
func twoActors(t *testing.T, c, s, r []float64) (a, b float64, moves []result.Move, x []float64) {
	t.Helper()
	ps := newTestPaper(c, s, []float64{0, 10}, r, 1, -1, 1)
	pi := c[0] * s[0] / (c[0]*s[0] + c[1]*s[1])
	a = 4 * (math.Pow(0.5, r[0]) - s[1]*(1-pi))
	b = 4 * (math.Pow(0.5, r[1]) - s[0]*pi)
	moves = ps.round()
	return a, b, moves, ps.x
}

func TestPaperConfrontation(t *testing.T) {
	// w = (0.08, 0.24): P_0 = 0.25; a = 4(0.5 − 0.4·0.75) = 0.8,
	// b = 4(0.5 − 0.4·0.25) = 1.6: b > a > 0, so actor 0 loses the
	// confrontation and moves to x_1; actor 1 (a' = 1.6 > b' = 0.8) stays.
	a, b, moves, x := twoActors(t, []float64{0.2, 0.6}, []float64{0.4, 0.4}, []float64{1, 1})
	if !(b > a && a > 0) {
		t.Fatalf("set-up: a = %v, b = %v", a, b)
	}
	checkOnlyMove(t, moves, Confrontation, a, b)
	if want := []float64{10, 10}; !slices.Equal(x, want) {
		t.Errorf("positions %v, want %v", x, want)
	}
}

func TestPaperCompromise(t *testing.T) {
	// w = (0.06, 0.18): P_0 = 0.25; a = 4(0.5 − 0.9·0.75) = −0.7,
	// b = 4(0.5 − 0.1·0.25) = 1.9: a < 0 < b, |a| < b, so actor 0
	// compromises to x_0 + (x_1 − x_0)|a/b| = 10·0.7/1.9 (eq. 36).
	a, b, moves, x := twoActors(t, []float64{0.6, 0.2}, []float64{0.1, 0.9}, []float64{1, 1})
	if !(a < 0 && b > 0 && -a < b) {
		t.Fatalf("set-up: a = %v, b = %v", a, b)
	}
	checkOnlyMove(t, moves, Compromise, a, b)
	want := 0 + (10-0)*math.Abs(a/b)
	if math.Abs(x[0]-want) > 1e-12 || math.Abs(want-70.0/19) > 1e-12 || x[1] != 10 {
		t.Errorf("positions %v, want [%v 10]", x, want)
	}
}

func TestPaperCapitulation(t *testing.T) {
	// Equal weights: P_0 = 0.5. Actor 0 risk-averse (r = 2), actor 1
	// risk-acceptant (r = 0.5): a = 4(0.25 − 0.5) = −1,
	// b = 4(√0.5 − 0.5) ≈ 0.83: a < 0 < b, |a| > b, so actor 0 capitulates
	// and moves all the way to x_1. (With r = 1 for both and Q = 1 this
	// cannot happen: |a| > b would need s_j(1 − P_i) + s_i P_i > 1.)
	a, b, moves, x := twoActors(t, []float64{1, 1}, []float64{1, 1}, []float64{2, 0.5})
	if !(a < 0 && b > 0 && -a > b) {
		t.Fatalf("set-up: a = %v, b = %v", a, b)
	}
	checkOnlyMove(t, moves, Capitulation, a, b)
	if want := []float64{10, 10}; !slices.Equal(x, want) {
		t.Errorf("positions %v, want %v", x, want)
	}
}

func checkOnlyMove(t *testing.T, moves []result.Move, kind string, a, b float64) {
	t.Helper()
	if len(moves) != 1 {
		t.Fatalf("%d moves %+v, want one %s", len(moves), moves, kind)
	}
	m := moves[0]
	if m.Actor != "A0" || m.Partner != "A1" || m.Kind != kind || m.From != 0 {
		t.Errorf("move %+v, want A0 %s with A1 from 0", m, kind)
	}
	if math.Abs(m.Utilities.EU-a) > 1e-12 || math.Abs(m.Utilities.PartnerEU-b) > 1e-12 {
		t.Errorf("EU %v vs %v, want %v vs %v", m.Utilities.EU, m.Utilities.PartnerEU, a, b)
	}
}

// TestPaperOfferOrder checks §6.2's order: kind first, then the smallest
// move, then the larger partner EU, then the earlier partner.
func TestPaperOfferOrder(t *testing.T) {
	mv := func(kind string, to, partnerEU float64) candidate {
		return candidate{kind: kind, move: math.Abs(to - 5), to: to, partnerEU: partnerEU}
	}
	cases := []struct {
		m, than candidate
		want    bool
	}{
		{mv(Confrontation, 0, 0.1), mv(Compromise, 5.1, 9), true},
		{mv(Compromise, 0, 0.1), mv(Capitulation, 5.1, 9), true},
		{mv(Capitulation, 5.1, 9), mv(Confrontation, 0, 0.1), false},
		{mv(Confrontation, 7, 0.1), mv(Confrontation, 2, 9), true},    // 2 < 3
		{mv(Confrontation, 3, 0.1), mv(Confrontation, 7, 0.2), false}, // equal moves, smaller EU
		{mv(Confrontation, 3, 0.3), mv(Confrontation, 7, 0.2), true},
		{mv(Confrontation, 7, 0.2), mv(Confrontation, 7, 0.2), false}, // full tie: keep the earlier
	}
	for i, c := range cases {
		if got := better(c.m, c.than); got != c.want {
			t.Errorf("case %d: better(%+v, %+v) = %v, want %v", i, c.m, c.than, got, c.want)
		}
	}
}

// TestPaperTFromGeometry: with t = −1, T is 1 exactly when μ is nearer i
// than j is (|x_i − μ| < |x_i − x_j|, Figs. 1–4), so E(U_ij) uses U_b;
// otherwise U_w. A fixed t in [0, 1] mixes them.
func TestPaperTFromGeometry(t *testing.T) {
	// Weights put μ at 4.
	c, s, x := []float64{1, 5, 1}, []float64{1, 1, 1}, []float64{0, 4, 10}
	q := 0.5
	base := newTestPaper(c, s, x, nil, 1, -1, 1) // Q = 1 part only
	base.prepare()
	if base.mu != 4 {
		t.Fatalf("μ = %v", base.mu)
	}
	R := 10.0
	for _, tc := range []struct {
		i, j int
		T    float64
	}{{0, 2, 1}, {2, 0, 1}, {0, 1, 0}, {2, 1, 0}} {
		dij, dim := math.Abs(x[tc.i]-x[tc.j])/R, math.Abs(x[tc.i]-4)/R
		uB := 2 - 4*(0.5-0.25*(dim+dij))
		uW := 2 - 4*(0.5+0.25*(dim+dij))
		p := base.pWin(x[tc.i], x[tc.j])
		e1 := base.eu(tc.i, tc.j, 1, p)
		for _, tp := range []float64{-1, 0, 0.25, 1} {
			ps := newTestPaper(c, s, x, nil, q, tp, 1)
			ps.prepare()
			T := tp
			if tp == -1 {
				T = tc.T
			}
			// eq. 25a: the Q·U_sq part is 0 at r = 1, so E at Q is E at Q=1
			// minus (1 − Q)(T U_b + (1 − T) U_w).
			want := e1 - (1-q)*(T*uB+(1-T)*uW)
			if got := ps.eu(tc.i, tc.j, 1, p); math.Abs(got-want) > 1e-12 {
				t.Errorf("i=%d j=%d t=%v: E = %v, want %v", tc.i, tc.j, tp, got, want)
			}
		}
	}
}

// TestPaperTieBreakInRound: between two confrontations of the same size
// the larger partner EU wins; on a full tie, the earlier partner.
func TestPaperTieBreakInRound(t *testing.T) {
	// x = 0, 10, 10 and w = 0.08, 0.12, 0.12: P_0 = 0.25 (eq. 31), so with
	// r = 1, a = 4(0.5 − 0.4·0.75) = 0.8 and b = 4(0.5 − 0.4·0.25) = 1.6.
	c, s, x := []float64{0.2, 0.3, 0.3}, []float64{0.4, 0.4, 0.4}, []float64{0, 10, 10}
	for _, tc := range []struct {
		r2      float64
		partner string
		b       float64
	}{
		{1, "A1", 1.6},                          // identical partners: the earlier
		{0.5, "A2", 4 * (math.Sqrt(0.5) - 0.1)}, // A2 risk-acceptant: larger b
		{1.5, "A1", 1.6},                        // A2 risk-averse: smaller b
	} {
		ps := newTestPaper(c, s, x, []float64{1, 1, tc.r2}, 1, -1, 1)
		moves := ps.round()
		if len(moves) == 0 || moves[0].Actor != "A0" {
			t.Fatalf("r2=%v: moves %+v, want A0 to move", tc.r2, moves)
		}
		m := moves[0]
		if m.Kind != Confrontation || m.Partner != tc.partner || m.To != 10 ||
			math.Abs(m.Utilities.EU-0.8) > 1e-12 || math.Abs(m.Utilities.PartnerEU-tc.b) > 1e-12 {
			t.Errorf("r2=%v: move %+v, want a confrontation with %s (b = %v)", tc.r2, m, tc.partner, tc.b)
		}
	}
}
