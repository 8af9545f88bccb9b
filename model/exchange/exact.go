package exchange

import (
	"math"
	"slices"

	"github.com/parley-project/parley/scenario"
)

// Decide computes in Python decimals of 28 significant digits. Two gains
// that are equal in exact arithmetic can come out 1e-27 apart there, and
// Decide's sort orders them by that difference before its tie draw. The
// engine computes in float64 and, in the equal-gain variant with exact=1,
// keeps beside each position the 28-digit decimal Decide holds (type
// dec). It works an exchange out again in decimals, in Decide's own order
// of operations, only when its float64 gain is tied with another it is
// compared with, when a comparison that chooses its branch is within
// noise, and when it is realised (its voting positions then feed
// everything after it). docs/models/exchange.md, "Ties", explains.

// exact is the decimal side of the state.
type exact struct {
	x    []dec // round start positions on 0–100 (Decide's actor issue positions)
	s, c []dec // salience and power
	term []dec // x·s·c at the round's start, in Decide's order of operations
	den  []dec // Σ s·c per issue
	cs   []dec // c·s (Decide's reverse_move divisor)
	// rated is E6's factor (s_a,sup + s_b,sup)/(s_a,dem + s_b,dem) per
	// actors a, b and issues sup, dem: it depends on saliences only, so
	// it is kept for the whole run.
	// The key packs a, b, sup and dem in 16 bits each (ratedKey).
	rated map[uint64]dec
	// E8: Decimal(w_f) and per actor and issue (1 − s)·w_s and
	// 1 − (1 − s)·w_s − w_f, made when first needed.
	fw     dec
	kf, pf []dec
	kfOK   []bool
}

var (
	decZero    = decInt(0)
	decOne     = decInt(1)
	decHundred = decInt(100)
	decTiny    = mkDec(1, 0, -20, false) // Decide's tie threshold 1e-20
)

// newExact reads the scenario's numbers as Decide's reader does: each
// literal exactly, the position mapped to 0–100 by
// Decimal(x − lower) · Decimal(100 / (upper − lower)).
func newExact(sc *scenario.Scenario, st *state) *exact {
	n := st.nA * st.nI
	ex := &exact{x: make([]dec, n), s: make([]dec, n), c: make([]dec, n), term: make([]dec, n), den: make([]dec, st.nI),
		cs: make([]dec, n), rated: make(map[uint64]dec)}
	for q := range sc.Issues {
		is := &sc.Issues[q]
		lo := decFloat(is.Min)
		step := decDiv(decHundred, decSub(decFloat(is.Max), lo))
		den := decZero
		for _, h := range sc.Stakeholders(is.ID) {
			k := st.at(actorIndex(sc, h.ID), q)
			ex.x[k] = decMul(decSub(decFloat(h.Position), lo), step)
			ex.s[k], ex.c[k] = decFloat(h.Salience), decFloat(h.Capability)
			ex.cs[k] = decMul(ex.c[k], ex.s[k])
			den = decAdd(den, decMul(ex.s[k], ex.c[k]))
			st.x[k] = ex.x[k].float()
		}
		ex.den[q] = den
	}
	return ex
}

// startRound computes the x·s·c terms and, per issue, the outcome (E1)
// as Decide does, and marks each actor left of it or not (E3).
func (ex *exact) startRound(st *state, left []bool) {
	for q := 0; q < st.nI; q++ {
		num := decZero
		for a := 0; a < st.nA; a++ {
			if k := st.at(a, q); st.has[k] {
				ex.term[k] = decMul(decMul(ex.x[k], ex.s[k]), ex.c[k])
				num = decAdd(num, ex.term[k])
			}
		}
		if ex.den[q].sign() == 0 {
			continue
		}
		o := decDiv(num, ex.den[q])
		for a := 0; a < st.nA; a++ {
			if k := st.at(a, q); st.has[k] {
				left[k] = decCmp(ex.x[k], o) <= 0
			}
		}
	}
}

// posD is the position of actor b on issue q as exchange e knows it.
func (e *exch) posD(ex *exact, k, q, b int) (dec, bool) {
	for _, u := range e.updates {
		if u.issue == q && u.actor == b {
			return u.posd, true
		}
	}
	return ex.x[k], false
}

// numD is Σ x·s·c over the actors on a's supply issue in Decide's
// order, with the positions e knows of and a at pos: over a recorded
// position of a if override (Decide's adjusted_nbs), else only where none
// is recorded (adjusted_nbs_by_position).
func (g *engine) numD(e *exch, a *side, pos dec, override bool) dec {
	st, ex, q := g.st, g.ex8, a.sup
	num := decZero
	for b := 0; b < st.nA; b++ {
		k := st.at(b, q)
		if !st.has[k] {
			continue
		}
		p, upd := e.posD(ex, k, q, b)
		if b == a.actor && (override || !upd) {
			p, upd = pos, true
		}
		t := ex.term[k]
		if upd {
			t = decMul(decMul(p, ex.s[k]), ex.c[k])
		}
		num = decAdd(num, t)
	}
	return num
}

