package smp

import (
	"cmp"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/parley-project/parley/numeric"
)

// The reference is KTAB's own code (lsyaseen/KTAB: examples/smp/libsrc/smp.cpp, smpbcn.cpp and
// KTAB/kmodel/libsrc/kmodel.cpp), whose function names are cited beside
// each step. docs/models/smp.md writes the equations out.

// Constants of KTAB's SMP.
const (
	minCoalition = 1e-10 // smpbcn.cpp probEduChlg: empty coalition strength
	minC         = 1e-8  // kmodel.cpp coalitions: empty coalition strength
	minSigEDU    = 1e-5  // smpbcn.cpp bestChallenge: least worthwhile gain
	minW         = 1e-6  // smp.cpp interpBrgnSnPm / S2PMax
	binTol       = 1e-8  // kmodel.cpp vote: binary response slope
	// Stopping rule (smp.cpp configExec / smpStopFn).
	minIter       = 2
	minDeltaRatio = 0.02
	minSigDelta   = 1e-4
)

// input is one SMP problem on KTAB's internal scale: positions and
// saliences on [0, 1], one row per actor.
type input struct {
	n, d int
	cap  []float64 // n
	sal  []float64 // n×d
	pos  []float64 // n×d
	// acc is the ideal-accommodation matrix (n×n); nil means identity,
	// i.e. ideals always equal positions.
	acc []float64
}

// engine runs KTAB's challenge–bargain–resolve turns.
type engine struct {
	in      input
	set     Settings
	workers int
	seed    uint64
	// ctx ends the run: checked before every turn, and within a turn
	// before each actor's share of the work (a cut-short turn is
	// discarded).
	ctx    context.Context
	sumSal []float64 // Σ_k s_ik (KBase::sum, in order)
	weight []float64 // Σ_k s_ik × c_i
	// diag, when set, records how close each run came to KTAB's fragile
	// points (docs/models/smp.md §5).
	diag *diagnostics
	// plain turns off the short cuts that change results by rounding:
	// the one-dimensional elections from sorted prefix sums, and the
	// bounded search for the best challenge (a test's reference).
	plain bool
}

// diagnostics are the smallest margins seen in a run: between the best
// and second-best challenge target (S10), between the most and
// second-most probable option (S12), of a bargain coordinate from a
// rounding boundary (S11, in units of 1e-4), and of the stopping ratio
// from 0.02.
type diagnostics struct {
	mu                                   sync.Mutex
	targetGap, optionGap, roundGap, stop float64
}

func (g *diagnostics) note(field *float64, v float64) {
	if g == nil {
		return
	}
	g.mu.Lock()
	*field = math.Min(*field, v)
	g.mu.Unlock()
}

func newDiagnostics() *diagnostics {
	inf := math.Inf(1)
	return &diagnostics{targetGap: inf, optionGap: inf, roundGap: inf, stop: inf}
}

// state is one turn's positions and ideals.
type state struct {
	pos, ideal []float64
	// partner[k] is the other party of the bargain that moved actor k to
	// this state, or -1 when k kept its position.
	partner []int
}

// bargain is a proposal that init moves to pInit and rcvr to pRcvr.
// init == rcvr marks the status-quo bargain.
type bargain struct {
	init, rcvr   int
	pInit, pRcvr []float64
	// util is every actor's average utility if the bargain is carried
	// out (set by step for proposals, not for the status quo).
	util []float64
}

// turnData holds what setAllAUtil computes for a state.
type turnData struct {
	vdiff  []float64 // vdiff[i*n+j]: salience-weighted distance from i's ideal to j's position
	vdiffT []float64 // transpose
	nra    []float64 // risk attitude R_i
	rEst   []float64 // rEst[h*n+i]: h's estimate of R_i
	// pos and ideal are the state's; in one dimension byPos lists the
	// actors by position (searchByGroups).
	pos, ideal []float64
	byPos      []int
	// voteTol bounds, per unit of the voter's weight, how far rounding
	// can move a third party's vote as probEduChlg computes it from the
	// exact value of w_m (p a + (1 − p) b), and votesTol the same for all
	// the third parties together (voteTol × Σ_m w_m): the margins of the
	// bounds that skip a challenge (gainCut, screen, groupPass).
	voteTol, votesTol float64
}

var errDegenerate = errors.New("degenerate scenario")

// bsUtil is KTAB's scalar utility of a weighted distance sd to an actor
// with risk attitude r (smp.cpp SMPModel::bsUtil).
func bsUtil(sd, r float64) float64 {
	if sd <= 1 {
		return (1 - sd) * (1 + sd*r)
	}
	return (1 - sd) * (1 + r)
}

// bvDiff is the salience-weighted RMS distance of vector d under
// saliences s (smp.cpp SMPModel::bvDiff).
func bvDiff(a, b, s []float64) float64 {
	var dsSqr, ssSqr float64
	for k := range a {
		ds := (a[k] - b[k]) * s[k]
		dsSqr += ds * ds
		ssSqr += s[k] * s[k]
	}
	return math.Sqrt(dsSqr / ssSqr)
}

// vote is actor influence w_k exerted for option i over option j given its
// utilities for both (kmodel.cpp Model::vote).
func vote(vr int, w, ui, uj float64) float64 {
	du := ui - uj
	switch vr {
	case 0: // Binary
		return w * binary(du)
	case 1: // PropBin
		return w * ((1-0.2)*du + 0.2*binary(du))
	case 3: // PropCbc
		return w * ((1-0.5)*du + 0.5*(du*du*du))
	case 4: // Cubic
		return w * (du * du * du)
	case 5: // ASymProsp
		if du < 0 {
			return w * du
		}
		if du > 0 {
			return (2.0 * w * du) / 3.0
		}
		return 0
	default: // Proportional
		return w * du
	}
}

func binary(du float64) float64 {
	r := du / binTol
	if r > 1 {
		r = 1
	}
	if r < -1 {
		r = -1
	}
	return r
}

// vProb turns two coalition strengths into victory probabilities
// (kmodel.cpp Model::vProb).
func vProb(vpm int, s1, s2 float64) (float64, float64) {
	var x1, x2 float64
	switch vpm {
	case 1:
		x1, x2 = s1*s1, s2*s2
	case 2:
		x1, x2 = qrtc(s1), qrtc(s2)
	case 3:
		q1, q2 := qrtc(s1), qrtc(s2)
		x1, x2 = q1*q1, q2*q2
	case 4:
		const thresh = 1.10
		switch {
		case s1 >= thresh*s2:
			x1, x2 = 1, 1e-6
		case s2 >= thresh*s1:
			x1, x2 = 1e-6, 1
		default:
			r12 := s1 / (s1 + s2)
			p12 := (r12*(thresh+1.0) - 1.0) / (thresh - 1.0)
			x1, x2 = p12, 1-p12
		}
	default:
		x1, x2 = s1, s2
	}
	return x1 / (x1 + x2), x2 / (x1 + x2)
}

func qrtc(x float64) float64 { s := x * x; return s * s }

// rowsPCE is the probability that each option wins a probabilistic
// Condorcet election among voters with weights w, given each option's
// utilities row by row, rows[i][k] for voter k (kmodel.cpp
// Model::coalitions, vProb, probCE2). The rows of coalitions are shared among workers
// goroutines; each sum is added in KTAB's order whatever the number of
// workers. Once ctx ends no further row is started, and rowsPCE returns
// nil (1,000 options among 1,000 voters are half a billion votes, about
// a second).
func rowsPCE(ctx context.Context, set Settings, w []float64, rows [][]float64, workers int) []float64 {
	m := len(rows)
	c := make([]float64, m*m)
	if len(rows) == 0 || !sharedPCE(len(rows[0]), m) {
		workers = 1
	}
	numeric.ParallelFor(m, workers, func(i int) {
		if ctx.Err() != nil {
			return
		}
		for j := 0; j < i; j++ {
			c[i*m+j], c[j*m+i] = coalitions(set, w, rows[i], rows[j])
		}
		c[i*m+i] = minC
	})
	if ctx.Err() != nil {
		return nil
	}
	return pce(set, m, c)
}

