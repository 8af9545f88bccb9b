package eum

import (
	"math"
	"sort"

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
	q, t    float64
	workers int

	// Sorted positions, the actor at each rank, and prefix sums of w and
	// w·x, rebuilt each round.
	xs, cw, cwx []float64
	order       []int
	mu          float64
}

func newPaper(in input, st []scenario.Stakeholder) *paperState {
	n := len(in.x)
	ps := &paperState{
		ids: in.ids, c: in.c, s: in.s, x: append([]float64(nil), in.x...),
		w: make([]float64, n), fixed: make([]float64, n), r: make([]float64, n),
		span: spread(in.x), q: in.q, t: in.t, workers: in.workers,
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
	n := len(ps.x)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return ps.x[idx[a]] < ps.x[idx[b]] })
	ps.order = idx
	ps.xs = make([]float64, n)
	ps.cw = make([]float64, n+1)
	ps.cwx = make([]float64, n+1)
	for k, i := range idx {
		ps.xs[k] = ps.x[i]
		ps.cw[k+1] = ps.cw[k] + ps.w[i]
		ps.cwx[k+1] = ps.cwx[k] + ps.w[i]*ps.x[i]
	}
	ps.mu = ps.median()
}

// pWin is eq. 31: the share of the absolute votes between x_a and x_b
// that favour x_a, where voter k casts c_k s_k (|x_k − x_b| − |x_k − x_a|).
// Voters nearer x_a than the midpoint vote for a; those at the midpoint
// abstain. It returns 0.5 when nobody votes.
func (ps *paperState) pWin(xa, xb float64) float64 {
	if xa == xb {
		return 0.5
	}
	lo, hi := math.Min(xa, xb), math.Max(xa, xb)
	d, m, sum := hi-lo, (lo+hi)/2, lo+hi
	n := len(ps.xs)
	iLo := sort.Search(n, func(k int) bool { return ps.xs[k] > lo })  // x_k ≤ lo: [0, iLo)
	iM := sort.Search(n, func(k int) bool { return ps.xs[k] >= m })   // lo < x_k < m: [iLo, iM)
	iM2 := sort.Search(n, func(k int) bool { return ps.xs[k] > m })   // m < x_k < hi: [iM2, iHi)
	iHi := sort.Search(n, func(k int) bool { return ps.xs[k] >= hi }) // x_k ≥ hi: [iHi, n)
	if iM < iLo {
		iM = iLo
	}
	if iM2 > iHi {
		iM2 = iHi
	}
	w := func(a, b int) float64 { return ps.cw[b] - ps.cw[a] }
	wx := func(a, b int) float64 { return ps.cwx[b] - ps.cwx[a] }
	forLo := d*w(0, iLo) + sum*w(iLo, iM) - 2*wx(iLo, iM)
	forHi := d*w(iHi, n) + 2*wx(iM2, iHi) - sum*w(iM2, iHi)
	forLo, forHi = math.Max(forLo, 0), math.Max(forHi, 0)
	total := forLo + forHi
	if total <= 0 {
		return 0.5
	}
	p := forLo / total
	if xa == hi {
		p = forHi / total
	}
	return p
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
	uSQ := 2 - 4*math.Exp2(-ri)       // eq. 24: 2 − 4·0.5^r
	e := ps.s[j]*(p*uS+(1-p)*uF) + (1-ps.s[j])*uS - ps.q*uSQ
	if ps.q < 1 {
		dim := math.Abs(ps.x[i]-ps.mu) / ps.span
		uB := 2 - 4*pow0(0.5-0.25*(dim+dij), ri) // eq. 22
		uW := 2 - 4*pow0(0.5+0.25*(dim+dij), ri) // eq. 23
		t := ps.t
		if t < 0 { // Figs. 1–4: things get better when μ is nearer i than j is
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
// x_i < x_j, where p = P(x_i beats x_j) of eq. 31. Rows run in parallel;
// f may write only to cells (i, j) and (j, i) of its outputs.
//
// For a fixed lower position the pairs are taken in increasing order of
// the higher one, so the midpoint only moves right and the indices that
// bound the voters (eq. 31) advance without searching: O(n) per row and
// O(n²) per sweep after the O(n log n) sort.
func (ps *paperState) sweepPairs(f func(i, j int, p float64)) {
	n := len(ps.xs)
	xs, cw, cwx := ps.xs, ps.cw, ps.cwx
	parallelFor(n, ps.workers, func(a int) {
		lo := xs[a]
		iLo := a + 1 // voters at or below lo: [0, iLo)
		for iLo < n && xs[iLo] == lo {
			iLo++
		}
		iM, iM2, iHi := iLo, iLo, iLo
		for b := iLo; b < n; b++ {
			hi := xs[b]
			for iHi < n && xs[iHi] < hi { // voters at or above hi: [iHi, n)
				iHi++
			}
			d, sum := hi-lo, lo+hi
			m := sum / 2
			for iM < n && xs[iM] < m { // lo < x_k < m: [iLo, iM)
				iM++
			}
			if iM2 < iM {
				iM2 = iM
			}
			for iM2 < n && xs[iM2] <= m { // m < x_k < hi: [iM2, iHi)
				iM2++
			}
			m2 := min(iM2, iHi)
			forLo := d*cw[iLo] + sum*(cw[iM]-cw[iLo]) - 2*(cwx[iM]-cwx[iLo])
			forHi := d*(cw[n]-cw[iHi]) + 2*(cwx[iHi]-cwx[m2]) - sum*(cw[iHi]-cw[m2])
			forLo, forHi = math.Max(forLo, 0), math.Max(forHi, 0)
			p := 0.5
			if total := forLo + forHi; total > 0 {
				p = forLo / total
			}
			f(ps.order[a], ps.order[b], p)
		}
	})
}

// matrix returns an n×n matrix of zeros.
func matrix(n int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
	}
	return m
}

// updateRisk sets r_i from eqs. 34 and 33, with every E computed at r = 1.
func (ps *paperState) updateRisk() {
	n := len(ps.x)
	// e[i][j] = E^i(U_ji) at r = 1: j's expected utility of challenging i.
	e := matrix(n)
	ps.sweepPairs(func(i, j int, p float64) {
		e[i][j] = ps.eu(j, i, 1, 1-p)
		e[j][i] = ps.eu(i, j, 1, p)
	})
	if ps.q < 1 { // actors at the same position still fear each other's Q terms
		for i := range n {
			for j := range n {
				if i != j && ps.x[i] == ps.x[j] {
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
	}
}

// tiny is the tolerance below which expected utilities and their
// differences count as zero, so that rounding noise (for example between
// two actors with identical data) never triggers a move.
const tiny = 1e-12

var kindRank = map[string]int{Confrontation: 0, Compromise: 1, Capitulation: 2}

func (ps *paperState) round() []result.Move {
	n := len(ps.x)
	ps.prepare()
	ps.updateRisk()
	a := matrix(n) // a[i][j] = E^i(U_ij)
	ps.sweepPairs(func(i, j int, p float64) {
		a[i][j], a[j][i] = ps.euPair(i, j, p)
	})
	chosen := make([]*result.Move, n)
	parallelFor(n, ps.workers, func(i int) {
		var best *result.Move
		for j := range n {
			if ps.x[i] == ps.x[j] {
				continue
			}
			aij, bji := a[i][j], a[j][i]
			m := result.Move{Actor: ps.ids[i], Partner: ps.ids[j], From: ps.x[i], EU: aij, PartnerEU: bji}
			switch {
			case aij > tiny && bji > aij+tiny:
				m.Kind, m.To = Confrontation, ps.x[j]
			case aij < -tiny && bji > tiny && -aij < bji-tiny:
				m.Kind, m.To = Compromise, ps.x[i]+(ps.x[j]-ps.x[i])*math.Abs(aij/bji) // eq. 36
			case aij < -tiny && bji > tiny && -aij > bji+tiny:
				m.Kind, m.To = Capitulation, ps.x[j]
			default:
				continue
			}
			if best == nil || better(m, *best) {
				mm := m
				best = &mm
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
	if kindRank[m.Kind] != kindRank[than.Kind] {
		return kindRank[m.Kind] < kindRank[than.Kind]
	}
	dm, dt := math.Abs(m.To-m.From), math.Abs(than.To-than.From)
	if math.Abs(dm-dt) > tiny*math.Max(dm, dt) {
		return dm < dt
	}
	return m.PartnerEU > than.PartnerEU+tiny
}
