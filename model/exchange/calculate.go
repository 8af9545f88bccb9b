package exchange

import "math"

// This file works one exchange out, as Decide's Equal Gain calculate and
// check_nbs do, and updates it after another exchange is realised (Decide's
// recalculate). The formulas it uses are in equations.go.

// calculate works exchange e out: its moves, gain and validity. In
// Decide's decimals (equal gain, exact) the decimals settle what float64
// cannot tell; with p > 0 Decide's randomised equal gain then redraws the
// exchange rate (randomised.go).
func (g *engine) calculate(e *exch) {
	g.calcFloat(e)
	if g.ex8 != nil {
		g.adoptExact(e)
		if g.pOn && e.preValid {
			g.randomise(e)
		}
	}
}

// calcFloat finds the exchange's moves in float64: first j moves all the
// way to i's position on j's supply issue; if i's matching move would
// overshoot j's position, i moves all the way instead and j's move is
// scaled down. Then the outcomes are checked not to pass the partner's
// position (checkNBS).
func (g *engine) calcFloat(e *exch) {
	i, j := &e.i, &e.j
	e.decOK, e.ambiguous, e.swapped = false, false, false
	dj := g.shiftFor(j, i.demX-j.x) // shift of the outcome on j's supply issue
	di := g.partnerShift(e, j, dj)  // on i's supply issue
	i.move = g.moveFor(i, di)
	j.move = math.Abs(i.demX - j.x)
	if math.Abs(math.Abs(i.move)-math.Abs(j.demX-i.x)) < noise {
		e.ambiguous = true
	}
	if math.Abs(i.move) > math.Abs(j.demX-i.x) {
		e.swapped = true
		di = g.shiftFor(i, j.demX-i.x)
		dj = g.partnerShift(e, i, di)
		i.move = math.Abs(j.demX - i.x)
		j.move = g.moveFor(j, dj)
	}
	if i.x > j.demX {
		i.move = -i.move
	}
	if j.x > i.demX {
		j.move = -j.move
	}
	i.push(i.move)
	j.push(j.move)
	i.y = i.x + i.move
	j.y = j.x + j.move
	e.setGain(di, dj)
	e.valid = i.validMove(i.move) && j.validMove(j.move)
	if e.gain < minGain {
		e.valid = false
	}
	e.preValid = e.valid
	if !e.valid {
		return
	}
	// Each check that cuts the moves sets e.valid from both sides'
	// moves as they then are, so e.valid needs no second look here.
	g.checkNBS(e, i)
	g.checkNBS(e, j)
}

// checkNBS is Decide's guard that a's move does not push the outcome of
// its supply issue past the partner's position there. If the outcome
// would pass it, a's move is cut so that the outcome lands on the
// partner's position and the partner's move is scaled to match.
func (g *engine) checkNBS(e *exch, a *side) {
	b := a.opposite
	// adjustedNBS at a.x and at a.y, summing the others' terms once.
	var n0, n1 float64
	if a.den != 0 {
		num := g.othersNum(e, a)
		n0, n1 = g.nbsWith(num, a, a.x), g.nbsWith(num, a, a.y)
	}
	x := b.demX
	if math.Abs(x-n0) < noise || math.Abs(x-n1) < noise {
		e.ambiguous = true
	}
	d0, d1 := snap(x-n0), snap(x-n1)
	a.nbs0, a.nbs1 = n0, n1
	if (d0 >= 0 && d1 >= 0) || (d0 <= 0 && d1 <= 0) {
		return
	}
	delta := math.Abs(g.moveToward(e, a, x))
	da := g.shiftFor(a, delta)
	db := g.partnerShift(e, a, da)
	b.move = math.Abs(g.moveFor(b, db))
	a.move = delta
	if b.x > a.demX {
		b.move = -b.move
	}
	if a.x > b.demX {
		a.move = -a.move
	}
	b.pop()
	a.pop()
	b.push(b.move)
	a.push(a.move)
	b.y = b.x + b.move
	a.y = a.x + a.move
	if a == &e.i {
		e.setGain(da, db)
	} else {
		e.setGain(db, da)
	}
	e.valid = b.validMove(b.move) && a.validMove(a.move)
	a.nbs1 = g.adjustedNBS(e, a, a.y) // Decide's nbs_1 after the cut
}

// snap treats differences within floating-point noise as zero.
func snap(d float64) float64 {
	if math.Abs(d) <= posEps {
		return 0
	}
	return d
}

// recalculate updates exchange e after exchange r was realised: a side
// that supplies the same issue as one of r's sides starts from r's
// voting position, and a side that demands the issue r's other actor
// moved on records that move. Either way e is worked out again.
// It reports whether e was worked out again.
func (g *engine) recalculate(e, r *exch) bool {
	re := e.takeSupply(r)
	re = e.record(&r.j, &r.i, re)
	re = e.record(&r.i, &r.j, re)
	if re {
		g.calculate(e)
	}
	return re
}

// record notes in e the voting position of mover, a side of a realised
// exchange, if a side of e demands what dem (the mover's partner)
// demands. Unless re (e is already to be worked out again), it then
// takes e's last moves back. It reports whether e is to be worked out
// again.
func (e *exch) record(dem, mover *side, re bool) bool {
	if !(sameDemand(dem, &e.j) || sameDemand(dem, &e.i)) {
		return re
	}
	if k := e.findUpdate(dem.dem, mover.actor); k >= 0 {
		// Decide keeps the nearer of the recorded position and the
		// mover's voting position, seen from the mover's start.
		cur := &e.updates[k]
		keep := false
		if cur.posdOK && mover.ydOK {
			if decCmp(mover.startd, cur.posd) <= 0 {
				keep = decCmp(cur.posd, mover.yd) < 0
			} else {
				keep = decCmp(cur.posd, mover.yd) > 0
			}
		} else if mover.start <= cur.pos {
			keep = cur.pos < mover.y
		} else {
			keep = cur.pos > mover.y
		}
		if !keep {
			cur.pos, cur.posd, cur.posdOK = mover.y, mover.yd, mover.ydOK
		}
	} else {
		e.updates = append(e.updates, update{dem.dem, mover.actor, mover.y, mover.yd, mover.ydOK})
	}
	if !re {
		e.i.pop()
		e.j.pop()
	}
	return true
}

func sameDemand(a, b *side) bool { return a.actor == b.actor && a.dem == b.dem }

func sameSupply(a, b *side) bool { return a.actor == b.actor && a.sup == b.sup }

// takeSupply moves e's sides that supply the same issue as a side of r to
// r's voting position there, and reports whether any did.
func (e *exch) takeSupply(r *exch) bool {
	inv := e.i.takeFrom(&r.i, &r.j)
	inv = e.j.takeFrom(&r.i, &r.j) || inv
	if inv {
		e.i.pop()
		e.j.pop()
	}
	return inv
}

// takeFrom moves s to the voting position of ri or else rj if that side
// supplies the same issue as s, and reports whether one did.
func (s *side) takeFrom(ri, rj *side) bool {
	rs := ri
	if !sameSupply(s, rs) {
		if rs = rj; !sameSupply(s, rs) {
			return false
		}
	}
	s.x, s.xd = rs.y, rs.yd
	if n := len(rs.moves); n > 0 {
		s.push(rs.moves[n-1])
	}
	return true
}

// findUpdate returns the index in e.updates of the position of actor on
// issue, or -1.
func (e *exch) findUpdate(issue, actor int) int {
	for k := range e.updates {
		if u := &e.updates[k]; u.issue == issue && u.actor == actor {
			return k
		}
	}
	return -1
}