// coalitions returns the coalitions for option i against option j, and
// for j against i, given every voter's utilities ui and uj for them
// (kmodel.cpp Model::coalitions).
func coalitions(set Settings, w, ui, uj []float64) (cij, cji float64) {
	cij, cji = minC, minC
	uj = uj[:len(ui)]
	if set.VotingRule == 2 {
		// Proportional voting written out; adding max(v, 0) and
		// subtracting min(v, 0) give KTAB's branches' sums.
		for k, wk := range w[:len(ui)] {
			v := wk * (ui[k] - uj[k])
			cij += max(v, 0)
			cji -= min(v, 0)
		}
		return cij, cji
	}
	for k := range ui {
		v := vote(set.VotingRule, w[k], ui[k], uj[k])
		if v > 0 {
			cij += v
		}
		if v < 0 {
			cji -= v
		}
	}
	return cij, cji
}

// sharedPCE reports whether an election among m options by na voters is
// worth sharing among workers: about 4 million votes, a few milliseconds.
func sharedPCE(na, m int) bool { return m*m*na >= 1<<22 }

// linearPCE is rowsPCE for one dimension with proportional voting,
// where voter k's utility for option x, with risk attitude 0, is
// 1 − |θ_k − x| (S1, S2): then k votes for the option nearer its ideal,
// with weight w_k times the difference of the distances, so the
// coalitions of every pair of options come from the voters sorted by
// ideal point with prefix sums (numeric.LinearVotes) in O(log n) instead
// of O(n) (kmodel.cpp Model::coalitions). They equal KTAB's sums in exact
// arithmetic and differ by rounding.
func linearPCE(ctx context.Context, set Settings, ideals, w, options []float64, workers int) []float64 {
	var lv numeric.LinearVotes
	lv.Reset(ideals, w)
	m := len(options)
	// Each option's rank among the voters, found once: the voters strictly
	// below it and those at or below it.
	below, atOrBelow := make([]int, m), make([]int, m)
	for i, x := range options {
		below[i], atOrBelow[i] = lv.Rank(x)
	}
	c := make([]float64, m*m)
	numeric.ParallelFor(m, workers, func(i int) {
		if ctx.Err() != nil {
			return
		}
		xi := options[i]
		for j := 0; j < i; j++ {
			xj := options[j]
			var forI, forJ float64
			switch {
			case xi < xj:
				forI, forJ = lv.VotesRanked(xi, xj, atOrBelow[i], below[j])
			case xj < xi:
				forJ, forI = lv.VotesRanked(xj, xi, atOrBelow[j], below[i])
			}
			c[i*m+j], c[j*m+i] = minC+forI, minC+forJ
		}
		c[i*m+i] = minC
	})
	if ctx.Err() != nil {
		return nil
	}
	return pce(set, m, c)
}

// pce turns the coalitions c[i*m+j] for option i against option j into
// each option's probability of winning (kmodel.cpp Model::vProb and the
// probabilistic Condorcet election of the settings).
func pce(set Settings, m int, c []float64) []float64 {
	pv := make([]float64, m*m)
	for i := 0; i < m; i++ {
		for j := 0; j < i; j++ {
			pv[i*m+j], pv[j*m+i] = vProb(set.VictoryProb, c[i*m+j], c[j*m+i])
		}
		pv[i*m+i] = 0.5
	}
	switch set.PCE {
	case 1:
		return markovIncentivePCE(m, c, pv)
	case 2:
		return markovUniformPCE(m, pv)
	default:
		return condPCE(m, pv)
	}
}

