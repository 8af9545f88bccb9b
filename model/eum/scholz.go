package eum

import (
	"context"
	"math"
	"slices"
	"sort"

	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
)

// scholzRound plays one round of the scholz variant: the expected-utility
// model exactly as Scholz's own code computes it, as replicated by
// jmckib/bdm-scholz-expected-utility-model. Its departures from the printed
// equations are listed in docs/models/eum.md; in short:
//   - votes use each voter's own risk exponent (eq. 3 has none);
//   - the probability of success divides by the absolute votes summed over
//     every voter and every ordered pair of actors, not over the pair (eq. 4);
//   - risk acceptance compares an actor's danger level with the other
//     actors' danger levels (eq. 11), computed with every r = 1;
//   - capitulation can never happen (the code tests eu_ji < |eu_ji|);
//   - of several compromises the actor takes the one whose weighted point
//     (|E_ij| x_i + |E_ji| x_j)/(|E_ij| + |E_ji|) is lowest.
//
// It returns the positions after the round and the moves made.
type scholzState struct {
	ids     []string
	c, s, x []float64
	r       []float64
	span    float64 // position range of the starting positions
	q       float64
	workers int
	ctx     context.Context // checked between rows of each (see input.ctx)
	// Buffers reused from round to round (a sweep runs millions of rounds,
	// and the garbage of fresh matrices made the collector a third of its
	// time): distances, numerators, the denominator's per-voter values.
	tBuf, numBuf, sortBuf square
	w                     []float64 // c_k s_k, fixed
	vals, pv, uBuf        []float64 // distinct positions and their powers
	idx                   []int
	logs                  []float64 // pairLogs
	groups                []group   // denominator's distinct positions
	sortCounts            []int
	perVoter, danger      []float64
	offer                 []offer
	// The round's current matrices, for the loop bodies run by each.
	t, num [][]float64
	total  float64
	votes  linearVotes
	pySet  pySet
}

// offer is the move an actor chooses in a round: to position to, with
// partner, of the given kind ("" for none).
type offer struct {
	kind            string
	partner         int
	to, eu, otherEU float64
}

// square is an n × n matrix whose storage is kept when n changes.
type square struct {
	rows [][]float64
	flat []float64
}

// grow returns b resized to n, reallocated only when its capacity is short.
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// buffer returns m as an n × n matrix, reallocated only when its storage
// is short. Every cell is overwritten by the caller or, with clearIt or
// after a change of size, cleared here.
func buffer(m *square, n int, clearIt bool) [][]float64 {
	if len(m.rows) != n {
		m.flat = grow(m.flat, n*n)
		m.rows = grow(m.rows, n)
		for i := range m.rows {
			m.rows[i] = m.flat[i*n : (i+1)*n : (i+1)*n]
		}
		clearIt = true
	}
	if clearIt {
		clear(m.flat[:n*n])
	}
	return m.rows
}

// distances fills t[a][k] = (|x_k − x_a| / span)^{r_k}, the distance of
// position a as voter k perceives it, with r_k = 1 when riskNeutral.
func (st *scholzState) distances(riskNeutral bool) [][]float64 {
	n := len(st.x)
	st.t = buffer(&st.tBuf, n, false) // every cell is written below
	if riskNeutral {
		st.each(n, (*scholzState).neutralRow)
		return st.t
	}
	// Actors often share positions (a confrontation moves one onto
	// another's), so each voter's powers are computed once per distinct
	// position and copied: the same arguments, the same values.
	vals, _ := st.distinct()
	st.pv = grow(st.pv, n*len(vals))
	st.pairLogs()
	st.each(n, (*scholzState).voterColumn)
	return st.t
}

// pairLogs fills, for every two distinct positions a and b, the
// logarithms of the bases that math.Pow raises to the voters' and actors'
// exponents: of the distance d = |a − b| / span (voterColumn) and of
// 0.5 ∓ d/2 (eu, offerOf). They are symmetric in a and b and the same for
// every actor at a or b, so each is computed once per round instead of
// once per actor, and powLog gives the same bits as math.Pow.
func (st *scholzState) pairLogs() {
	vals := st.vals
	m := len(vals)
	st.logs = grow(st.logs, 3*m*m)
	logD, logS, logF := st.logs[:m*m], st.logs[m*m:2*m*m], st.logs[2*m*m:]
	for a, va := range vals {
		if st.ctx.Err() != nil {
			return // the round is cut short and discarded
		}
		for b := a + 1; b < m; b++ {
			vb := vals[b]
			d := math.Abs(va-vb) / st.span
			h := 0.5 * math.Abs(va-vb) / st.span // as eu computes it
			ld, ls, lf := math.Log(d), math.Log(0.5-h), math.Log(0.5+h)
			logD[a*m+b], logD[b*m+a] = ld, ld
			logS[a*m+b], logS[b*m+a] = ls, ls
			logF[a*m+b], logF[b*m+a] = lf, lf
		}
	}
}

