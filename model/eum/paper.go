package eum

import (
	"context"
	"math"
	"slices"
	"sync"

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
// positions and prefix sums give in O(1) per pair. The round works row by
// row over the distinct positions (ranked): for the actors at one position
// it computes every partner's probabilities and utilities on the fly, in
// buffers of O(n) per worker, so a round costs O(n²) time with no n × n
// matrix. The utilities of eqs. 15–16 (two powers) are computed once per
// actor and distinct partner position for the actor's side, and once per
// partner and row for the partner's side; eq. 24 once per actor.
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

	// The round's positions sorted and grouped, with the linear votes of
	// eq. 31.
	ranked
	mu     float64
	uSQ    []float64 // eq. 24 for each actor's r
	danger []float64
	chosen []result.Move // each actor's move, Kind "" for none
	// Scratch for the rows (forRows).
	scratch rowScratch
	pool    sync.Pool
}

func newPaper(in input, st []scenario.Stakeholder) *paperState {
	n := len(in.x)
	ps := &paperState{
		ids: in.ids, c: in.c, s: in.s, x: append([]float64(nil), in.x...),
		w: make([]float64, n), fixed: make([]float64, n), r: make([]float64, n),
		uSQ:  make([]float64, n),
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

// prepare sorts and groups the positions, with the prefix sums for
// eq. 31, and finds μ.
func (ps *paperState) prepare() {
	ps.ranked.reset(ps.x, ps.w)
	ps.mu = ps.median()
}

// rows calls f(ps, sc, u) for every distinct position u (forRows).
func (ps *paperState) rows(f func(*paperState, *rowScratch, int)) {
	forRows(ps.ctx, ps, len(ps.vals), len(ps.x), ps.workers, &ps.scratch, &ps.pool, f)
}

// pWin is eq. 31: the share of the absolute votes between x_a and x_b
// that favour x_a. It returns 0.5 when nobody votes.
func (ps *paperState) pWin(xa, xb float64) float64 {
	forA, forB := ps.Votes(xa, xb)
	if forA+forB <= 0 {
		return 0.5
	}
	return forA / (forA + forB)
}

// probabilities fills, for distinct position u, pFor[v] = P(x_u beats
// x_v) and pAgainst[v] = P(x_v beats x_u) (eq. 31) for every other
// distinct position v. The share is taken for the lower position, ½ when
// nobody votes, and the higher one's is 1 minus it, so the two sum to 1
// and each pair's numbers are the same from either row.
func (ps *paperState) probabilities(sc *rowScratch, u int) {
	ps.mids(u, sc.below, sc.above)
	for v := range ps.vals {
		if v == u {
			continue
		}
		forU, forV := ps.linearTally(u, v, sc.below[v], sc.above[v])
		forLo, forHi := forU, forV
		if v < u {
			forLo, forHi = forV, forU
		}
		p := 0.5 // P(lower beats higher)
		if total := forLo + forHi; total > 0 {
			p = forLo / total
		}
		if u < v {
			sc.pFor[v], sc.pAgainst[v] = p, 1-p
		} else {
			sc.pFor[v], sc.pAgainst[v] = 1-p, p
		}
	}
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

// utilitiesAt returns actor i's utilities, with exponent ri, of a
// challenge to an actor at xj: eqs. 15–16 and, when Q < 1, the change of
// the status quo of eqs. 22–23 and 7. With Q = 1 the powers come from the
// logarithms ls, lf of the bases 0.5 ∓ d/2, d = |x_i − x_j|/R, shared by
// every actor at either position whatever its exponent.
func (ps *paperState) utilitiesAt(i int, ri, xj, ls, lf float64) utilities {
	if ps.q == 1 {
		return utilities{
			success: 2 - 4*math.Exp(ri*ls), // eq. 15
			failure: 2 - 4*math.Exp(ri*lf), // eq. 16
		}
	}
	dij := math.Abs(ps.x[i]-xj) / ps.span
	u := utilities{
		success: 2 - 4*pow0(0.5-0.5*dij, ri), // eq. 15
		failure: 2 - 4*pow0(0.5+0.5*dij, ri), // eq. 16
	}
	dim := math.Abs(ps.x[i]-ps.mu) / ps.span
	uB := 2 - 4*pow0(0.5-0.25*(dim+dij), ri) // eq. 22
	uW := 2 - 4*pow0(0.5+0.25*(dim+dij), ri) // eq. 23
	t := ps.t
	if math.IsNaN(t) { // unset: Figs. 1–4: things get better when μ is nearer i than j is
		t = 0
		if math.Abs(ps.x[i]-ps.mu) < math.Abs(ps.x[i]-xj) {
			t = 1
		}
	}
	u.change = t*uB + (1-t)*uW
	return u
}

// expected is eq. 25a: E(U_ij) from the challenger's utilities u, its
// probability of success p, the target's salience sj (the probability
// that it resists, eq. 6) and the challenger's U_sq (eq. 24).
func (ps *paperState) expected(u utilities, p, sj, uSQ float64) float64 {
	e := sj*(p*u.success+(1-p)*u.failure) + (1-sj)*u.success - ps.q*uSQ
	if ps.q < 1 {
		e -= (1 - ps.q) * u.change // eq. 7
	}
	return e
}

// statusQuo is eq. 24, 2 − 4·0.5^r.
func statusQuo(r float64) float64 { return 2 - 4*math.Exp2(-r) }

// eu is E^i(U_ij) of eq. 25a: the expected utility to i of challenging j,
// with i's risk exponent ri and i's probability of success p.
func (ps *paperState) eu(i, j int, ri, p float64) float64 {
	d := 0.5 * math.Abs(ps.x[i]-ps.x[j]) / ps.span
	ls, lf := math.Log(math.Max(0.5-d, 0)), math.Log(0.5+d)
	return ps.expected(ps.utilitiesAt(i, ri, ps.x[j], ls, lf), p, ps.s[j], statusQuo(ri))
}

// updateRisk sets r_i from eqs. 34 and 33, with every E computed at r = 1.
func (ps *paperState) updateRisk() {
	ps.danger = numeric.Resize(ps.danger, len(ps.x))
	ps.rows((*paperState).dangerAt)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, d := range ps.danger {
		lo, hi = math.Min(lo, d), math.Max(hi, d)
	}
	for i, d := range ps.danger {
		ra := 0.0
		if hi-lo > tiny*(math.Abs(hi)+math.Abs(lo)) {
			ra = (2*d - hi - lo) / (hi - lo) // eq. 34
		}
		ps.r[i] = (1 - ra/3) / (1 + ra/3) // eq. 33
		if !math.IsNaN(ps.fixed[i]) {
			ps.r[i] = ps.fixed[i]
		}
		ps.uSQ[i] = statusQuo(ps.r[i]) // eq. 24
	}
}

// dangerAt sets the danger level of every actor i at distinct position u:
// Σ_{j≠i} E^j(U_ji) with every r = 1, the expected utility to each other
// actor j of challenging i (eq. 34's sum), summed in actor order. An actor
// at i's own position adds 0 when Q = 1 and its status-quo terms when
// Q < 1 (P = ½ there; U_s = U_f).
func (ps *paperState) dangerAt(sc *rowScratch, u int) {
	ps.probabilities(sc, u)
	for _, i := range ps.actorsAt(u) {
		row := sc.eRow
		for v, xv := range ps.vals {
			var e float64 // E^j(U_ji) for each j at v
			switch {
			case v == u && ps.q == 1:
				e = 0
			case v == u:
				e = ps.eu(ps.actorsAt(u)[0], i, 1, 0.5)
			case ps.q == 1:
				// Eq. 25a at r = 1 and Q = 1: U_s = 2d, U_f = −2d,
				// U_sq = 0, so E = 2d (1 − 2 s_i P(x_i beats x_j)).
				d2 := 2 * math.Abs(ps.vals[u]-xv) / ps.span
				e = d2 * (1 - 2*ps.s[i]*sc.pFor[v])
			default:
				e = ps.eu(ps.actorsAt(v)[0], i, 1, sc.pAgainst[v])
			}
			for _, j := range ps.actorsAt(v) {
				row[j] = e
			}
		}
		row[i] = 0
		var d float64
		for _, e := range row {
			d += e
		}
		ps.danger[i] = d
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
	ps.prepare()
	ps.updateRisk()
	ps.chosen = numeric.Resize(ps.chosen, len(ps.x))
	ps.rows((*paperState).offersAt)
	var out []result.Move
	for i, m := range ps.chosen {
		if m.Kind != "" {
			ps.x[i] = m.To
			out = append(out, m)
		}
	}
	return out
}

// offersAt chooses the move of every actor i at distinct position u. For
// each partner j, i weighs a = E^i(U_ij), its own expected utility of
// challenging j (eq. 25a with r_i and s_j), against b = E^j(U_ji), j's of
// challenging i (eq. 25b read with s_i and r_j), and takes the best offer
// by §6.2's order (better), scanning the partners in actor order. A
// confrontation beats every other kind and the smallest move wins among
// confrontations, so the actor looks at its partners' positions from the
// nearest outwards and stops a little past the first confrontation it
// finds (10⁻⁹ of its distance, a thousand times better's tolerance, so
// that every offer that could tie with it by that tolerance is seen); the
// offers it found are then scanned in actor order. The partners'
// probabilities come once per row, their logarithms and utilities once per
// row and partner position, as far out as the actors at u looked.
func (ps *paperState) offersAt(sc *rowScratch, u int) {
	m := len(ps.vals)
	ps.probabilities(sc, u)
	sc.from, sc.to = u, u // the positions prepared: from .. to but u
	for _, i := range ps.actorsAt(u) {
		sc.cands = sc.cands[:0]
		reach := math.Inf(1)
		for lo, hi := u-1, u+1; lo >= 0 || hi < m; {
			dLo, dHi := ps.gap(u, lo), ps.gap(u, hi)
			if min(dLo, dHi) > reach {
				break
			}
			if dLo <= dHi {
				ps.weigh(sc, u, lo, i, &reach)
				lo--
			}
			if dHi <= dLo {
				ps.weigh(sc, u, hi, i, &reach)
				hi++
			}
		}
		slices.SortFunc(sc.cands, func(a, b candidate) int { return a.partner - b.partner })
		var best candidate
		for _, c := range sc.cands {
			if best.kind != "" && kindRank(c.kind) > kindRank(best.kind) {
				continue
			}
			if best.kind == "" || better(c, best) {
				best = c
			}
		}
		ps.chosen[i] = result.Move{}
		if best.kind != "" {
			ps.chosen[i] = result.Move{Actor: ps.ids[i], Partner: ps.ids[best.partner], Kind: best.kind, From: ps.x[i], To: best.to,
				Utilities: &result.Utilities{EU: best.eu, PartnerEU: best.partnerEU}}
		}
	}
}

// weigh adds to sc.cands actor i's offers from the actors at distinct
// position v (i is at u), and sets reach past the distance of the first
// confrontation.
func (ps *paperState) weigh(sc *rowScratch, u, v, i int, reach *float64) {
	xv := ps.vals[v]
	if v < sc.from || v > sc.to {
		// The first actor at u to look at v: the logarithms of the bases
		// of eqs. 15–16, and each partner at v's utilities of a challenge
		// to u, for all at u.
		if ps.q == 1 {
			d := 0.5 * math.Abs(ps.vals[u]-xv) / ps.span
			sc.logS[v], sc.logF[v] = math.Log(math.Max(0.5-d, 0)), math.Log(0.5+d)
		}
		for k := ps.start[v]; k < ps.start[v+1]; k++ {
			j := ps.order[k]
			sc.partner[k] = ps.utilitiesAt(j, ps.r[j], ps.vals[u], sc.logS[v], sc.logF[v])
		}
		sc.from, sc.to = min(sc.from, v), max(sc.to, v)
	}
	own := ps.utilitiesAt(i, ps.r[i], xv, sc.logS[v], sc.logF[v])
	for k := ps.start[v]; k < ps.start[v+1]; k++ {
		j := ps.order[k]
		aij := ps.expected(own, sc.pFor[v], ps.s[j], ps.uSQ[i])
		bji := ps.expected(sc.partner[k], sc.pAgainst[v], ps.s[i], ps.uSQ[j])
		kind, to := offerKind(ps.x[i], xv, aij, bji)
		if kind == "" {
			continue
		}
		sc.cands = append(sc.cands, candidate{kind: kind, partner: j, move: math.Abs(to - ps.x[i]), to: to, eu: aij, partnerEU: bji})
		if kind == Confrontation && math.IsInf(*reach, 1) {
			*reach = math.Abs(ps.x[i]-xv) * (1 + 1e-9)
		}
	}
}

// candidate is an offer an actor weighs: its kind, the partner, how far
// and where the actor would move, and the two expected utilities.
type candidate struct {
	kind                    string
	partner                 int
	move, to, eu, partnerEU float64
}

// offerKind classifies actor i's offer from partner j by Fig. 6's octants
// (i's view), given a = E^i(U_ij) and b = E^j(U_ji): the kind ("" for
// none) and where i would move.
func offerKind(xi, xj, aij, bji float64) (kind string, to float64) {
	switch {
	case aij > tiny && bji > aij+tiny:
		return Confrontation, xj
	case aij < -tiny && bji > tiny && -aij < bji-tiny:
		return Compromise, xi + (xj-xi)*math.Abs(aij/bji) // eq. 36
	case aij < -tiny && bji > tiny && -aij > bji+tiny:
		return Capitulation, xj
	}
	return "", 0
}

// better orders offers: kind first, then the smaller move, then the
// partner with the larger expected utility (§6.2).
func better(m, than candidate) bool {
	if kindRank(m.kind) != kindRank(than.kind) {
		return kindRank(m.kind) < kindRank(than.kind)
	}
	dm, dt := m.move, than.move
	if math.Abs(dm-dt) > tiny*math.Max(dm, dt) {
		return dm < dt
	}
	return m.partnerEU > than.partnerEU+tiny
}