// condPCE: the probability that option i beats every alternative,
// conditioned on one option doing so (kmodel.cpp Model::condPCE).
func condPCE(m int, pv []float64) []float64 {
	p := make([]float64, m)
	var sum float64
	for i := 0; i < m; i++ {
		pi := 1.0
		for j := 0; j < m; j++ {
			pi *= pv[i*m+j]
		}
		p[i] = pi
	}
	for _, x := range p {
		sum += x
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// markovUniformPCE (kmodel.cpp Model::markovUniformPCE).
func markovUniformPCE(m int, pv []float64) []float64 {
	p := make([]float64, m)
	q := make([]float64, m)
	for i := range p {
		p[i] = 1.0 / float64(m)
	}
	for iter := 0; iter < 1000; iter++ {
		change := 0.0
		for i := 0; i < m; i++ {
			pi := 0.0
			for j := 0; j < m; j++ {
				pi += pv[i*m+j] * (p[i] + p[j])
			}
			q[i] = pi / float64(m)
			change = math.Max(change, math.Abs(q[i]-p[i]))
		}
		for i := range p {
			p[i] = (p[i] + q[i]) / 2.0
		}
		if change <= 1e-6 {
			break
		}
	}
	return p
}

// markovIncentivePCE (kmodel.cpp Model::markovIncentivePCE).
func markovIncentivePCE(m int, c, pv []float64) []float64 {
	inc := make([]float64, m*m)
	for i := 0; i < m; i++ {
		for j := 0; j < m; j++ {
			inc[i*m+j] = c[i*m+j] * pv[i*m+j]
			if i == j {
				inc[i*m+j] += 1e-10
			}
		}
	}
	chlg := make([]float64, m*m)
	for j := 0; j < m; j++ {
		s := 0.0
		for k := 0; k < m; k++ {
			s += inc[k*m+j]
		}
		for i := 0; i < m; i++ {
			chlg[i*m+j] = inc[i*m+j] / s
		}
	}
	p := make([]float64, m)
	q := make([]float64, m)
	for i := range p {
		p[i] = 1.0 / float64(m)
	}
	ct := make([]float64, m*m)
	for iter := 0; iter < 1000; iter++ {
		for i := 0; i < m; i++ {
			for j := 0; j < m; j++ {
				ct[i*m+j] = p[i] * chlg[j*m+i]
			}
		}
		change := 0.0
		for i := 0; i < m; i++ {
			qi := 0.0
			for j := 0; j < m; j++ {
				qi += pv[i*m+j] * (ct[i*m+j] + ct[j*m+i])
			}
			q[i] = qi
			change = math.Max(change, math.Abs(q[i]-p[i]))
		}
		for i := range p {
			p[i] = (p[i] + q[i]) / 2.0
		}
		if change <= 1e-8 {
			break
		}
	}
	return p
}

// estNRA is h's estimate of i's risk attitude (kmodel.cpp Model::estNRA).
func estNRA(ra int, rh, ri float64) float64 {
	switch ra {
	case 4:
		return ri
	case 3:
		return (rh + (2.0 * ri)) / 3.0
	case 2:
		return (rh + ri) / 2
	case 1:
		return ((2.0 * rh) + ri) / 3.0
	default:
		return rh
	}
}

// context is the run's context (run sets it; tests that work on states
// directly may not).
func (e *engine) context() context.Context {
	if e.ctx == nil {
		return context.Background()
	}
	return e.ctx
}

// utilities computes the distances, risk attitudes and perceived risk
// attitudes of a state (smp.cpp SMPState::setAllAUtil).
func (e *engine) utilities(s *state) (*turnData, error) {
	n, d := e.in.n, e.in.d
	td := &turnData{vdiff: make([]float64, n*n), vdiffT: make([]float64, n*n),
		nra: make([]float64, n), rEst: make([]float64, n*n), pos: s.pos, ideal: s.ideal}
	numeric.ParallelFor(n, e.workers, func(i int) {
		idl, si := s.ideal[i*d:(i+1)*d], e.in.sal[i*d:(i+1)*d]
		for j := 0; j < n; j++ {
			td.vdiff[i*n+j] = bvDiff(idl, s.pos[j*d:(j+1)*d], si)
		}
	})
	td.voteTol, td.votesTol = voteTolerance(d, s.ideal, s.pos, e.weight)
	numeric.ParallelFor(n, e.workers, func(j int) {
		for i := 0; i < n; i++ {
			td.vdiffT[j*n+i] = td.vdiff[i*n+j]
		}
	})
	// Risk-neutral utilities and the probability that each actor's
	// position wins a probabilistic Condorcet election among all of them.
	var p []float64
	ctx := e.context()
	if d == 1 && e.set.VotingRule == 2 && !e.plain {
		p = linearPCE(ctx, e.set, s.ideal, e.in.cap, s.pos, e.workers)
	} else {
		// Option j's row: every voter's risk-neutral utility of j's
		// position, from row j of the transposed distances.
		rows := make([][]float64, n)
		for j := range rows {
			rows[j] = make([]float64, n)
			for k, dist := range td.vdiffT[j*n : (j+1)*n] {
				rows[j][k] = bsUtil(dist, 0)
			}
		}
		p = rowsPCE(ctx, e.set, e.in.cap, rows, e.workers)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pMin, pMax := 1.0, 0.0
	for _, x := range p {
		pMin = math.Min(pMin, x)
		pMax = math.Max(pMax, x)
	}
	// Risk attitudes from probabilities (kmodel.cpp Model::bigRfromProb).
	// When every position is equally likely KTAB divides by zero; Parley
	// treats every actor as risk neutral.
	for i, pi := range p {
		if math.IsNaN(pi) {
			return nil, errDegenerate
		}
		if pMax <= pMin {
			td.nra[i] = 0
			continue
		}
		switch e.set.BigRRange {
		case 0:
			td.nra[i] = (pi - pMin) / (pMax - pMin)
		case 2:
			td.nra[i] = (2*pi - (pMax + pMin)) / (pMax - pMin)
		default:
			td.nra[i] = (3*pi - (pMax + 2*pMin)) / (2 * (pMax - pMin))
		}
	}
	numeric.ParallelFor(n, e.workers, func(h int) {
		for i := 0; i < n; i++ {
			td.rEst[h*n+i] = estNRA(e.set.BigRAdjust, td.nra[h], td.nra[i])
		}
	})
	if d == 1 {
		td.byPos = make([]int, n)
		for i := range td.byPos {
			td.byPos[i] = i
		}
		slices.SortStableFunc(td.byPos, func(a, b int) int { return cmp.Compare(s.pos[a], s.pos[b]) })
	}
	return td, nil
}

// voteRounding bounds the rounding of a third party's vote in
// probEduChlg (smpbcn.cpp probEduChlg), per unit of its weight w_m and of
// M, the largest |U| of the turn. With risk attitudes in [−1, 1], every
// utility of S1 at a distance of at most d has |U| ≤ M = max(1,
// 2 (d − 1)); the vote is w_m times the difference of two terms of at
// most 3M (uIKJ − uIJK), so the roundings of those terms, of p (a few ε
// relative, 5ε in 1 − p) and of the difference come to less than 100 ε M
// with ε = 2⁻⁵³ (1.1e-16); 1e-13 allows about 900 ε M, which also covers
// the bounds' own rounding of the same vote. It matters when the
// coalitions are small beside the weights (capabilities many decades
// apart): a vote's rounding, about w_m × 4e-16, can then move P_ij by far
// more than the bounds' margins relative to P_ij.
const voteRounding = 1e-13

// voteTolerance returns turnData.voteTol and votesTol for a state's
// ideals and positions on d dimensions, with weights w. A salience-weighted
// RMS distance (bvDiff) is at most the largest difference on one
// dimension, so no distance exceeds the widest span between an ideal and
// a position on any dimension.
func voteTolerance(d int, ideal, pos, w []float64) (one, all float64) {
	m := 1.0
	for k := 0; k < d; k++ {
		iLo, iHi := math.Inf(1), math.Inf(-1)
		pLo, pHi := math.Inf(1), math.Inf(-1)
		for x := k; x < len(ideal); x += d {
			iLo, iHi = min(iLo, ideal[x]), max(iHi, ideal[x])
			pLo, pHi = min(pLo, pos[x]), max(pHi, pos[x])
		}
		m = max(m, 2*(iHi-pLo-1), 2*(pHi-iLo-1))
	}
	one = voteRounding * m
	for _, x := range w {
		all += x
	}
	return one, one * all
}

// perspectiveRow fills row x of h's utilities, ut[x*n+m] = aUtil[h](m, x):
// h's estimate of each actor m's utility for x's position.
func (e *engine) perspectiveRow(td *turnData, h, x int, ut []float64) {
	n := e.in.n
	r := td.rEst[h*n : (h+1)*n]
	row := td.vdiffT[x*n : (x+1)*n]
	out := ut[x*n : (x+1)*n]
	for m := 0; m < n; m++ {
		out[m] = bsUtil(row[m], r[m])
	}
}

// perspectiveDiag fills diag[m] = aUtil[h](m, m): h's estimate of each
// actor's utility for its own position.
func (e *engine) perspectiveDiag(td *turnData, h int, diag []float64) {
	n := e.in.n
	r := td.rEst[h*n : (h+1)*n]
	for m := 0; m < n; m++ {
		diag[m] = bsUtil(td.vdiffT[m*n+m], r[m])
	}
}

// probEduChlg is h's estimate of the probability that i defeats j if i
// challenges j, and of the expected change in k's utility (here k = h, the
// only case the dynamics use, or k = i) (smpbcn.cpp SMPState::probEduChlg).
func (e *engine) probEduChlg(ut, diag []float64, k, i, j int) (phij, du float64) {
	return e.probEduChlgCut(ut, diag, k, i, j, nil)
}

// gainCut lets probEduChlgCut give up on a challenge that cannot reach a
// given gain, for bestTarget. Third party m adds at most
// w_m max(0, U_mm − U_mi, 1 − U_mm) to i's coalition (its vote is w_m
// times a mix of U_mm − U_mi and U_mj − U_mm, and U_mj ≤ 1), and nothing
// to j's that it has not already added; so once the parties before m are
// counted, P_ij is at most (C_ij + rest)/(C_ij + rest + C_ji), with rest
// the bound summed over the parties from m on (suffix[m]; each party's
// bound also holds the rounding of its vote, w_m × turnData.voteTol), and
// k = i's gain (U_ii − U_ij)(1 − 2 S_j (1 − P_ij)) (S9) at most its value
// there.
type gainCut struct {
	suffix []float64
	reach  float64 // the best gain so far: a tie must still be evaluated
}

// hopeless reports whether a challenge with coalitions chij, chji after
// the third parties before m, gain factor g = U_ii − U_ij > 0 and target
// salience sj cannot reach the gain (10⁻¹² allows for rounding).
func (c *gainCut) hopeless(chij, chji float64, m int, g, sj float64) bool {
	hi := chij + c.suffix[m]
	best := g*(1-2*sj*(1-hi/(hi+chji))) + 1e-12
	return best < c.reach || best <= minSigEDU
}

// probEduChlgCut is probEduChlg that, given cut (for k = i, KTAB's default
// voting and third-party settings), stops early with gain −∞ when the
// challenge cannot reach cut.reach.
func (e *engine) probEduChlgCut(ut, diag []float64, k, i, j int, cut *gainCut) (phij, du float64) {
	n := e.in.n
	set := e.set
	vr := set.VotingRule
	ui, uj := ut[i*n:(i+1)*n], ut[j*n:(j+1)*n]
	uii, uij, uji, ujj := ui[i], uj[i], ui[j], uj[j]
	euSQ := ui[k] + uj[k]
	uhkij := ui[k] + ui[k]
	uhkji := uj[k] + uj[k]
	si, ci := e.sumSal[i], e.in.cap[i]
	sj, cj := e.sumSal[j], e.in.cap[j]
	contribI := vote(vr, si*ci, uii, uij)
	contribJ := vote(vr, sj*cj, uji, ujj)
	chij, chji := minCoalition, minCoalition
	if contribI > 0 {
		chij += contribI
	}
	if contribI < 0 {
		chji -= contribI
	}
	if contribJ > 0 {
		chij += contribJ
	}
	if contribJ < 0 {
		chji -= contribJ
	}
	baseI, baseJ := chij, chji
	if vr == 2 && set.ThirdParty == 1 {
		// KTAB's defaults, proportional voting and semi-committed third
		// parties, written out: the same operations in the same order as
		// the general loop below, so the same numbers, without the calls.
		w := e.weight
		g := uii - uij
		for m := 0; m < n; m++ {
			if m == i || m == j {
				continue
			}
			if cut != nil && m&63 == 0 && g > 0 && cut.hopeless(chij, chji, m, g, sj) {
				return 0, math.Inf(-1)
			}
			wn, uni, unj, unn := w[m], ui[m], uj[m], diag[m]
			// Adding max(x, 0) or subtracting min(x, 0) leaves a sum
			// unchanged when KTAB's branch would skip it, without the
			// branch.
			cn := wn * (uni - unj)
			cni := baseI + max(cn, 0)
			cnj := baseJ - min(cn, 0)
			pin := cni / (cni + cnj)
			pjn := 1.0 - pin
			ii, jj := uni+uni, unj+unj
			uIKJ := (pin * (ii + unn)) + (pjn * (jj + unj))
			uIJK := (pin * (ii + uni)) + (pjn * (jj + unn))
			v := wn * (uIKJ - uIJK)
			chij += max(v, 0)
			chji -= min(v, 0)
		}
		return e.outcome(chij, chji, sj, uhkij, uhkji, euSQ)
	}
	for m := 0; m < n; m++ {
		if m == i || m == j {
			continue
		}
		wn := e.weight[m]
		uni, unj, unn := ui[m], uj[m], diag[m]
		// Actor::vProbLittle: m's guess whether i wins with its help.
		cn := vote(vr, wn, uni, unj)
		cni, cnj := baseI, baseJ
		if cn > 0 {
			cni = baseI + cn
		}
		if cn < 0 {
			cnj = baseJ - cn
		}
		pin := cni / (cni + cnj)
		pjn := 1.0 - pin
		// Actor::thirdPartyVoteSU.
		var uIKdefJ, uJdefIK, uIdefJK, uJKdefI float64
		switch set.ThirdParty {
		case 2: // FullCommit
			uIKdefJ, uJdefIK = uni+uni+uni, unj+unj+unj
			uIdefJK, uJKdefI = uni+uni+uni, unj+unj+unj
		case 0: // NoCommit
			uIKdefJ, uJdefIK = uni+uni+unn, unj+unj+unn
			uIdefJK, uJKdefI = uni+uni+unn, unj+unj+unn
		default: // SemiCommit
			uIKdefJ, uJdefIK = uni+uni+unn, unj+unj+unj
			uIdefJK, uJKdefI = uni+uni+uni, unj+unj+unn
		}
		uIKJ := (pin * uIKdefJ) + (pjn * uJdefIK)
		uIJK := (pin * uIdefJK) + (pjn * uJKdefI)
		v := vote(vr, wn, uIKJ, uIJK)
		if v > 0 {
			chij += v
		}
		if v < 0 {
			chji -= v
		}
	}
	return e.outcome(chij, chji, sj, uhkij, uhkji, euSQ)
}

// baseCoalitions are i's and j's coalitions from their own votes alone
// (proportional voting), B_i and B_j, formed as probEduChlgCut forms them
// (smpbcn.cpp probEduChlg: contribI, contribJ), given U_ii, U_ij, U_ji and
// U_jj.
func (e *engine) baseCoalitions(i, j int, uii, uij, uji, ujj float64) (bi, bj float64) {
	bi, bj = minCoalition, minCoalition
	for _, v := range [2]float64{vote(2, e.sumSal[i]*e.in.cap[i], uii, uij), vote(2, e.sumSal[j]*e.in.cap[j], uji, ujj)} {
		bi += max(v, 0)
		bj -= min(v, 0)
	}
	return bi, bj
}

// gainBound bounds i's gain from challenging j, g (1 − 2 S_j (1 − P_ij))
// with g = U_ii − U_ij (S9), over every P_ij in [0, 1]: the larger of its
// values at P = 1 and P = 0, plus 10⁻¹² for rounding.
func gainBound(g, sj float64) float64 { return math.Max(g, g*(1-2*sj)) + 1e-12 }

// neededP is the least P_ij with which i's gain g (1 − 2 S_j (1 − P_ij))
// (S9), g = U_ii − U_ij > 0, reaches reach less 10⁻¹².
func neededP(reach, g, sj float64) float64 { return 1 - (1-(reach-1e-12)/g)/(2*sj) }

// screen reports whether i's challenge of j cannot reach cut.reach. It
// counts the third parties' votes as probEduChlgCut's loop does (the same
// operations, KTAB's defaults, smpbcn.cpp probEduChlg), from the same
// utilities (i's estimates, computed here as perspectiveRow would for
// the parties it reaches), but in the order of sc.order, checking the
// bound of gainCut every 16 parties. Its sums differ from the loop's by
// rounding only: by the order of the additions, at most about 2n ulps of
// P_ij, which the threshold's margin covers, and by each vote's own
// rounding, at most turnData.votesTol in all, added to i's coalition and
// taken from j's. They decide nothing but whether the exact count is
// skipped.
func (e *engine) screen(td *turnData, sc *challengeScratch, i, j int) bool {
	n := e.in.n
	cut := &sc.cut
	r := td.rEst[i*n : (i+1)*n]
	row := td.vdiffT[j*n : (j+1)*n]
	ui := sc.ut[i*n : (i+1)*n]
	uii, uij := ui[i], bsUtil(row[i], r[i])
	uji, ujj := ui[j], sc.diag[j]
	sj := e.sumSal[j]
	g := uii - uij
	if g <= 0 {
		return false
	}
	chij, chji := e.baseCoalitions(i, j, uii, uij, uji, ujj)
	// The terms in their exact-arithmetic form, w_m (b + p (a − b)) with
	// a = U_mm − U_mi, b = U_mj − U_mm and p = (B_i + max(c, 0)) /
	// (B_i + B_j + |c|), summed as Σ v and Σ |v| (i's coalition is then
	// B_i + (Σ|v| + Σv)/2 and j's B_j + (Σ|v| − Σv)/2, without a branch
	// or a min or max per party; the error this adds to P_ij is at most
	// about n ulps), each in two accumulators taken alternately so that
	// consecutive additions do not wait on each other.
	baseI, baseJ, both := chij, chji, chij+chji
	// hopeless's test, best < reach or best ≤ 10⁻⁵ with best = g (1 − 2
	// S_j (1 − P)) + 10⁻¹², solved for P once: the challenge is hopeless
	// when P_ij < thr, less a margin for rounding (the sums' order
	// differs), that is when hi (1 − thr) < thr lo, without a division
	// per check.
	reach := max(cut.reach, minSigEDU)
	thr := neededP(reach, g, sj) - 1e-12 - float64(n+16)*1e-15
	// The probEduChlg's coalitions can differ from these sums by the
	// rounding of its votes, up to td.votesTol either way.
	tol := td.votesTol
	var net0, abs0, net1, abs1 float64
	for k, m := range sc.order {
		if k&15 == 0 {
			net, abs := net0+net1, abs0+abs1
			if (baseI+(abs+net)/2+tol+sc.orderSuffix[k])*(1-thr) < thr*max(baseJ+(abs-net)/2-tol, 0) {
				return true
			}
		}
		if m == i || m == j {
			continue
		}
		wn, uni, unn := sc.oW[k], sc.oUi[k], sc.oDiag[k]
		unj := bsUtil(row[m], sc.oR[k])
		cn := wn * (uni - unj)
		ac := math.Abs(cn)
		pin := (baseI + (cn+ac)/2) / (both + ac) // (cn + |cn|)/2 = max(cn, 0) exactly
		a, b := unn-uni, unj-unn
		v := wn * (b + pin*(a-b))
		if k&1 == 0 {
			net0 += v
			abs0 += math.Abs(v)
		} else {
			net1 += v
			abs1 += math.Abs(v)
		}
	}
	net, abs := net0+net1, abs0+abs1
	return (baseI+(abs+net)/2+tol)*(1-thr) < thr*max(baseJ+(abs-net)/2-tol, 0)
}

// targetGroup is a group of candidate targets standing next to each
// other on the line, sc.cands[lo:hi], with the largest of their bounds.
type targetGroup struct {
	lo, hi int
	bound  float64
}

// searchByGroups' first groups hold groupSize candidates; a group still
// in question after its pass is split in groupSplit (sizes measured best
// on the 500-actor line among 8, 16, 32 and 64 split in 2 or 4).
const groupSize, groupSplit = 16, 4

// searchByGroups is bestTarget's search in one dimension with KTAB's
// default voting and third parties: the same target, found by bounding
// the gain of groups of neighbouring candidates at once. The candidates
// are sorted by position and taken 16 at a time. The group with the
// largest bound is taken next: a single candidate is screened and
// counted exactly, as bestTarget does; a larger group gets a bound on
// P_ij shared by its members (groupPass), which bounds each member's gain
// g (1 − 2 S_j (1 − P_ij)) (S9) more tightly than P_ij ≤ 1, and is then
// split in four. The search stops when no group's bound reaches the best
// gain found; a tie with an earlier actor is still counted, so the target
// is KTAB's (the first of the largest gains).
func (e *engine) searchByGroups(td *turnData, i int, sc *challengeScratch) (bestJ int, bestP, bestEU float64) {
	const margin = 1e-9 // added to a group's bound, for rounding
	n := e.in.n
	cut := &sc.cut
	uii, r := sc.ut[i*n+i], td.rEst[i*n+i]
	best := challengeTarget{j: -1, gain: -1}
	// Candidates that can gain, those with g = U_ii − U_ij > 0 by
	// position; the others (possible when ideals differ from positions)
	// after them, each alone.
	cands, lone := sc.cands[:0], sc.lone[:0]
	for _, j := range td.byPos {
		g := uii - bsUtil(td.vdiffT[j*n+i], r)
		sc.gain[j], sc.bound[j] = g, gainBound(g, e.sumSal[j])
		switch {
		case j == i || sc.bound[j] <= minSigEDU || math.IsNaN(sc.bound[j]):
		case g > 0:
			cands = append(cands, j)
		default:
			lone = append(lone, j)
		}
	}
	grouped := len(cands)
	cands = append(cands, lone...)
	sc.cands, sc.lone = cands, lone
	nodes := sc.nodes[:0]
	add := func(lo, hi int) {
		b := math.Inf(-1)
		for _, j := range cands[lo:hi] {
			b = max(b, sc.bound[j])
		}
		if b > minSigEDU && b >= best.gain {
			nodes = append(nodes, targetGroup{lo, hi, b})
		}
	}
	for lo := 0; lo < grouped; lo += groupSize {
		add(lo, min(lo+groupSize, grouped))
	}
	for lo := grouped; lo < len(cands); lo++ {
		add(lo, lo+1)
	}
	for len(nodes) > 0 {
		top := 0
		for x := range nodes {
			if nodes[x].bound > nodes[top].bound {
				top = x
			}
		}
		nd := nodes[top]
		if nd.bound <= minSigEDU || nd.bound < best.gain {
			break
		}
		nodes[top] = nodes[len(nodes)-1]
		nodes = nodes[:len(nodes)-1]
		if nd.hi-nd.lo == 1 {
			e.consider(td, sc, i, cands[nd.lo], cut, &best)
			continue
		}
		js := cands[nd.lo:nd.hi]
		pHi, open := e.groupPass(td, sc, i, js, max(best.gain, minSigEDU))
		if !open {
			continue
		}
		for _, j := range js {
			sc.bound[j] = min(sc.bound[j], sc.gain[j]*(1-2*e.sumSal[j]*(1-pHi))+margin)
		}
		step := (len(js) + groupSplit - 1) / groupSplit
		for lo := nd.lo; lo < nd.hi; lo += step {
			add(lo, min(lo+step, nd.hi))
		}
	}
	sc.nodes = nodes[:0]
	return best.j, best.p, best.gain
}

// groupPass bounds, for challenger i, the probability P_ij of winning
// against every candidate j of js at once (all with U_ii > U_ij), and
// reports false if none of them can reach the gain reach. One pass over
// the third parties serves the whole group: with the candidates'
// positions in [x_L, x_R], third party m's utility U_mj lies between its
// utilities at its nearest and farthest distance from that interval (U
// falls with distance, S1); its guess p_m (smpbcn.cpp probEduChlg) rises
// with c = w_m (U_mi − U_mj) and with i's base coalition B_i and falls
// with j's B_j, so it lies between its values at the extremes; and its
// vote w_m ((1 − p_m) b + p_m a), with a = U_mm − U_mi and
// b = U_mj − U_mm, is largest at a corner of those ranges. Adding the
// largest vote's positive part to i's coalition and its negative part
// to j's bounds P_ij from above for every candidate; a candidate of the
// group is a third party only for the others, so its negative part is
// left out. The parties are counted in screen's order, and the group is
// given up early once even its most hopeful candidate cannot reach
// reach with the rest at their bound. The bounds hold in exact
// arithmetic; for rounding, the utilities' interval is widened by
// turnData.voteTol, the test's threshold lowered by 10⁻⁹, and the
// coalitions moved apart by turnData.votesTol, the most by which
// probEduChlg's rounded votes can differ from their exact values.
func (e *engine) groupPass(td *turnData, sc *challengeScratch, i int, js []int, reach float64) (pHi float64, open bool) {
	n := e.in.n
	r := td.rEst[i*n : (i+1)*n]
	ui := sc.ut[i*n : (i+1)*n]
	uii := ui[i]
	xL, xR := math.Inf(1), math.Inf(-1)
	biMin, biMax := math.Inf(1), math.Inf(-1)
	bjMin, bjMax := math.Inf(1), math.Inf(-1)
	thr := math.Inf(1)
	for _, j := range js {
		xL, xR = min(xL, td.pos[j]), max(xR, td.pos[j])
		uij := bsUtil(td.vdiffT[j*n+i], r[i])
		sj := e.sumSal[j]
		// The base coalitions, as screen and probEduChlgCut form them.
		bi, bj := e.baseCoalitions(i, j, uii, uij, ui[j], sc.diag[j])
		biMin, biMax = min(biMin, bi), max(biMax, bi)
		bjMin, bjMax = min(bjMin, bj), max(bjMax, bj)
		// The probability P the gain needs: g (1 − 2 S_j (1 − P)) ≥ reach.
		thr = min(thr, neededP(reach, uii-uij, sj)-1e-9)
		sc.member[j] = true
	}
	defer func() {
		for _, j := range js {
			sc.member[j] = false
		}
	}()
	// ci and cj bound the coalitions in exact arithmetic, moved apart by
	// votesTol, the most by which probEduChlg's rounded votes can move
	// them (cj is read as max(cj, 0)). The utilities' interval is widened
	// by du (turnData.voteTol), far more than bvDiff's rounding of a
	// distance moves U, and than U's rise with distance when a risk
	// attitude is computed a few ulps below −1 (BigRRange Max), which tiny
	// base coalitions can magnify in p_m.
	ci, cj, du := biMax+td.votesTol, bjMin-td.votesTol, td.voteTol
	for k, m := range sc.order {
		if k&15 == 0 && (ci+sc.orderSuffix[k])*(1-thr) < thr*max(cj, 0) {
			return 0, false
		}
		if m == i {
			continue
		}
		th, rm := sc.oX[k], sc.oR[k]
		dNear, dFar := max(xL-th, th-xR, 0), max(th-xL, xR-th)
		uHi, uLo := bsUtil(dNear, rm)+du, bsUtil(dFar, rm)-du
		w, umi, umm := sc.oW[k], sc.oUi[k], sc.oDiag[k]
		a, bHi := umm-umi, uHi-umm
		var p float64
		if a > bHi {
			c := w * (umi - uLo)
			p = (biMax + max(c, 0)) / (biMax + bjMin + math.Abs(c))
		} else {
			c := w * (umi - uHi)
			p = (biMin + max(c, 0)) / (biMin + bjMax + math.Abs(c))
		}
		v := w * ((1-p)*bHi + p*a)
		ci += max(v, 0)
		if !sc.member[m] {
			cj -= min(v, 0)
		}
	}
	cj = max(cj, 0)
	if ci*(1-thr) < thr*cj {
		return 0, false
	}
	return ci / (ci + cj), true
}

// outcome turns the coalitions for and against i into the probability
// that i wins and k's expected gain from the challenge.
func (e *engine) outcome(chij, chji, sj, uhkij, uhkji, euSQ float64) (phij, du float64) {
	phij = chij / (chij + chji)
	phji := chji / (chij + chji)
	euCntst := phij*uhkij + phji*uhkji
	euChlg := (1-sj)*uhkij + sj*euCntst
	return phij, euChlg - euSQ
}

// round4 rounds to four decimals on [0, 1] (smp.cpp interpBrgnSnPm).
func round4(x float64) float64 {
	const s = 10000.0
	return float64(int64(0.5+(x*s))) / s
}

// interpolate is the bargain i proposes to j when i believes it wins with
// probability prbI (smp.cpp SMPActor::interpolateBrgn).
func (e *engine) interpolate(s *state, i, j int, prbI, prbJ float64) bargain {
	d := e.in.d
	b := bargain{init: i, rcvr: j, pInit: make([]float64, d), pRcvr: make([]float64, d)}
	for k := 0; k < d; k++ {
		tik, sik := s.pos[i*d+k], e.in.sal[i*d+k]
		tjk, sjk := s.pos[j*d+k], e.in.sal[j*d+k]
		switch e.set.InterVecBrgn {
		case 2: // S2PMax
			di := math.Max(prbJ-prbI, 0)
			dj := math.Max(prbI-prbJ, 0)
			sik2, sjk2 := sik*sik, sjk*sjk
			dik := (di * sjk2) / ((di * sjk2) + minW + ((1 - di) * sik2))
			djk := (dj * sik2) / ((dj * sik2) + minW + ((1 - dj) * sjk2))
			b.pInit[k] = tik + dik*(tjk-tik)
			b.pRcvr[k] = tjk + djk*(tik-tjk)
		default: // S1P1, S2P2
			wsi, wpi, wsj, wpj := sik, prbI, sjk, prbJ
			if e.set.InterVecBrgn == 1 {
				wsi, wpi, wsj, wpj = sik*sik, prbI*prbI, sjk*sjk, prbJ*prbJ
			}
			wik, wjk := wsi*wpi, wsj*wpj
			bi := ((wik+minW)*tik + wjk*tjk) / (wik + minW + wjk)
			bj := (wik*tik + (minW+wjk)*tjk) / (wik + minW + wjk)
			if e.diag != nil {
				for _, x := range []float64{bi, bj} {
					f := x*1e4 - math.Floor(x*1e4)
					e.diag.note(&e.diag.roundGap, math.Abs(f-0.5))
				}
			}
			b.pInit[k], b.pRcvr[k] = round4(bi), round4(bj)
		}
	}
	return b
}

// challengeScratch is one goroutine's working memory for challenge: h's
// utilities (ut, row by row as needed, and diag) and the targets in order
// of their bound.
type challengeScratch struct {
	ut, diag, bound, suffix []float64
	targets                 []int
	cut                     gainCut
	// order lists the third parties for screen by decreasing bound
	// (key, as in suffix); orderSuffix[k] sums the bounds from order[k]
	// on; oW, oUi, oDiag and oR are, in that order, their weights, the
	// challenger's estimates of their utilities for its position and
	// their own, and of their risk attitudes.
	order                                []int
	key, orderSuffix, oW, oUi, oDiag, oR []float64
	buckets, tbuckets, tmp               []int
	// For searchByGroups: oX lists the third parties' ideals in screen's
	// order; gain[j] is U_ii − U_ij; cands are the candidate targets, in
	// order of position (lone those that cannot be grouped); nodes
	// the groups of them still to search; member marks a group's
	// candidates.
	oX          []float64
	gain        []float64
	cands, lone []int
	nodes       []targetGroup
	member      []bool
}

// bucketsDescending reorders idx by decreasing key into nb buckets of
// equal width between the smallest and largest key (a counting sort,
// O(n)): keys in a higher bucket are never smaller than keys in a lower
// one, and within a bucket idx keeps its order. It returns where each
// bucket starts in idx (buckets[b] to buckets[b+1], highest keys first),
// in starts, which it reuses; tmp is scratch. A NaN key goes to the
// last bucket.
func bucketsDescending(idx []int, key []float64, nb int, starts []int, tmp *[]int) []int {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, m := range idx {
		if key[m] < lo {
			lo = key[m]
		}
		if key[m] > hi {
			hi = key[m]
		}
	}
	starts = slices.Grow(starts[:0], nb+1)[:nb+1]
	clear(starts)
	bucket := func(x float64) int {
		f := (hi - x) / (hi - lo) * float64(nb)
		if !(f >= 0) || math.IsInf(hi-lo, 0) || hi == lo {
			if f < 0 || x == hi {
				return 0
			}
			return nb - 1
		}
		return min(int(f), nb-1)
	}
	for _, m := range idx {
		starts[bucket(key[m])+1]++
	}
	for b := 1; b <= nb; b++ {
		starts[b] += starts[b-1]
	}
	*tmp = slices.Grow((*tmp)[:0], len(idx))[:len(idx)]
	next := append([]int(nil), starts[:nb]...)
	for _, m := range idx {
		b := bucket(key[m])
		(*tmp)[next[b]] = m
		next[b]++
	}
	copy(idx, *tmp)
	return starts
}

// orderParties fills key[m], third party m's bound on what it adds to
// challenger i's coalition (gainCut) with the rounding of its vote, and
// order and its companions, for i, whose utilities (row i of ut, diag)
// are in place.
func (sc *challengeScratch) orderParties(e *engine, td *turnData, i int) {
	n := len(sc.diag)
	ui, r := sc.ut[i*n:(i+1)*n], td.rEst[i*n:(i+1)*n]
	sc.order = sc.order[:0]
	for m := 0; m < n; m++ {
		sc.key[m] = e.weight[m] * (max(0, sc.diag[m]-ui[m], 1-sc.diag[m]) + td.voteTol)
		sc.order = append(sc.order, m)
	}
	// Roughly by decreasing bound (a bucket sort): any order is correct,
	// and this one makes the bound of the rest fall fast.
	sc.buckets = bucketsDescending(sc.order, sc.key, 64, sc.buckets, &sc.tmp)
	rest := 0.0
	for k := n - 1; k >= 0; k-- {
		m := sc.order[k]
		rest += sc.key[m]
		sc.orderSuffix[k] = rest
		sc.oW[k], sc.oUi[k], sc.oDiag[k], sc.oR[k] = e.weight[m], ui[m], sc.diag[m], r[m]
		if e.in.d == 1 {
			sc.oX[k] = td.ideal[m]
		}
	}
}

func newChallengeScratch(n int) *challengeScratch {
	return &challengeScratch{ut: make([]float64, n*n), diag: make([]float64, n), bound: make([]float64, n),
		suffix: make([]float64, n), targets: make([]int, 0, n), key: make([]float64, n),
		orderSuffix: make([]float64, n), order: make([]int, 0, n), oW: make([]float64, n), oUi: make([]float64, n),
		oDiag: make([]float64, n), oR: make([]float64, n), oX: make([]float64, n), gain: make([]float64, n), member: make([]bool, n)}
}

// bestTarget is actor i's most advantageous target: the j with the
// largest expected gain ΔEU^i_i(i→j) above 10⁻⁵, the first such j on ties
// (smpbcn.cpp SMPState::bestChallenge), with i's estimate of its
// probability of winning; -1 if there is none. Each candidate costs O(n)
// (every third party's vote), so the candidates are taken in decreasing
// order of a bound on their gain, and the search stops once no remaining
// bound reaches the best gain found: the same target as a full search.
// With the challenger's own utilities U_ii of its position and U_ij of
// j's, the gain of S9 is (U_ii − U_ij)(1 − 2 S_j (1 − P_ij)), linear in
// the probability P_ij of winning, so it is at most its larger value at
// P = 0 or P = 1 (plus 10⁻¹² for rounding).
func (e *engine) bestTarget(td *turnData, i int, sc *challengeScratch) (bestJ int, bestP, bestEU float64) {
	n := e.in.n
	ut, diag := sc.ut, sc.diag
	e.perspectiveRow(td, i, i, ut)
	e.perspectiveDiag(td, i, diag)
	bestJ, bestEU = -1, -1.0
	if e.diag != nil || e.plain {
		// Every target, as KTAB; the diagnostics want the runner-up.
		second := math.Inf(-1)
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			e.perspectiveRow(td, i, j, ut)
			p, edu := e.probEduChlg(ut, diag, i, i, j)
			if minSigEDU < edu && bestEU < edu {
				second = bestEU
				bestJ, bestP, bestEU = j, p, edu
			} else {
				second = math.Max(second, edu)
			}
		}
		if e.diag != nil && bestJ >= 0 {
			e.diag.note(&e.diag.targetGap, bestEU-second)
		}
		return bestJ, bestP, bestEU
	}
	best := challengeTarget{j: -1, gain: -1}
	uii := ut[i*n+i]
	r := td.rEst[i*n+i]
	cut := &sc.cut
	if e.set.VotingRule == 2 && e.set.ThirdParty == 1 {
		sc.orderParties(e, td, i) // fills key, each third party's bound
		rest := 0.0
		for m := n - 1; m >= 0; m-- {
			rest += sc.key[m]
			sc.suffix[m] = rest
		}
		cut.suffix = sc.suffix
	} else {
		cut = nil
	}
	if cut != nil && e.in.d == 1 {
		return e.searchByGroups(td, i, sc)
	}
	sc.targets = sc.targets[:0]
	for j := 0; j < n; j++ {
		if j == i {
			continue
		}
		g := uii - bsUtil(td.vdiffT[j*n+i], r) // U_ii − U_ij; U_ij = ut[j*n+i]
		sc.bound[j] = gainBound(g, e.sumSal[j])
		sc.targets = append(sc.targets, j)
	}
	// The targets by decreasing bound, sorted one bucket at a time as the
	// search reaches it (the search usually stops in the first buckets).
	sc.tbuckets = bucketsDescending(sc.targets, sc.bound, 256, sc.tbuckets, &sc.tmp)
	sorted := 0
	for x, j := range sc.targets {
		for x >= sorted {
			// The end of the bucket holding x: the first start beyond x.
			b, _ := slices.BinarySearch(sc.tbuckets, x+1)
			end := sc.tbuckets[b]
			slices.SortFunc(sc.targets[x:end], func(a, b int) int {
				if c := cmp.Compare(sc.bound[b], sc.bound[a]); c != 0 {
					return c
				}
				return a - b
			})
			sorted = end
		}
		j = sc.targets[x]
		if ub := sc.bound[j]; ub <= minSigEDU || ub < best.gain {
			break
		}
		e.consider(td, sc, i, j, cut, &best)
	}
	return best.j, best.p, best.gain
}

// challengeTarget is a challenge target j, i's probability p of winning
// against it and i's expected gain.
type challengeTarget struct {
	j       int
	p, gain float64
}

// consider counts i's challenge of j exactly (probEduChlgCut), unless
// cut is set and the screen rules it out, and keeps it in best if its
// gain is above 10⁻⁵ and the largest so far, or equal to it from an
// earlier actor (smpbcn.cpp bestChallenge).
func (e *engine) consider(td *turnData, sc *challengeScratch, i, j int, cut *gainCut, best *challengeTarget) {
	if cut != nil {
		cut.reach = best.gain
		if e.screen(td, sc, i, j) {
			return
		}
	}
	e.perspectiveRow(td, i, j, sc.ut)
	p, edu := e.probEduChlgCut(sc.ut, sc.diag, i, i, j, cut)
	if minSigEDU < edu && (best.gain < edu || best.gain == edu && j < best.j) {
		*best = challengeTarget{j, p, edu}
	}
}

// challenge is actor i's turn: pick the most advantageous target and
// propose bargains (smpbcn.cpp SMPState::doBCN(i), bestChallenge).
func (e *engine) challenge(s *state, td *turnData, i int, sc *challengeScratch) []bargain {
	bestJ, bestP, bestEU := e.bestTarget(td, i, sc)
	if bestJ < 0 || bestEU <= 0 {
		return nil
	}
	j := bestJ
	bIIJ := e.interpolate(s, i, j, bestP, 1-bestP)
	if e.set.BargainModel == 0 {
		return []bargain{bIIJ}
	}
	// KTAB labels this "j's estimate of the probability that i defeats j"
	// but reads the second element of probEduChlg(j, i, i, j), which is
	// j's estimate of the change in i's utility (smpbcn.cpp doBCN, pjiJ).
	// Parley reproduces that.
	e.perspectiveRow(td, j, i, sc.ut)
	e.perspectiveRow(td, j, j, sc.ut)
	e.perspectiveDiag(td, j, sc.diag)
	_, pj := e.probEduChlg(sc.ut, sc.diag, i, i, j)
	bJIJ := e.interpolate(s, i, j, pj, 1-pj)
	if e.set.BargainModel == 1 {
		return []bargain{bIIJ, bJIJ}
	}
	// Power-weighted compromise. KTAB weighs j's proposal with i's
	// capability times j's salience total (smpbcn.cpp doBCN: scj is read
	// from brgnJIJ->actInit); Parley keeps that.
	wi := e.in.cap[i] * e.sumSal[i]
	wj := e.in.cap[i] * e.sumSal[j]
	d := e.in.d
	b := bargain{init: i, rcvr: j, pInit: make([]float64, d), pRcvr: make([]float64, d)}
	for k := 0; k < d; k++ {
		b.pInit[k] = (wi*bIIJ.pInit[k] + wj*bJIJ.pInit[k]) / (wi + wj)
		b.pRcvr[k] = (wi*bIIJ.pRcvr[k] + wj*bJIJ.pRcvr[k]) / (wi + wj)
	}
	return []bargain{b}
}

// step plays one turn from s and returns the next state (smpbcn.cpp
// SMPState::doBCN, updateBestBrgnPositions; smp.cpp newIdeals).
func (e *engine) step(s *state, turn int) (*state, error) {
	n, d := e.in.n, e.in.d
	td, err := e.utilities(s)
	if err != nil {
		return nil, err
	}
	props := make([][]bargain, n)
	pool := sync.Pool{New: func() any {
		return newChallengeScratch(n)
	}}
	numeric.ParallelFor(n, e.workers, func(i int) {
		if e.ctx.Err() != nil {
			return
		}
		sc := pool.Get().(*challengeScratch)
		props[i] = e.challenge(s, td, i, sc)
		pool.Put(sc)
	})
	if err := e.ctx.Err(); err != nil {
		return nil, err
	}
	// Each actor's bargains: its status quo first, then every proposal it
	// initiates or receives, by initiator.
	lists := make([][]*bargain, n)
	for k := 0; k < n; k++ {
		lists[k] = []*bargain{{init: k, rcvr: k}}
	}
	for i := 0; i < n; i++ {
		for x := range props[i] {
			b := &props[i][x]
			lists[i] = append(lists[i], b)
			lists[b.rcvr] = append(lists[b.rcvr], b)
		}
	}
	// Own utility of the current positions, aUtil[a](a, m), their sum
	// and each actor's average utility if nothing changes.
	own := make([]float64, n*n)
	ownSum, sqU := make([]float64, n), make([]float64, n)
	for a := 0; a < n; a++ {
		r := td.rEst[a*n+a]
		u := 0.0
		for m := 0; m < n; m++ {
			own[a*n+m] = bsUtil(td.vdiff[a*n+m], r)
			u += own[a*n+m]
		}
		ownSum[a], sqU[a] = u, u/float64(n)
	}
	// Every actor's average utility for every proposal, computed once
	// though a proposal is in both parties' lists.
	var all []*bargain
	for i := range props {
		for j := range props[i] {
			all = append(all, &props[i][j])
		}
	}
	numeric.ParallelFor(len(all), e.workers, func(x int) {
		if e.ctx.Err() != nil {
			return
		}
		col := make([]float64, n)
		for a := 0; a < n; a++ {
			col[a] = e.bargainUtil(s, td, own, ownSum, a, *all[x])
		}
		all[x].util = col
	})
	if err := e.ctx.Err(); err != nil {
		return nil, err
	}
	next := &state{pos: make([]float64, n*d), ideal: make([]float64, n*d), partner: make([]int, n)}
	// Each actor's election among its options. An actor with many (the
	// target of many challenges) is elected after the others, with its
	// pairs of options shared among the workers; the rest one actor per
	// worker at a time.
	resolve := func(k, workers int) {
		bs := lists[k]
		rows := make([][]float64, len(bs))
		for m, b := range bs {
			rows[m] = sqU
			if b.init != b.rcvr {
				rows[m] = b.util
			}
		}
		p := rowsPCE(e.ctx, e.set, e.in.cap, rows, workers)
		if p == nil {
			return // cancelled: step returns ctx's error
		}
		best := 0
		if e.set.StateTrans == 1 {
			best = probSel(p, e.seed, turn, k)
		} else {
			ma := -1.0
			for m, x := range p {
				if ma < math.Abs(x) {
					best, ma = m, math.Abs(x)
				}
			}
			if e.diag != nil {
				// Only a rival that would put k somewhere else matters.
				second := -1.0
				for m, x := range p {
					if m != best && !slices.Equal(e.outcomeFor(s, k, bs[m]), e.outcomeFor(s, k, bs[best])) {
						second = math.Max(second, math.Abs(x))
					}
				}
				if second >= 0 {
					e.diag.note(&e.diag.optionGap, ma-second)
				}
			}
		}
		b := bs[best]
		next.partner[k] = -1
		switch {
		case b.init == b.rcvr:
		case b.init == k:
			next.partner[k] = b.rcvr
		default:
			next.partner[k] = b.init
		}
		copy(next.pos[k*d:(k+1)*d], e.outcomeFor(s, k, b))
	}
	var crowded []int
	for k, l := range lists {
		if sharedPCE(n, len(l)) {
			crowded = append(crowded, k)
		}
	}
	numeric.ParallelFor(n, e.workers, func(k int) {
		if !sharedPCE(n, len(lists[k])) && e.ctx.Err() == nil {
			resolve(k, 1)
		}
	})
	for _, k := range crowded {
		if e.ctx.Err() != nil {
			break
		}
		resolve(k, e.workers)
	}
	if err := e.ctx.Err(); err != nil {
		return nil, err
	}
	e.newIdeals(s, next)
	return next, nil
}

// outcomeFor is k's position if bargain b (one of k's options) is
// carried out.
func (e *engine) outcomeFor(s *state, k int, b *bargain) []float64 {
	d := e.in.d
	switch {
	case b.init == b.rcvr:
		return s.pos[k*d : (k+1)*d]
	case b.init == k:
		return b.pInit
	default:
		return b.pRcvr
	}
}

// bargainUtil is actor a's average utility over all actors' positions if
// bargain b is carried out (smpbcn.cpp updateBestBrgnPositions brgnUtil):
// its utilities of the bargain's two new positions and of everyone else's
// current one. KTAB sums the n terms for every actor and bargain; Parley
// takes a's utilities of all current positions, summed once (ownSum),
// less the two that move: O(1) instead of O(n), equal in exact arithmetic.
func (e *engine) bargainUtil(s *state, td *turnData, own, ownSum []float64, a int, b bargain) float64 {
	n, d := e.in.n, e.in.d
	row := own[a*n : (a+1)*n]
	if b.init == b.rcvr {
		return ownSum[a] / float64(n)
	}
	idl, sa, r := s.ideal[a*d:(a+1)*d], e.in.sal[a*d:(a+1)*d], td.nra[a]
	u := bsUtil(bvDiff(idl, b.pInit, sa), r) + bsUtil(bvDiff(idl, b.pRcvr, sa), r)
	return (u + (ownSum[a] - row[b.init] - row[b.rcvr])) / float64(n)
}

// newIdeals moves each ideal toward the new positions by the
// accommodation matrix (smp.cpp SMPState::newIdeals); with the identity
// matrix ideals equal positions.
func (e *engine) newIdeals(old, next *state) {
	n, d := e.in.n, e.in.d
	if e.in.acc == nil {
		copy(next.ideal, next.pos)
		return
	}
	for i := 0; i < n; i++ {
		si := 0.0
		ip := make([]float64, d)
		for j := 0; j < n; j++ {
			a := e.in.acc[i*n+j]
			si += a
			for k := 0; k < d; k++ {
				ip[k] += a * next.pos[j*d+k]
			}
		}
		lag := 1.0 - math.Min(si, 1)
		for k := 0; k < d; k++ {
			next.ideal[i*d+k] = ip[k] + lag*old.ideal[i*d+k]
		}
	}
}

// probSel draws an index with probabilities p, from a generator seeded by
// (seed, turn, actor) so the draw does not depend on the worker count.
func probSel(p []float64, seed uint64, turn, k int) int {
	r := rand.New(rand.NewPCG(seed, uint64(turn)<<32|uint64(k)))
	x := r.Float64()
	for i, pi := range p {
		x -= pi
		if x < 0 {
			return i
		}
	}
	return len(p) - 1
}

// stateDist is Σ_i ‖x_i − y_i‖ (smp.cpp SMPModel::stateDist).
func stateDist(d int, a, b []float64) float64 {
	sum := 0.0
	for i := 0; i < len(a); i += d {
		s := 0.0
		for k := 0; k < d; k++ {
			x := a[i+k] - b[i+k]
			s += x * x
		}
		sum += math.Sqrt(s)
	}
	return sum
}

// run plays turns until KTAB's stopping rule holds, settled reports true
// for the history so far, or maxTurns turns have been played. It returns
// every state (turn 0 first) and whether a rule (rather than the turn
// limit) ended the run (smp.cpp smpStopFn). settled may be nil.
func (e *engine) run(maxTurns int, settled func([]*state) bool) ([]*state, bool, error) {
	n, d := e.in.n, e.in.d
	if e.ctx == nil {
		e.ctx = context.Background()
	}
	e.sumSal, e.weight = make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		for k := 0; k < d; k++ {
			e.sumSal[i] += e.in.sal[i*d+k]
		}
		e.weight[i] = e.sumSal[i] * e.in.cap[i]
	}
	s0 := &state{pos: append([]float64(nil), e.in.pos...), ideal: append([]float64(nil), e.in.pos...)}
	hist := []*state{s0}

	for iter := 1; iter <= maxTurns; iter++ {
		if err := e.ctx.Err(); err != nil {
			return hist, false, err
		}
		s1, err := e.step(hist[len(hist)-1], iter)
		if err != nil {
			return hist, false, err
		}
		hist = append(hist, s1)
		d01 := stateDist(d, hist[0].pos, hist[1].pos) + minSigDelta
		dxy := stateDist(d, hist[iter].pos, hist[iter-1].pos)
		if e.diag != nil && iter >= minIter {
			e.diag.note(&e.diag.stop, math.Abs(dxy/d01-minDeltaRatio))
		}
		if iter >= minIter && dxy/d01 < minDeltaRatio {
			return hist, true, nil
		}
		if settled != nil && settled(hist) {
			return hist, true, nil
		}
	}
	return hist, false, nil
}