// nbsD is Decide's adjusted_nbs: the outcome of a's supply issue with
// the positions e knows of and a at pos.
func (g *engine) nbsD(e *exch, a *side, pos dec) dec {
	return decDiv(g.numD(e, a, pos, true), g.ex8.den[a.sup])
}

// towardD is Decide's adjusted_nbs_by_position: the move of a that puts
// the outcome of its supply issue at target (a recorded position of a
// itself takes the place of its current one).
func (g *engine) towardD(e *exch, a *side, target dec) dec {
	st, ex, q := g.st, g.ex8, a.sup
	num := g.numD(e, a, a.xd, false)
	k := st.at(a.actor, q)
	return decDiv(decSub(decMul(target, ex.den[q]), num), decMul(ex.s[k], ex.c[k]))
}

// ratioD is Decide's exchange_ratio and by_absolute_move: the shift of
// the outcome of a's supply issue for a move of |move| (E4).
func (g *engine) ratioD(a *side, move dec) dec {
	return decDiv(decMul(decMul(decAbs(move), a.ssd), a.scd), g.ex8.den[a.sup])
}

// partnerD is Decide's by_exchange_ratio (E6): the shift on the partner's
// supply issue for a shift on a's.
func (g *engine) partnerD(a *side, shift dec) dec {
	if !a.ratedOK { // the factor depends on saliences only
		b := a.opposite
		key := ratedKey(a.actor, b.actor, a.sup, a.dem)
		r, ok := g.ex8.rated[key]
		if !ok {
			r = decDiv(decAdd(a.ssd, b.dsd), decAdd(a.dsd, b.ssd))
			g.ex8.rated[key] = r
		}
		a.rated, a.ratedOK = r, true
	}
	return decMul(a.rated, shift)
}

// ratedKey packs two actors and two issues into a map key (scenarios
// have far fewer than 2^16 of either).
func ratedKey(a, b, sup, dem int) uint64 {
	return uint64(a)<<48 | uint64(b)<<32 | uint64(sup)<<16 | uint64(dem)
}

// reverseD is Decide's reverse_move (E4 solved for the move).
func (g *engine) reverseD(a *side, shift dec) dec {
	ex := g.ex8
	return decDiv(decMul(shift, ex.den[a.sup]), ex.cs[g.st.at(a.actor, a.sup)])
}

// utilityD is Decide's expected_utility(actor, demand, supply) (E5).
func utilityD(a *side, dem, sup dec) dec {
	return decAbs(decSub(decMul(dem, a.ssd), decMul(sup, a.dsd)))
}

// calcDec works exchange e out in decimals as Decide's Equal Gain
// calculate and check_nbs do, from the decimal positions e holds; the
// validity checks are those of the float64 pass.
func (g *engine) calcDec(e *exch) {
	if e.decOK {
		return
	}
	i, j := &e.i, &e.j
	// The moves before the outcome checks depend only on the supply
	// positions (the rest is fixed for the round): reuse them if these
	// are the same decimals as last time.
	if e.core.ok && e.core.ix == i.xd && e.core.jx == j.xd {
		i.yd, j.yd, e.gd = e.core.iy, e.core.jy, e.core.gd
		i.ydOK, j.ydOK = true, true
		g.finishD(e)
		return
	}
	// j moves all the way to i's position unless i's matching move would
	// pass j's; then i moves all the way. Where the float64 pass chose
	// the second outside noise, the first need not be worked out.
	toI, toJ := decAbs(decSub(i.demXd, j.xd)), decAbs(decSub(j.demXd, i.xd))
	var dp, dq, im, jm dec
	swap := e.swapped && !e.ambiguous
	if !swap {
		dp = g.ratioD(j, toI)
		dq = g.partnerD(j, dp)
		im = g.reverseD(i, dq)
		jm = toI
		swap = decCmp(decAbs(im), toJ) > 0
	}
	if swap {
		dq = g.ratioD(i, toJ)
		dp = g.partnerD(i, dq)
		im = toJ
		jm = g.reverseD(j, dp)
	}
	i.moveD(im)
	j.moveD(jm)
	e.gd = decAbs(utilityD(i, dq, dp))
	e.core = coreD{ix: i.xd, jx: j.xd, iy: i.yd, jy: j.yd, gd: e.gd, ok: true}
	g.finishD(e)
}

// finishD runs Decide's outcome checks on both sides of e.
func (g *engine) finishD(e *exch) {
	if e.preValid {
		g.checkD(e, &e.i)
		g.checkD(e, &e.j)
	}
	e.decOK = true
}

// coreD keeps an exchange's decimal moves before the outcome checks,
// with the supply positions they were computed from.
type coreD struct {
	ix, jx, iy, jy, gd dec
	ok                 bool
}

// moveD sets a's voting position for a move of |m| towards the
// partner's position on a's supply issue.
func (a *side) moveD(m dec) {
	if decCmp(a.xd, a.opposite.demXd) > 0 {
		m = decNeg(m)
	}
	a.yd, a.ydOK = decAdd(a.xd, m), true
}

