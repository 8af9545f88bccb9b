package eum

import (
	"context"
	"math"

	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// paperState is the paper variant: the equations as printed in Scholz,
// Calbert & Smith (2011). Equation numbers follow the paper (ICAART 2011
// numbering, which the JTP article shares as far as we could check).
//
// Per round:
//  1. μ is the Condorcet winner of eqs. 28–29, the c·s-weighted median.
//  2. With every r = 1, each actor's danger Σ_{j≠i} E^i(U_ji) (eq. 34's
//     summand) gives its risk acceptance R_i (eq. 34) and its risk exponent
//     r_i = (1 − R_i/3)/(1 + R_i/3) (eq. 33). An actor with a fixed risk
//     attitude in the scenario keeps it.
//  3. With those exponents, E^i(U_ij) (eq. 25a) for every ordered pair;
//     E^j(U_ji) is the same formula from j's side, with r_j and the target's
//     salience s_i (eq. 25b prints s_j, a misprint; see docs/models/eum.md).
//  4. Actor i, seeing a = E^i(U_ij) and b = E^j(U_ji), moves when
//     b > a > 0 (it loses a confrontation: to x_j), a < 0 < b with
//     |a| < b (compromise, eq. 36: x_i + (x_j − x_i)|a/b|), or a < 0 < b
//     with |a| > b (capitulation: to x_j). It prefers a confrontation to a
//     compromise to a capitulation and, within a kind, the smallest move
//     (§6.2); remaining ties go to the offer with the larger b, then the
//     earlier actor. All actors move at once.
//
// The probability of success is eq. 31 with linear votes, which sorted
// positions and prefix sums give in O(log n) per pair, so a round costs
// O(n² log n).
type paperState struct {
	ids     []string
	c, s, x []float64
	w       []float64 // c·s
	fixed   []float64 // fixed risk exponent, NaN where none
	r       []float64
	span    float64
	q, t    float64 // t is NaN when derived (unset)
	workers int
	ctx     context.Context // checked between rows (see input.ctx)

	// The linear votes of eq. 31 over the current positions, rebuilt each
	// round.
	linearVotes
	mu   float64
	uSQ  []float64 // eq. 24 for each actor's r
	e, a [][]float64
}

func newPaper(in input, st []scenario.Stakeholder) *paperState {
	n := len(in.x)
	ps := &paperState{
		ids: in.ids, c: in.c, s: in.s, x: append([]float64(nil), in.x...),
		w: make([]float64, n), fixed: make([]float64, n), r: make([]float64, n),
		uSQ: make([]float64, n), e: matrix(n), a: matrix(n),
		span: spread(in.x), q: in.q, t: in.t, workers: in.workers, ctx: in.context(),
	}
	for i := range n {
		ps.w[i] = in.c[i] * in.s[i]
		ps.fixed[i] = math.NaN()
		if st[i].Risk != nil {
			ps.fixed[i] = *st[i].Risk
		}
	}
	return ps
}

func (ps *paperState) positions() []float64 { return ps.x }

// median is the Condorcet winner of eqs. 28–29: with linear votes, the
// c·s-weighted median (the lower end when a whole interval ties).
func (ps *paperState) median() float64 { return numeric.WeightedMedian(ps.x, ps.w) }

func (ps *paperState) mean() float64 { return numeric.WeightedMean(ps.x, ps.w) }

// prepare sorts the positions and builds the prefix sums for eq. 31.
func (ps *paperState) prepare() {
	ps.linearVotes.reset(ps.x, ps.w)
	ps.mu = ps.median()
}

// pWin is eq. 31: the share of the absolute votes between x_a and x_b
// that favour x_a. It returns 0.5 when nobody votes.
func (ps *paperState) pWin(xa, xb float64) float64 {
	forA, forB := ps.votes(xa, xb)
	if forA+forB <= 0 {
		return 0.5
	}
	return forA / (forA + forB)
}

// pow0 is v^r for v ≥ 0, guarding against rounding just below zero.
func pow0(v, r float64) float64 {
	if v <= 0 {
		return 0
	}
	if r == 1 {
		return v
	}
	return math.Pow(v, r)
}

// eu is E^i(U_ij) of eq. 25a: the expected utility to i of challenging j,
// with i's risk exponent ri and i's probability of success p.
func (ps *paperState) eu(i, j int, ri, p float64) float64 {
	dij := math.Abs(ps.x[i]-ps.x[j]) / ps.span
	uS := 2 - 4*pow0(0.5-0.5*dij, ri) // eq. 15
	uF := 2 - 4*pow0(0.5+0.5*dij, ri) // eq. 16
	uSQ := 0.0                        // eq. 24: 2 − 4·0.5^r, which is 0 at r = 1
	if ri != 1 {
		uSQ = 2 - 4*math.Exp2(-ri)
	}
	e := ps.s[j]*(p*uS+(1-p)*uF) + (1-ps.s[j])*uS - ps.q*uSQ
	if ps.q < 1 {
		dim := math.Abs(ps.x[i]-ps.mu) / ps.span
		uB := 2 - 4*pow0(0.5-0.25*(dim+dij), ri) // eq. 22
		uW := 2 - 4*pow0(0.5+0.25*(dim+dij), ri) // eq. 23
		t := ps.t
		if math.IsNaN(t) { // unset: Figs. 1–4: things get better when μ is nearer i than j is
			t = 0
			if math.Abs(ps.x[i]-ps.mu) < math.Abs(ps.x[i]-ps.x[j]) {
				t = 1
			}
		}
		e -= (1 - ps.q) * (t*uB + (1-t)*uW) // eq. 7
	}
	return e
}

// sweepPairs calls f(i, j, p) once for every pair of actors with
// x_i < x_j, where p = P(x_i beats x_j) of eq. 31 (0.5 when nobody votes).
// Rows run in parallel; f may write only to cells (i, j) and (j, i).
func (ps *paperState) sweepPairs(f func(i, j int, p float64)) {
	ps.sweep(ps.ctx, ps.workers, pairFunc(func(i, j int, forLo, forHi float64) {
		p := 0.5
		if total := forLo + forHi; total > 0 {
			p = forLo / total
		}
		f(i, j, p)
	}))
}

// matrix returns an n×n matrix of zeros.
func matrix(n int) [][]float64 {
	m := make([][]float64, n)
	flat := make([]float64, n*n) // one allocation for the cells
	for i := range m {
		m[i] = flat[i*n : (i+1)*n : (i+1)*n]
	}
	return m
}

// updateRisk sets r_i from eqs. 34 and 33, with every E computed at r = 1.
func (ps *paperState) updateRisk() {
	n := len(ps.x)
	// e[i][j] = E^i(U_ji) at r = 1: j's expected utility of challenging i.
	e := ps.e
	if ps.q == 1 {
		// Eq. 25a at r = 1 and Q = 1: U_s = 2d, U_f = −2d, U_sq = 0, so
		// E = 2d (1 − 2 s_target (1 − P)) with d = |x_i − x_j| / R.
		ps.sweepPairs(func(i, j int, p float64) {
			d2 := 2 * math.Abs(ps.x[i]-ps.x[j]) / ps.span
			e[i][j] = d2 * (1 - 2*ps.s[i]*p)     // j challenges i, succeeds with 1 − p
			e[j][i] = d2 * (1 - 2*ps.s[j]*(1-p)) // i challenges j, succeeds with p
		})
	} else {
		ps.sweepPairs(func(i, j int, p float64) {
			e[i][j] = ps.eu(j, i, 1, 1-p)
			e[j][i] = ps.eu(i, j, 1, p)
		})
	}
	// Pairs at the same position are not swept: they hold 0 at Q = 1, and
	// still fear each other's status-quo terms at Q < 1.
	for i := range n {
		for j := range n {
			if i != j && ps.x[i] == ps.x[j] {
				e[i][j] = 0
				if ps.q < 1 {
					e[i][j] = ps.eu(j, i, 1, 0.5)
				}
			}
		}
	}
	danger := make([]float64, n)
	for i := range n {
		var d float64
		for _, v := range e[i] {
			d += v
		}
		danger[i] = d
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, d := range danger {
		lo, hi = math.Min(lo, d), math.Max(hi, d)
	}
	for i, d := range danger {
		ra := 0.0
		if hi-lo > tiny*(math.Abs(hi)+math.Abs(lo)) {
			ra = (2*d - hi - lo) / (hi - lo) // eq. 34
		}
		ps.r[i] = (1 - ra/3) / (1 + ra/3) // eq. 33
		if !math.IsNaN(ps.fixed[i]) {
			ps.r[i] = ps.fixed[i]
		}
		ps.uSQ[i] = 2 - 4*math.Exp2(-ps.r[i]) // eq. 24
	}
}

// tiny is the tolerance below which expected utilities and their
// differences count as zero, so that rounding noise (for example between
// two actors with identical data) never triggers a move.
const tiny = 1e-12

// kindRank orders the kinds of offer an actor prefers to accept (§6.2).
func kindRank(kind string) int {
	switch kind {
	case Confrontation:
		return 0
	case Compromise:
		return 1
	default:
		return 2
	}
}

// step is round; the paper variant always records its moves.
func (ps *paperState) step(bool) []result.Move { return ps.round() }

func (ps *paperState) round() []result.Move {
	n := len(ps.x)
	ps.prepare()
	ps.updateRisk()
	a := ps.a // a[i][j] = E^i(U_ij)
	ps.sweepPairs(func(i, j int, p float64) {
		a[i][j], a[j][i] = ps.euPair(i, j, p)
	})
	chosen := make([]*result.Move, n)
	numeric.ParallelFor(n, ps.workers, func(i int) {
		if ps.ctx.Err() != nil {
			return // the round is cut short and discarded
		}
		var best *result.Move
		for j := range n {
			if ps.x[i] == ps.x[j] {
				continue
			}
			aij, bji := a[i][j], a[j][i]
			var kind string
			var to float64
			switch {
			case aij > tiny && bji > aij+tiny:
				kind, to = Confrontation, ps.x[j]
			case aij < -tiny && bji > tiny && -aij < bji-tiny:
				kind, to = Compromise, ps.x[i]+(ps.x[j]-ps.x[i])*math.Abs(aij/bji) // eq. 36
			case aij < -tiny && bji > tiny && -aij > bji+tiny:
				kind, to = Capitulation, ps.x[j]
			default:
				continue
			}
			if best != nil && kindRank(kind) > kindRank(best.Kind) {
				continue
			}
			m := result.Move{Actor: ps.ids[i], Partner: ps.ids[j], Kind: kind, From: ps.x[i], To: to, Utilities: &result.Utilities{EU: aij, PartnerEU: bji}}
			if best == nil || better(m, *best) {
				best = &m
			}
		}
		chosen[i] = best
	})
	var out []result.Move
	for i, m := range chosen {
		if m != nil {
			ps.x[i] = m.To
			out = append(out, *m)
		}
	}
	return out
}

// euPair returns E^i(U_ij) with r_i and E^j(U_ji) with r_j (eq. 25a from
// each side), given p = P(x_i beats x_j). It shares the logarithms of the
// bases of eqs. 15–16 between the two sides.
func (ps *paperState) euPair(i, j int, p float64) (float64, float64) {
	if ps.q < 1 {
		return ps.eu(i, j, ps.r[i], p), ps.eu(j, i, ps.r[j], 1-p)
	}
	d := 0.5 * math.Abs(ps.x[i]-ps.x[j]) / ps.span
	ls, lf := math.Log(math.Max(0.5-d, 0)), math.Log(0.5+d)
	side := func(ri, p, sTarget float64) float64 {
		uS := 2 - 4*math.Exp(ri*ls) // eq. 15
		uF := 2 - 4*math.Exp(ri*lf) // eq. 16
		uSQ := 2 - 4*math.Exp2(-ri) // eq. 24
		return sTarget*(p*uS+(1-p)*uF) + (1-sTarget)*uS - ps.q*uSQ
	}
	return side(ps.r[i], p, ps.s[j]), side(ps.r[j], 1-p, ps.s[i])
}

// better orders offers: kind first, then the smaller move, then the
// partner with the larger expected utility (§6.2).
func better(m, than result.Move) bool {
	if kindRank(m.Kind) != kindRank(than.Kind) {
		return kindRank(m.Kind) < kindRank(than.Kind)
	}
	dm, dt := math.Abs(m.To-m.From), math.Abs(than.To-than.From)
	if math.Abs(dm-dt) > tiny*math.Max(dm, dt) {
		return dm < dt
	}
	return m.Utilities.PartnerEU > than.Utilities.PartnerEU+tiny
}
