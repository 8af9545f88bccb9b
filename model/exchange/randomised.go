package exchange

// This file is Decide's randomised equal gain (its "REX" or p > 0): after
// an exchange is worked out as in equal gain, one of its partners, drawn
// with even odds, wins or loses a random share of the gain, and the
// exchange rate follows from that partner's new gain. p in [0, 1] is the
// share of randomness; p = 0 is equal gain. Decide computes it in its
// 28-digit decimals, after three draws of its one random stream (u, v and
// z), in the order of its equalgain.py (calculate, then
// calculate_maximum_utility and randomized_gain); Parley follows that
// order of operations, so that the stream, and so every later draw and
// tie, stays Decide's. docs/models/exchange.md ("Randomised equal gain")
// states the rules and the places where Decide's code does something other
// than its comments say, which Parley reproduces.

// randomise redraws the exchange rate of e, worked out with p = 0 and
// valid before its outcome checks (Decide draws for such an exchange only).
func (g *engine) randomise(e *exch) {
	g.calcDec(e) // Decide's p = 0 result, in decimals
	u, v := g.rng.Float64(), g.rng.Float64()
	z := decOf(g.rng.Float64())
	euI, euJ := g.maxUtility(e)
	if u < 0.5 {
		g.randomGain(e, &e.i, v, z, euI)
	} else {
		g.randomGain(e, &e.j, v, z, euJ)
	}
}

// maxUtility is Decide's calculate_maximum_utility: the most each partner
// could gain, eu_max, from the outcome shifts if each moved all the way
// to the other's position. It returns i's and j's eu_max.
func (g *engine) maxUtility(e *exch) (euI, euJ dec) {
	i, j := &e.i, &e.j
	// Decide calls a partner Pareto-optimal when its position on its
	// demand issue equals its voting position on its supply issue (two
	// different issues; an exact equality that is rare but happens at the
	// ends of the scales).
	iPO, jPO := decCmp(i.demXd, i.yd) == 0, decCmp(j.demXd, j.yd) == 0
	ti, tj := j.demXd, i.demXd // all the way to the partner's position
	if iPO {
		ti = i.yd
	}
	if jPO {
		tj = j.yd
	}
	dI := decAbs(decSub(g.nbsD(e, i, i.xd), g.nbsD(e, i, ti))) // shift of i's supply outcome (E1, E4)
	dJ := decAbs(decSub(g.nbsD(e, j, j.xd), g.nbsD(e, j, tj)))
	loss1, gain2 := decMul(dJ, j.ssd), decMul(dJ, i.dsd)
	loss2, gain1 := decMul(dI, i.ssd), decMul(dI, j.dsd)
	var over dec
	overSet := false
	if iPO && decSub(gain1, loss1).sign() > 0 {
		over, overSet = decSub(gain2, decMul(decDiv(loss1, j.dsd), i.ssd)), true
	}
	if jPO && decSub(gain2, loss2).sign() > 0 {
		over, overSet = decSub(gain1, decMul(decDiv(loss2, i.dsd), j.ssd)), true
	}
	a, gain, loss := i, gain2, loss1
	if decCmp(gain2, gain1) > 0 {
		a, gain, loss = j, gain1, loss2
	}
	b := a.opposite
	s := decDiv(a.ssd, decAdd(a.ssd, b.dsd))
	d2u1 := decDiv(loss, decMul(s, b.dsd))
	d2u2 := decDiv(gain, decMul(s, a.ssd))
	euB := decSub(decMul(decMul(s, b.dsd), d2u2), loss)
	if overSet && over.sign() != 0 { // Decide tests the decimal's truth: 0 does not overwrite
		euB = over
	}
	euA := decSub(gain, decMul(decMul(s, a.ssd), d2u1))
	if a == i {
		return euA, euB
	}
	return euB, euA
}