// checkD is Decide's check_nbs in decimals.
func (g *engine) checkD(e *exch, a *side) {
	b := a.opposite
	// The float64 outcomes settle the test unless they are within noise
	// of the partner's position. Outside noise (1e-6) the few ulps by
	// which near() and the float64 sums miss the decimals cannot change
	// the sign, so decimals decide only within it.
	a.nbs0, a.nbs1 = g.adjustedNBS(e, a, a.x), g.adjustedNBS(e, a, a.yd.near())
	f0, f1 := b.demX-a.nbs0, b.demX-a.nbs1
	d0, d1 := sign(f0), sign(f1)
	if math.Abs(f0) < noise {
		d0 = decSub(b.demXd, g.nbsD(e, a, a.xd)).sign()
	}
	if math.Abs(f1) < noise {
		d1 = decSub(b.demXd, g.nbsD(e, a, a.yd)).sign()
	}
	if (d0 >= 0 && d1 >= 0) || (d0 <= 0 && d1 <= 0) {
		return
	}
	delta := decAbs(g.towardD(e, a, b.demXd))
	da := g.ratioD(a, delta)
	db := g.partnerD(a, da)
	bm := decAbs(g.reverseD(b, db))
	b.moveD(bm)
	a.moveD(delta)
	e.gd = decAbs(utilityD(b, db, da))
	a.nbs1 = g.adjustedNBS(e, a, a.yd.near()) // Decide's nbs_1 after the cut
}

// settle gives a realised exchange Decide's decimal voting positions and
// gain, and the float64 values nearest them.
func (g *engine) settle(e *exch) {
	g.takeExact(e)
	g.gain[e.id] = e.gain
}

// takeExact works e out in decimals and makes its float64 moves, voting
// positions and gain the nearest to them.
func (g *engine) takeExact(e *exch) {
	g.calcDec(e)
	for _, s := range []*side{&e.i, &e.j} {
		s.y = s.yd.float()
		s.move = s.y - s.x
		if n := len(s.moves); n > 0 {
			s.moves[n-1] = s.move
		}
	}
	e.gain = e.gd.float()
	if !g.pOn { // randomised equal gain keeps each partner's own gain
		e.gainI, e.gainJ = e.gain, e.gain
	}
}

// cmpExact orders two exchanges whose float64 gains are near by their
// decimal gains, highest first; 0 if these are equal.
func (g *engine) cmpExact(a, b int32) int {
	if a == b {
		return 0
	}
	ea, eb := g.all[a], g.all[b]
	g.calcDec(ea)
	g.calcDec(eb)
	return -decCmp(ea.gd, eb.gd)
}

// tieExact is Decide's tie test: decimal gains less than 1e-20 apart.
func (g *engine) tieExact(a, b int32) bool {
	ea, eb := g.all[a], g.all[b]
	g.calcDec(ea)
	g.calcDec(eb)
	return decCmp(decAbs(decSub(ea.gd, eb.gd)), decTiny) < 0
}

// nextStartD is Decide's new_start_position in decimals (E8), with
// Decimal(w_s) and Decimal(w_f) the exact values of the float weights.
// The factors (1 − s)·w_s and 1 − (1 − s)·w_s − w_f are kept per
// actor and issue.
func (g *engine) nextStartD(sd *side) dec {
	ex := g.ex8
	if ex.kfOK == nil {
		ex.fw = decOf(g.fw)
		ex.kf, ex.pf = make([]dec, len(ex.x)), make([]dec, len(ex.x))
		ex.kfOK = make([]bool, len(ex.x))
	}
	k := g.st.at(sd.actor, sd.sup)
	if !ex.kfOK[k] {
		ex.kfOK[k] = true
		ex.kf[k] = decMul(decSub(decOne, sd.ssd), decOf(g.sw))
		ex.pf[k] = decSub(decSub(decOne, ex.kf[k]), ex.fw)
	}
	swv := decMul(ex.kf[k], sd.yd)
	fwv := decMul(ex.fw, sd.yd)
	pv := decMul(ex.pf[k], sd.startd)
	return decAdd(decAdd(swv, fwv), pv)
}

// headExact puts the exchanges at the head of the sorted list whose
// float64 gains are tied in the order of their decimal gains, as
// Decide's sort does (stably: equal decimals keep their order). Deeper
// in the list the order of tied gains does not matter yet: decimal
// gains that differ fix their order whenever they reach the head, and
// equal ones keep list order in Decide and here alike.
func (g *engine) headExact() {
	n := 1
	for n < len(g.ex) && tied(g.gain[g.ex[0]], g.gain[g.ex[n]]) {
		n++
	}
	if n > 1 {
		slices.SortStableFunc(g.ex[:n], g.cmpExact)
	}
}

func sign(f float64) int {
	switch {
	case f > 0:
		return 1
	case f < 0:
		return -1
	}
	return 0
}

// adoptExact settles an exchange whose float64 pass met a comparison
// within noise: the moves, gain and validity become those of Decide's
// decimals.
func (g *engine) adoptExact(e *exch) {
	if !e.ambiguous || !e.preValid {
		return
	}
	g.takeExact(e)
	e.valid = e.i.validMove(e.i.move) && e.j.validMove(e.j.move)
}
