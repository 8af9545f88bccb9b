package eum

import (
	"context"
	"math"
	"sync"

	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
)

// scholzState plays the scholz variant: the expected-utility model exactly
// as Scholz's own code computes it, as replicated by
// jmckib/bdm-scholz-expected-utility-model. Its departures from the printed
// equations are listed in docs/models/eum.md; in short:
//   - votes use each voter's own risk exponent (eq. 28 has none);
//   - the probability of success divides by the absolute votes summed over
//     every voter and every ordered pair of actors, not over the pair
//     (eq. 31);
//   - risk acceptance compares an actor's danger level with the other
//     actors' danger levels (eq. 34), computed with every r = 1;
//   - capitulation can never happen (the code tests eu_ji < |eu_ji|);
//   - of several compromises the actor takes the one whose weighted point
//     (|E_ij| x_i + |E_ji| x_j)/(|E_ij| + |E_ji|) is lowest.
//
// The code sums every pair's votes voter by voter, O(n³) a round. Parley
// gets the same totals from prefix sums, O(n²) a round: voter k's distance
// to a position x is t_k(x) = (|x_k − x| / R)^{r_k}, increasing in
// |x_k − x| whatever r_k > 0, so between two positions a < b every voter
// below their midpoint votes for a and every voter above it for b (one at
// the midpoint casts 0). With the voters sorted by position and, for each
// distinct position a, the running sums P_a(k) = Σ_{rank < k} c s t(a) over
// them, the votes for a against b are P_b(K) − P_a(K), K the number of
// voters below the midpoint, and those for b the same sums over the voters
// above it. The denominator, Σ_k Σ_a Σ_b |c_k s_k (t_k(x_b) − t_k(x_a))|,
// is the sum over ordered pairs of actors of the votes for either side.
// The sums are equal in exact arithmetic and differ from the code's by
// rounding (TestScholzMatchesOracle; docs/models/eum.md §6 shows how far
// each decision is from being flipped by it).
type scholzState struct {
	ids     []string
	c, s, x []float64
	r       []float64
	span    float64 // position range of the starting positions
	q       float64
	workers int
	ctx     context.Context // checked between rows (see input.ctx)
	w       []float64       // c_k s_k, fixed

	// The round's positions sorted and grouped.
	ranked
	// linear is set in the risk phase, where every r = 1.
	linear bool
	// prefix holds, row by row for each distinct position u, the running
	// sums P_u(k) over the voters in rank order, k = 0..n.
	prefix    []float64
	rowTotal  []float64   // P_u(n), the last entry of each row of the prefix table
	maxSal    []float64   // the largest salience among the actors at each distinct position
	rowSum    []float64   // each distinct position's share of the denominator
	rowDanger []utilities // each distinct position's sums for the danger levels
	total     float64     // the round's denominator
	danger    []float64
	offer     []offer
	// Scratch for the rows of a round: one set for a single worker (a
	// sweep runs millions of rounds on one), a pool for more.
	scratch rowScratch
	pool    sync.Pool
	pySet   pySet
	// margins, when set, records how close the round's decisions come to
	// being flipped by rounding (a test's measurement).
	margins *scholzMargins
}

// offer is the move an actor chooses in a round: to position to, with
// partner, of the given kind ("" for none).
type offer struct {
	kind            string
	partner         int
	to, eu, otherEU float64
}

// rows calls f(st, sc, u) for every distinct position u (forRows).
func (st *scholzState) rows(f func(*scholzState, *rowScratch, int)) {
	forRows(st.ctx, st, len(st.vals), len(st.x), st.workers, &st.scratch, &st.pool, f)
}

// votesFor returns the code's votes for vals[u] and for vals[v], given
// the voters' split at their midpoint (ranked.mids): in the risk phase
// linear (every r = 1: eq. 28 without its factor 2, over R), otherwise with
// each voter's own exponent, from the prefix table: P_hi(K) − P_lo(K) for
// the lower position over the K voters below the midpoint, and the same
// sums over the voters above it for the higher one. Each is a sum of
// positive terms, so it is clamped at 0 against rounding.
func (st *scholzState) votesFor(u, v, below, above int) (forU, forV float64) {
	if st.linear {
		forU, forV = st.linearTally(u, v, below, above)
		return forU / st.span, forV / st.span
	}
	lo, hi := split(u, v)
	pLo, pHi := st.prefixRow(lo), st.prefixRow(hi)
	forLo := max(pHi[below]-pLo[below], 0)
	forHi := max((st.rowTotal[lo]-pLo[above])-(st.rowTotal[hi]-pHi[above]), 0)
	if u == lo {
		return forLo, forHi
	}
	return forHi, forLo
}