// neutralRow fills row a of the distances with every r = 1.
func (st *scholzState) neutralRow(a int) {
	row := st.t[a]
	for k := range row {
		row[k] = math.Abs(st.x[k]-st.x[a]) / st.span
	}
}

// voterColumn fills column k of the distances, voter k's, from the
// voter's powers of the distinct positions.
func (st *scholzState) voterColumn(k int) {
	m := len(st.vals)
	p := st.pv[k*m : (k+1)*m]
	logD := tableRow(st.logs, st.idx[k], m) // the first table
	for u, v := range st.vals {
		d := math.Abs(st.x[k]-v) / st.span
		if st.r[k] != 1 && d != 0 { // 0^r = 0 for r > 0
			d = powLog(d, logD[u], st.r[k])
		}
		p[u] = d
	}
	for a, row := range st.t {
		row[k] = p[st.idx[a]]
	}
}

// tableRow returns row a of the m × m table t.
func tableRow(t []float64, a, m int) []float64 { return t[a*m : (a+1)*m] }

// each calls f(st, i) for every i < n, spread over st.workers goroutines;
// with one worker it loops here and makes no closure (a sweep runs
// millions of rounds, and their garbage cost it time).
// Once st.ctx has ended the remaining rows are skipped: the round is cut
// short and its result discarded.
func (st *scholzState) each(n int, f func(st *scholzState, i int)) {
	if st.workers == 1 {
		for i := range n {
			if st.ctx.Err() != nil {
				return
			}
			f(st, i)
		}
		return
	}
	numeric.ParallelFor(n, st.workers, func(i int) {
		if st.ctx.Err() == nil {
			f(st, i)
		}
	})
}

// distinct returns the distinct positions in order of first appearance
// and, for each actor, the index of its position among them (in buffers
// reused from round to round).
func (st *scholzState) distinct() (vals []float64, idx []int) {
	vals, idx = st.vals[:0], grow(st.idx, len(st.x))
	for a, v := range st.x {
		k := slices.Index(vals, v)
		if k < 0 {
			k = len(vals)
			vals = append(vals, v)
		}
		idx[a] = k
	}
	st.vals, st.idx = vals, idx
	return vals, idx
}

// weights returns c_k s_k for every voter (set by reset).
func (st *scholzState) weights() []float64 { return st.w }

// numerators returns num[i][j] = Σ_k max(0, c_k s_k (t[j][k] − t[i][k])),
// the votes for x_i against x_j, summed in voter order as the code sums
// them: O(n) per pair, O(n³) in all, parallel over i.
func (st *scholzState) numerators(t [][]float64) [][]float64 {
	n := len(st.x)
	st.t = t
	st.num = buffer(&st.numBuf, n, false) // every off-diagonal cell is written; the diagonal stays 0
	// Each i fills num[i][j] and num[j][i] for j > i: disjoint cells.
	st.each(n, (*scholzState).numeratorRow)
	return st.num
}

// numeratorRow fills num[i][j] and num[j][i] for every j > i.
func (st *scholzState) numeratorRow(i int) {
	n := len(st.x)
	w, t, num := st.w, st.t, st.num
	ti := t[i][:n]
	for j := i + 1; j < n; j++ {
		tj := t[j][:n]
		var pos, neg float64
		for k, wk := range w[:n] {
			// Branch-free max(0, v) and max(0, −v): exact, and summed
			// in voter order as the code sums them.
			v := wk * (tj[k] - ti[k])
			a := math.Abs(v)
			pos += (v + a) * 0.5
			neg += (a - v) * 0.5
		}
		num[i][j], num[j][i] = pos, neg
	}
}