// randomGain is Decide's randomized_gain for partner a (drawn by u): with
// v < 0.5 a wins the share p·z of what it could gain beyond the equal gain
// eu (up to euMax), else it loses the share p·z of eu. Its new gain fixes
// the outcome shifts (E5 solved for the partner's shift, E4 for the
// moves): a moves all the way to the partner's position, unless the
// partner's matching move would pass a's position, in which case the
// partner moves all the way and a's move follows.
func (g *engine) randomGain(e *exch, a *side, v float64, z, euMax dec) {
	b := a.opposite
	eu := e.gd
	pz := decMul(g.p, z)
	var ea dec
	if v < 0.5 {
		ea = decAdd(eu, decMul(pz, decSub(euMax, eu)))
	} else {
		ea = decSub(eu, decMul(pz, eu))
	}
	toB := decAbs(decSub(a.xd, b.demXd))
	ma := toB                                          // a's move
	sa := g.ratioD(a, ma)                              // shift on a's supply issue (E4)
	sb := decDiv(decAdd(ea, decMul(sa, a.ssd)), a.dsd) // shift on b's supply issue giving a the gain ea (E5)
	mb := g.reverseD(b, sb)                            // b's move (E4)
	eb := utilityD(b, sb, sa)                          // b's gain (E5)
	if toA := decAbs(decSub(b.xd, a.demXd)); decCmp(decAbs(mb), toA) > 0 {
		// b would pass a's position: b moves all the way, a's move
		// follows from a's gain.
		sb = g.ratioD(b, toA)
		sa = decAbs(decDiv(decSub(ea, decMul(sb, a.dsd)), a.ssd))
		mb = toA
		ma = g.reverseD(a, sa)
		if decCmp(decAbs(ma), toB) < 0 {
			eb = utilityD(b, sb, sa)
			// Decide then tests whether b's move pushes the outcome past
			// a's position, but compares the adjusted outcome with itself,
			// so the test always passes and nothing changes.
		}
		// Otherwise Decide keeps a's longer move and b's gain as they
		// are (its "soft fail").
	} else {
		signed := ma
		if decCmp(a.xd, b.demXd) > 0 {
			signed = decNeg(ma)
		}
		x := b.demXd
		n0, n1 := g.nbsD(e, a, a.xd), g.nbsD(e, a, decAdd(a.xd, signed))
		if c0, c1 := decCmp(x, n0), decCmp(x, n1); !(c0 >= 0 && c1 >= 0 || c0 <= 0 && c1 <= 0) {
			// a's full move pushes the outcome past b's position (Decide's
			// check_nbs): the shifts are those that put the outcome on b's
			// position, and a's move stays the full one, signed.
			sa = g.ratioD(a, decAbs(g.towardD(e, a, x)))
			sb = decDiv(decAdd(ea, decMul(sa, a.ssd)), a.dsd)
			mb = g.reverseD(b, sb)
			eb = utilityD(b, sb, sa)
			ma = signed
		}
	}
	if decCmp(a.xd, b.demXd) > 0 {
		ma = decNeg(ma)
	}
	if decCmp(b.xd, a.demXd) > 0 {
		mb = decNeg(mb)
	}
	a.randomMove(ma)
	b.randomMove(mb)
	// Decide computes both partners' outcomes afresh at the end.
	for _, s := range []*side{a, b} {
		s.nbs0, s.nbs1 = g.adjustedNBS(e, s, s.x), g.adjustedNBS(e, s, s.y)
	}
	e.valid = a.validMove(a.move) && b.validMove(b.move)
	if a == &e.i {
		e.gainI, e.gainJ = ea.float(), eb.float()
	} else {
		e.gainI, e.gainJ = eb.float(), ea.float()
	}
}

// randomMove makes m a's move: its voting position (decimal and float64),
// and the last entry of its move history.
func (a *side) randomMove(m dec) {
	a.yd, a.ydOK = decAdd(a.xd, m), true
	a.y = a.yd.float()
	a.move = a.y - a.x
	if n := len(a.moves); n > 0 {
		a.moves[n-1] = a.move
	}
}