// prefixRow is distinct position u's row of the prefix table.
func (st *scholzState) prefixRow(u int) []float64 {
	n := len(st.x)
	return st.prefix[u*(n+1) : (u+1)*(n+1)]
}

// fillPrefix fills the prefix table with each voter's own exponent.
func (st *scholzState) fillPrefix() {
	n, m := len(st.x), len(st.vals)
	st.prefix, st.rowTotal = numeric.Resize(st.prefix, m*(n+1)), numeric.Resize(st.rowTotal, m)
	st.rows((*scholzState).prefixOf)
}

// prefixOf fills row u of the prefix table: the running sums, over the
// voters in rank order, of c_k s_k (|x_k − vals[u]| / R)^{r_k}. Voters at
// one position share the logarithm of their distance.
func (st *scholzState) prefixOf(_ *rowScratch, u int) {
	row, order := st.prefixRow(u), st.order
	var acc float64
	row[0] = 0
	for g, v := range st.vals {
		d := math.Abs(v-st.vals[u]) / st.span
		ld := math.NaN() // log d, computed when a voter needs it
		for k := st.start[g]; k < st.start[g+1]; k++ {
			j := order[k]
			t := d
			if rk := st.r[j]; rk != 1 && d != 0 { // 0^r = 0 for r > 0
				if math.IsNaN(ld) {
					ld = math.Log(d)
				}
				t = powFrom(d, ld, rk)
			}
			acc += st.w[j] * t
			row[k+1] = acc
		}
	}
	st.rowTotal[u] = acc
}

// denominator is the code's Σ_k Σ_a Σ_b |c_k s_k (t_k(x_b) − t_k(x_a))|
// over every voter and every ordered pair of actors, with each voter's own
// exponent (sumRows).
func (st *scholzState) denominator() float64 {
	st.rowSum = numeric.Resize(st.rowSum, len(st.vals))
	st.rows((*scholzState).rowSumOf)
	return st.sumRows()
}

// rowSumOf is distinct position u's share of the denominator with each
// voter's own exponent, from row u of the prefix table alone: the votes on
// a pair u < v total (P_v(K) − P_u(K)) + ((P_u(n) − P_u(K′)) − (P_v(n) −
// P_v(K′))), K and K′ the voters below and not above the midpoint, of
// which row u holds P_u(n) − P_u(K) − P_u(K′), and the opposite for v < u.
// Summed over v (weighted by the actors at v) this reads one row, where
// the pairs' votes would read every other row at random.
func (st *scholzState) rowSumOf(sc *rowScratch, u int) {
	st.mids(u, sc.below, sc.above)
	row, total := st.prefixRow(u), st.rowTotal[u]
	var s float64
	for v := range st.vals {
		part := total - row[sc.below[v]] - row[sc.above[v]]
		switch {
		case v > u:
			s += float64(st.count(v)) * part
		case v < u:
			s -= float64(st.count(v)) * part
		}
	}
	st.rowSum[u] = s
}

// eu is E^p(U_ab): the expected utility to challenger a of challenging
// target b, as the actor with risk exponent rp perceives it, with
// probability of success prob (eqs. 15, 16, 24 and 25a, with the code's
// Q/T term): the same arithmetic as a round's offers.
func (st *scholzState) eu(a, b int, rp, prob float64) float64 {
	h := 0.5 * math.Abs(st.x[a]-st.x[b]) / st.span
	u := successFailure(h, math.Log(0.5-h), math.Log(0.5+h), rp)
	return st.euFrom(b, prob, u.success, u.failure, statusQuoUtility(rp))
}

// successFailure returns the utilities of success and failure, eqs. 15–16,
// 2 − 4(0.5 ∓ h)^r at h = |x_i − x_j|/2R, given the logarithms ls and lf of
// the bases (shared by every exponent).
func successFailure(h, ls, lf, r float64) utilities {
	return utilities{
		success: 2 - 4*powFrom(0.5-h, ls, r), // eq. 15
		failure: 2 - 4*powFrom(0.5+h, lf, r), // eq. 16
	}
}

// statusQuoUtility is the utility of the status quo for risk exponent rp
// (eq. 24).
func statusQuoUtility(rp float64) float64 { return 2 - 4*pow(0.5, rp) }