// linearNumerators gives the same numerators when every voter's exponent
// is 1, from sorted positions and prefix sums in O(n²) instead of O(n³).
func (st *scholzState) linearNumerators() [][]float64 {
	n := len(st.x)
	st.num = buffer(&st.numBuf, n, true)
	lv := &st.votes
	lv.reset(st.x, st.weights())
	lv.sweep(st.ctx, st.workers, st)
	return st.num
}

// pair stores the linear votes of a pair (pairSink, for linearNumerators).
func (st *scholzState) pair(i, j int, forLo, forHi float64) {
	st.num[i][j], st.num[j][i] = forLo/st.span, forHi/st.span
}

// denominator is the code's Σ_k Σ_a Σ_b |c_k s_k (t[b][k] − t[a][k])| over
// every voter and every ordered pair of actors. For each voter the double
// sum over pairs of |v_a − v_b| is 2 Σ_m v_(m) (2m − n + 1) over the sorted
// values, so the whole costs O(n² log n).
func (st *scholzState) denominator(t [][]float64) float64 {
	n := len(st.x)
	st.t = t
	st.perVoter = grow(st.perVoter, n)
	buffer(&st.sortBuf, n, false) // rows are overwritten before sorting
	// Column k holds one value per distinct position (t[a][k] depends on
	// a only through x_a), so with few distinct positions each voter
	// sorts those, with their multiplicities, instead of all n values.
	vals, idx := st.distinct()
	st.groups = st.groups[:0]
	if m := len(vals); m < n && m <= maxGrouped {
		st.groups = grow(st.groups, m)
		st.sortCounts = grow(st.sortCounts, n*maxGrouped)
		for u := range st.groups {
			st.groups[u] = group{first: -1}
		}
		for a, u := range idx {
			if st.groups[u].first < 0 {
				st.groups[u].first = a
			}
			st.groups[u].count++
		}
	}
	st.each(n, (*scholzState).voterDenominator)
	var total float64
	for _, s := range st.perVoter {
		total += s
	}
	return total
}

// voterDenominator is voter k's term of the denominator.
func (st *scholzState) voterDenominator(k int) {
	n := len(st.x)
	v := st.sortBuf.rows[k]
	if len(st.groups) > 0 {
		// The column's distinct values sorted by insertion (there are
		// few), then expanded by multiplicity: the same sorted sequence,
		// bit for bit (the values are ≥ +0, so equal means identical).
		m := len(st.groups)
		vals, counts := v[:m], st.sortCounts[k*maxGrouped:(k+1)*maxGrouped]
		for u, g := range st.groups {
			x, c := st.t[g.first][k], g.count
			j := u
			for ; j > 0 && vals[j-1] > x; j-- {
				vals[j], counts[j] = vals[j-1], counts[j-1]
			}
			vals[j], counts[j] = x, c
		}
		var s float64
		rank := 0
		for u, vu := range vals {
			for range counts[u] {
				s += vu * float64(2*rank-n+1)
				rank++
			}
		}
		st.perVoter[k] = 2 * st.w[k] * s
		return
	}
	for a := range n {
		v[a] = st.t[a][k]
	}
	sort.Float64s(v)
	var s float64
	for m, vm := range v {
		s += vm * float64(2*m-n+1)
	}
	st.perVoter[k] = 2 * st.w[k] * s
}

// maxGrouped is the most distinct positions for which voterDenominator
// sorts by insertion.
const maxGrouped = 48

// group is a distinct position: its first actor and how many hold it.
type group struct{ first, count int }

// eu is E^p(U_ab): the expected utility to challenger a of challenging
// target b, as the actor with risk exponent rp perceives it, with
// probability of success prob.
func (st *scholzState) eu(a, b int, rp, prob float64) float64 {
	d := 0.5 * math.Abs(st.x[a]-st.x[b]) / st.span
	uSuccess, uFailure := 2-4*pow(0.5-d, rp), 2-4*pow(0.5+d, rp)
	return st.euFrom(b, prob, uSuccess, uFailure, statusQuoUtility(rp))
}

// statusQuoUtility is the utility of the status quo for risk exponent rp.
func statusQuoUtility(rp float64) float64 { return 2 - 4*pow(0.5, rp) }

// euFrom combines the utilities into E(U_ab) for target b.
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

func (st *scholzState) prob(num [][]float64, total float64, a, b int) float64 {
	if st.x[a] == st.x[b] {
		return 0
	}
	return num[a][b] / total
}

