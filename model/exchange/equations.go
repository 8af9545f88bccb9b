package exchange

import "math"

// This file is the arithmetic of the exchange model of Stokman & Van
// Oosten (1994), "The exchange of voting positions", as Decide computes
// it. The engine works on positions normalised to 0–100 and saliences on
// 0–1, as Decide does. Equations E1–E8 are those of
// docs/models/exchange.md, which relates them to the paper and to
// Decide; beside each formula stands its label and the function of
// Decide's decide/model/calculations.py (or base.py) that computes it.
// exact.go computes the same formulas in Decide's 28-digit decimals.

// nbs is the outcome of issue q, the capability×salience weighted mean of
// the positions pos (E1: O_q = Σ_a c_aq s_aq x_aq / Σ_a c_aq s_aq;
// Decide's nash_bargaining_solution, which it calls the NBS or MDS).
func (st *state) nbs(q int, pos []float64) float64 {
	if st.den[q] == 0 {
		return 0
	}
	var num float64
	for a := 0; a < st.nA; a++ {
		if k := st.at(a, q); st.has[k] {
			num += pos[k] * st.s[k] * st.c[k]
		}
	}
	return num / st.den[q]
}

// adjustedNBS is the outcome of a's supply issue when a votes at pos,
// with the moves e knows of (E1 with some positions replaced; Decide's
// adjusted_nbs): the round's weighted sum with each replaced position's
// difference added.
func (g *engine) adjustedNBS(e *exch, a *side, pos float64) float64 {
	if a.den == 0 {
		return 0
	}
	return g.nbsWith(g.othersNum(e, a), a, pos)
}

// othersNum is the weighted sum of adjustedNBS (E1) before a's own term:
// the round's sum Σ c s x with the differences of the others' positions
// e knows of.
func (g *engine) othersNum(e *exch, a *side) float64 {
	st, q := g.st, a.sup
	num := st.num[q]
	for k := range e.updates {
		if u := &e.updates[k]; u.issue == q && u.actor != a.actor {
			k := st.at(u.actor, q)
			num += (u.pos - st.x[k]) * st.s[k] * st.c[k] // E1: c s Δx
		}
	}
	return num
}

// nbsWith completes adjustedNBS from othersNum's sum num with a at pos
// (a's start, salience and capability are x, s and c of its supply
// issue): E1, (num + c s (pos − x)) / Σ c s.
func (g *engine) nbsWith(num float64, a *side, pos float64) float64 {
	num += (pos - a.start) * a.ss * a.sc
	return num / a.den
}

// moveToward is the move of a on its supply issue that puts the outcome
// there at target, from a's current position and the others' positions as
// e knows them (E1 solved for x_a: x_a = (O Σ c s − Σ_{b≠a} c_b s_b x_b)
// / (c_a s_a); Decide's adjusted_nbs_by_position). A recorded position of
// a itself takes the place of its current one, as in Decide.
func (g *engine) moveToward(e *exch, a *side, target float64) float64 {
	st, q := g.st, a.sup
	all := st.num[q]
	own := false
	for _, u := range e.updates {
		if u.issue == q {
			k := st.at(u.actor, q)
			all += (u.pos - st.x[k]) * st.s[k] * st.c[k]
			own = own || u.actor == a.actor
		}
	}
	if !own {
		k := st.at(a.actor, q)
		all += (a.x - st.x[k]) * st.s[k] * st.c[k]
	}
	return (target*st.den[q] - all) / (a.ss * a.sc)
}

// shiftFor is the shift of the outcome of a's supply issue when a moves
// by |move| (E4: Δo = |Δx| c s / Σ c s; Decide's exchange_ratio and
// by_absolute_move).
func (g *engine) shiftFor(a *side, move float64) float64 {
	return math.Abs(move) * a.ss * a.sc / a.den
}

// moveFor is the move of a that shifts the outcome of its supply issue by
// shift (E4 solved for Δx: Δx = Δo Σ c s / (c s); Decide's reverse_move).
func (g *engine) moveFor(a *side, shift float64) float64 {
	return shift * a.den / (a.sc * a.ss)
}

// partnerShift converts the outcome shift on a's supply issue into the
// shift on the partner's supply issue. Equal gain (E6; Decide's
// by_exchange_ratio): both gain Δa·s_b,dem − Δb·s_b,sup =
// Δb·s_a,dem − Δa·s_a,sup, so Δb = Δa (s_a,sup + s_b,dem)/(s_a,dem +
// s_b,sup). Random rate: the rate Δb/Δa drawn between the two partners'
// break-even rates (E7).
func (g *engine) partnerShift(e *exch, a *side, shift float64) float64 {
	b := a.opposite
	if e.rate < 0 {
		return (a.ss + b.ds) / (a.ds + b.ss) * shift // E6
	}
	r := e.rateFor(a)
	return r * shift // E7
}

// rateFor is, in the random-rate variant, the rate Δb/Δa between the
// outcome shift on the partner's supply issue and that on a's (E7): a
// gains when the rate is at least s_a,sup/s_a,dem, the partner when it is
// at most s_b,dem/s_b,sup; the drawn share picks a point between.
func (e *exch) rateFor(a *side) float64 {
	// The draw is fixed from i's point of view; j's rate is its inverse.
	i := &e.i
	lo := i.ss / i.ds
	hi := i.opposite.ds / i.opposite.ss
	r := lo + e.rate*(hi-lo)
	if a == i {
		return r
	}
	return 1 / r
}

// gains returns each side's utility gain for outcome shifts di on i's
// supply issue and dj on j's (E5: G_i = |Δo_j s_i,dem − Δo_i s_i,sup|;
// Decide's expected_utility): what the partner's move brings on the
// demand issue less what one's own move costs on the supply issue.
func (e *exch) gains(di, dj float64) (gi, gj float64) {
	gi = math.Abs(dj*e.i.ds - di*e.i.ss)
	gj = math.Abs(di*e.j.ds - dj*e.j.ss)
	return gi, gj
}

// setGain sets e's gains for outcome shifts di and dj (E5): under equal
// gain both partners' gain, under random rate their mean.
func (e *exch) setGain(di, dj float64) {
	gi, gj := e.gains(di, dj)
	e.gainI, e.gainJ = gi, gj
	if e.rate < 0 {
		e.gain = gi // equal by construction (E6)
	} else {
		e.gain = (gi + gj) / 2
	}
}

// nextStart is the position a side starts the next round from (E8:
// x' = x + ((1 − s) w_s + w_f)(y − x), Decide's new_start_position): a
// share (1−s)·w_s + w_f of the way from its start position x to its
// voting position y, where s is its salience on the issue (w_s = 0.4
// and w_f = 0.1 by default).
func (g *engine) nextStart(sd *side) float64 {
	k := (1-sd.ss)*g.sw + g.fw
	return k*sd.y + (1-k)*sd.start
}