// euFrom combines the utilities into E(U_ab) for target b (eq. 25a; the
// code drops eq. 7's (1 − Q)(T U_b + (1 − T) U_w)): the target resists with
// probability s_b.
func (st *scholzState) euFrom(b int, prob, uSuccess, uFailure, uStatusQuo float64) float64 {
	resist := st.s[b] * (prob*uSuccess + (1-prob)*uFailure)
	notResist := (1 - st.s[b]) * uSuccess
	return resist + notResist - st.q*uStatusQuo
}

// pow is math.Pow with the exponent-1 case (every actor in the risk
// update) answered directly; math.Pow(x, 1) is x, so results are
// bit-identical.
func pow(x, y float64) float64 {
	if y == 1 {
		return x
	}
	return math.Pow(x, y)
}

// updateRisk sets every actor's risk exponent from its danger level
// relative to the others' (eqs. 34 and 33), all computed with r = 1.
func (st *scholzState) updateRisk() {
	n, m := len(st.x), len(st.vals)
	for i := range st.r {
		st.r[i] = 1
	}
	st.linear = true
	st.rowSum, st.rowDanger = numeric.Resize(st.rowSum, m), numeric.Resize(st.rowDanger, m)
	st.rows((*scholzState).riskRow)
	st.total = st.sumRows()
	st.danger = numeric.Resize(st.danger, n)
	for i := range st.x {
		// E(U_ji) is linear in the probability of success.
		dr := st.rowDanger[st.at[i]]
		st.danger[i] = st.s[i]*dr.failure + (1-st.s[i])*dr.success + st.s[i]*dr.change/st.total
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, d := range st.danger {
		lo, hi = math.Min(lo, d), math.Max(hi, d)
	}
	st.margins.noteRisk(lo, hi)
	for i, d := range st.danger {
		ra := 0.0 // equal danger everywhere: risk neutral (the code divides by zero)
		if hi > lo {
			ra = (2*d - hi - lo) / (hi - lo)
		}
		st.r[i] = (1 - ra/3) / (1 + ra/3)
	}
}

// riskRow is distinct position u's part of the risk phase (every r = 1):
// its share of the denominator, and the sums that give the danger level
// of each actor i at u, Σ_j E(U_ji), the expected utilities of every
// other actor j's challenge to i (eq. 34's sums). With r = 1,
// E(U_ji) = s_i (P U_s + (1 − P) U_f) + (1 − s_i) U_s with
// U_s = 2 − 4(0.5 − d), U_f = 2 − 4(0.5 + d) at d = |x_i − x_j|/2R
// (eqs. 15–16, 24 gives U_sq = 0) and P = P(x_j beats x_i) = (votes for
// x_j)/denominator, so the sums over j of U_f, of U_s and of the votes
// times (U_s − U_f) give it once the denominator is known. Actors at i's
// position add 0: with d = 0 every utility is 0.
func (st *scholzState) riskRow(sc *rowScratch, u int) {
	st.mids(u, sc.below, sc.above)
	var share float64
	var sums utilities // Σ c_v U_f, Σ c_v U_s, Σ c_v (votes for v)(U_s − U_f)
	for v, xv := range st.vals {
		if v == u {
			continue
		}
		forU, forV := st.votesFor(u, v, sc.below[v], sc.above[v])
		if v > u {
			share += float64(st.count(v)) * (forU + forV)
		}
		d := 0.5 * math.Abs(xv-st.vals[u]) / st.span // as eu, with r = 1
		uS, uF := 2-4*(0.5-d), 2-4*(0.5+d)
		c := float64(st.count(v))
		sums.failure += c * uF
		sums.success += c * uS
		sums.change += c * forV * (uS - uF)
	}
	st.rowSum[u], st.rowDanger[u] = share, sums
}

// sumRows is the denominator from the rows' shares: twice the sum over
// the pairs of distinct positions u < v, weighted by the actors at each,
// of the votes for either side (the code's Σ_k Σ_a Σ_b over every voter
// and every ordered pair of actors).
func (st *scholzState) sumRows() float64 {
	var total float64
	for u, s := range st.rowSum {
		total += float64(st.count(u)) * s
	}
	return 2 * total
}

// probabilities fills, for distinct positions u and v, pFor[v] = P(x_u
// beats x_v) and pAgainst[v] = P(x_v beats x_u): the code's votes over its
// global denominator, given the voters' split from mids.
func (st *scholzState) probabilities(sc *rowScratch, u, v int) {
	forU, forV := st.votesFor(u, v, sc.below[v], sc.above[v])
	sc.pFor[v], sc.pAgainst[v] = forU/st.total, forV/st.total
}

// prepareOffers fills the prefix table and the denominator with the
// actors' risk exponents: what the offers and pairProbability read.
func (st *scholzState) prepareOffers() {
	st.maxSal = numeric.Resize(st.maxSal, len(st.vals))
	for u := range st.vals {
		st.maxSal[u] = 0
		for _, i := range st.actorsAt(u) {
			st.maxSal[u] = max(st.maxSal[u], st.s[i])
		}
	}
	st.linear = false
	st.fillPrefix()
	st.total = st.denominator()
}

// pairProbability is the code's probability that x_i beats x_j, once
// prepareOffers has run: 0 for a shared position, otherwise the votes for
// x_i over the global denominator.
func (st *scholzState) pairProbability(i, j int) float64 {
	u, v := st.at[i], st.at[j]
	if u == v {
		return 0
	}
	below, above := st.pairSplit(split(u, v))
	forU, _ := st.votesFor(u, v, below, above)
	return forU / st.total
}

// offers returns each actor's chosen move (kind "" for none), in a buffer
// reused from round to round.
func (st *scholzState) offers() []offer {
	st.prepareOffers()
	st.offer = numeric.Resize(st.offer, len(st.x))
	st.rows((*scholzState).offersAt)
	return st.offer
}

// offersAt sets the chosen move of every actor i at distinct position u.
// Each actor weighs its partners' positions from the nearest outwards:
// once it has found a confrontation it loses, farther partners cannot
// change its choice (a confrontation beats any compromise, and the
// nearest wins), so it stops there. The positions' probabilities and
// logarithms are prepared once for all the actors at u, as far out as the
// farthest of them looked.
func (st *scholzState) offersAt(sc *rowScratch, u int) {
	m := len(st.vals)
	st.mids(u, sc.below, sc.above)
	sc.from, sc.to = u, u // the positions prepared: from .. to but u
	for _, i := range st.actorsAt(u) {
		uSQ := statusQuoUtility(st.r[i])
		var c choice
		lo, hi := u-1, u+1
		for lo >= 0 || hi < m {
			dLo, dHi := st.gap(u, lo), st.gap(u, hi)
			if dLo <= dHi {
				st.weigh(sc, u, lo, i, uSQ, &c)
				lo--
			}
			if dHi <= dLo {
				st.weigh(sc, u, hi, i, uSQ, &c)
				hi++
			}
			if c.conf.kind != "" && st.margins == nil {
				break
			}
		}
		st.offer[i] = c.best()
		if st.margins != nil {
			st.margins.noteOffers(st, sc, u, i, uSQ)
		}
	}
}

// weigh adds to c actor i's offers from the actors at distinct position v
// (i is at u). E(U_ij) and E(U_ji), as i perceives them, are eq. 25a from
// each side, both with i's own exponent r_i (difference 5 of
// docs/models/eum.md): they share i's utilities of success and failure
// (eqs. 15–16) at the distance |x_i − x_j|, and differ in the target's
// salience and in the probability of success.
func (st *scholzState) weigh(sc *rowScratch, u, v, i int, uSQ float64, c *choice) {
	h := 0.5 * math.Abs(st.vals[v]-st.vals[u]) / st.span // as eu
	if v < sc.from || v > sc.to {
		// The first actor at u to look at v: the probabilities, for all
		// at u (and the logarithms below, when an actor needs them).
		st.probabilities(sc, u, v)
		sc.logS[v] = math.NaN()
		sc.from, sc.to = min(sc.from, v), max(sc.to, v)
	}
	// Every offer needs E(U_ji) > E(U_ij), and E(U_ji) − E(U_ij) =
	// (s_j (1 − P_ij) − s_i (1 − P_ji)) (U_s − U_f) with U_s − U_f ≥ 2h
	// whatever the exponent in [0.5, 2] (eqs. 25a, 15–16). When that is
	// negative for every actor at v by more than rounding could reverse,
	// no offer comes from v and its powers are not needed. (The margins'
	// measurement wants every pair.)
	if st.margins == nil && (st.s[i]*(1-sc.pAgainst[v])-st.maxSal[v]*(1-sc.pFor[v]))*2*h > 1e-12 {
		return
	}
	if math.IsNaN(sc.logS[v]) {
		sc.logS[v], sc.logF[v] = math.Log(0.5-h), math.Log(0.5+h)
	}
	ut := &sc.own[v]
	*ut = successFailure(h, sc.logS[v], sc.logF[v], st.r[i])
	// E(U_ji): j challenges i, which resists with probability s_i and
	// loses with probability P(x_j beats x_i).
	eji := st.euFrom(i, sc.pAgainst[v], ut.success, ut.failure, uSQ)
	sc.euJI[v] = eji
	for _, j := range st.actorsAt(v) {
		// E(U_ij): i challenges j, which resists with probability s_j.
		eij := st.euFrom(j, sc.pFor[v], ut.success, ut.failure, uSQ)
		c.consider(st.x, i, j, eij, eji)
	}
}

// powFrom is x^r for x ≥ 0 given lx = log x, as exp(r·log x): each base
// is raised to many actors' exponents, so its logarithm is taken once.
// x¹ is x exactly, as in math.Pow.
func powFrom(x, lx, r float64) float64 {
	if r == 1 {
		return x
	}
	return math.Exp(r * lx)
}

// choice is the best of an actor's offers so far, as Scholz's code
// chooses: a confrontation it loses if there is any, the one nearest its
// position; otherwise the compromise whose weighted point
// (|E_ij| x_i + |E_ji| x_j)/(|E_ij| + |E_ji|) is lowest. The code takes the
// first partner in actor order on a tie, with strict comparisons; choice
// compares (key, partner) pairs instead, which gives the same offer in any
// order of partners.
type choice struct {
	conf, comp       offer
	confKey, compKey float64
}

// consider weighs actor i's offer from partner j, given a = E(U_ij) and
// b = E(U_ji) as i perceives them.
func (c *choice) consider(x []float64, i, j int, eij, eji float64) {
	kind, to, key := classify(x, i, j, eij, eji)
	o := offer{kind: kind, partner: j, to: to, eu: eij, otherEU: eji}
	switch kind {
	case Confrontation:
		if c.conf.kind == "" || key < c.confKey || key == c.confKey && j < c.conf.partner {
			c.conf, c.confKey = o, key
		}
	case Compromise:
		if c.comp.kind == "" || key < c.compKey || key == c.compKey && j < c.comp.partner {
			c.comp, c.compKey = o, key
		}
	}
}

// classify is the code's octant test for actor i and partner j, given
// a = E(U_ij) and b = E(U_ji): the kind of offer ("" for none), where i
// would move, and the key by which i ranks offers of that kind.
func classify(x []float64, i, j int, eij, eji float64) (kind string, to, key float64) {
	switch {
	case eji > eij && eij > 0: // i loses a confrontation: it moves to x_j
		return Confrontation, x[j], math.Abs(x[i] - x[j])
	case eji > 0 && 0 > eij && eji > math.Abs(eij): // compromise, eq. 36
		to = x[i] + (x[j]-x[i])*math.Abs(eij/eji)
		key = (math.Abs(eij)*x[i] + math.Abs(eji)*x[j]) / (math.Abs(eij) + math.Abs(eji))
		return Compromise, to, key
	}
	// The code's capitulation test, eji > 0 > eij && eji < |eji|, is
	// never true.
	return "", 0, 0
}

// best is the chosen offer (kind "" for none).
func (c *choice) best() offer {
	if c.conf.kind != "" {
		return c.conf
	}
	return c.comp
}

// median is the code's median: the distinct positions in CPython set order,
// keeping a position when it wins the vote against the current one with
// every r = 1 (Scholz et al. 2011 eq. 28 as the code evaluates it).
func (st *scholzState) median() float64 {
	order := st.pySet.order(st.x)
	m := order[0]
	for _, p := range order[1:] {
		var votes float64
		for k := range st.x {
			votes += st.c[k] * st.s[k] * (math.Abs(st.x[k]-m)/st.span - math.Abs(st.x[k]-p)/st.span)
		}
		st.margins.noteMedian(st, m, p, votes)
		if votes > 0 {
			m = p
		}
	}
	return m
}

// mean is Σ c s x / Σ c s, summed in actor order.
func (st *scholzState) mean() float64 { return numeric.WeightedMean(st.x, st.w) }

// step plays one round: risk exponents, then every actor's best offer,
// applied simultaneously. It returns the moves made when record is set
// (otherwise nil): a sweep needs only the positions.
func (st *scholzState) step(record bool) []result.Move {
	st.ranked.reset(st.x, st.w)
	st.updateRisk()
	return st.apply(st.offers(), record)
}

// apply moves every actor to the position of its chosen offer at once
// and returns the moves when record is set.
func (st *scholzState) apply(chosen []offer, record bool) []result.Move {
	var out []result.Move
	for i, m := range chosen {
		if m.kind == "" {
			continue
		}
		if record {
			out = append(out, result.Move{Actor: st.ids[i], Partner: st.ids[m.partner], Kind: m.kind, From: st.x[i], To: m.to,
				Utilities: &result.Utilities{EU: m.eu, PartnerEU: m.otherEU}})
		}
		st.x[i] = m.to
	}
	return out
}