// updateRisk sets every actor's risk exponent from its danger level
// relative to the others', all computed with r = 1.
func (st *scholzState) updateRisk() {
	n := len(st.x)
	for i := range st.r {
		st.r[i] = 1
	}
	st.num = st.linearNumerators()
	st.total = st.denominator(st.distances(true))
	st.danger = grow(st.danger, n)
	danger := st.danger
	st.each(n, (*scholzState).dangerOf)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, d := range danger {
		lo, hi = math.Min(lo, d), math.Max(hi, d)
	}
	for i, d := range danger {
		ra := 0.0 // equal danger everywhere: risk neutral (the code divides by zero)
		if hi > lo {
			ra = (2*d - hi - lo) / (hi - lo)
		}
		st.r[i] = (1 - ra/3) / (1 + ra/3)
	}
}

// dangerOf sets actor i's danger level, Σ_j E(U_ji) with every r = 1.
func (st *scholzState) dangerOf(i int) {
	var d float64
	for j := range st.x {
		if j != i {
			d += st.eu(j, i, 1, st.prob(st.num, st.total, j, i))
		}
	}
	st.danger[i] = d
}

// offers returns each actor's chosen move (kind "" for none), in a buffer
// reused from round to round.
func (st *scholzState) offers() []offer {
	n := len(st.x)
	st.probabilities()
	st.offer = grow(st.offer, n)
	// The utilities depend on j only through x_j: computed once per
	// distinct position.
	vals, _ := st.distinct()
	st.uBuf = grow(st.uBuf, 2*n*len(vals))
	st.each(n, (*scholzState).offerOf)
	return st.offer
}

// probabilities sets the round's vote numerators and global denominator
// (prob) with the actors' risk exponents: what offers and Perceive read.
func (st *scholzState) probabilities() {
	t := st.distances(false)
	st.num, st.total = st.numerators(t), st.denominator(t)
}

// offerOf sets actor i's chosen move.
func (st *scholzState) offerOf(i int) {
	n := len(st.x)
	num, total, vals, idx := st.num, st.total, st.vals, st.idx
	m := len(vals)
	var conf, comp offer
	uSQ := statusQuoUtility(st.r[i])
	uSs, uFs := st.uBuf[2*i*m:(2*i+1)*m], st.uBuf[(2*i+1)*m:(2*i+2)*m]
	logS, logF := tableRow(st.logs[m*m:], idx[i], m), tableRow(st.logs[2*m*m:], idx[i], m)
	for u, v := range vals {
		if v != st.x[i] {
			d := 0.5 * math.Abs(st.x[i]-v) / st.span // as eu
			uSs[u] = 2 - 4*powLog(0.5-d, logS[u], st.r[i])
			uFs[u] = 2 - 4*powLog(0.5+d, logF[u], st.r[i])
		}
	}
	confKey, compKey := math.Inf(1), math.Inf(1)
	for j := range n {
		if st.x[i] == st.x[j] {
			continue
		}
		// E(U_ij) and E(U_ji) as i perceives them share i's
		// utilities of success and failure: two powers, not four.
		uS, uF := uSs[idx[j]], uFs[idx[j]]
		eij := st.euFrom(j, st.prob(num, total, i, j), uS, uF, uSQ)
		eji := st.euFrom(i, st.prob(num, total, j, i), uS, uF, uSQ)
		switch {
		case eji > eij && eij > 0:
			pos := st.x[j]
			if key := math.Abs(st.x[i] - pos); key < confKey {
				confKey = key
				conf = offer{kind: Confrontation, partner: j, to: pos, eu: eij, otherEU: eji}
			}
		case eji > 0 && 0 > eij && eji > math.Abs(eij):
			pos := st.x[i] + (st.x[j]-st.x[i])*math.Abs(eij/eji)
			key := (math.Abs(eij)*st.x[i] + math.Abs(eji)*st.x[j]) / (math.Abs(eij) + math.Abs(eji))
			if key < compKey {
				compKey = key
				comp = offer{kind: Compromise, partner: j, to: pos, eu: eij, otherEU: eji}
			}
		}
		// The code's capitulation test, eji > 0 > eij && eji < |eji|,
		// is never true.
	}
	if conf.kind != "" {
		st.offer[i] = conf
	} else {
		st.offer[i] = comp
	}
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
	st.updateRisk()
	var out []result.Move
	for i, m := range st.offers() {
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
