package exchange

import "math"

// This file measures what each realised exchange brings every actor, as
// Decide's Externalities observer does (decide/model/observers/
// externalities.py with calculations.actor_externalities): the two
// partners gain the exchange's gain ("own"); every other actor with a
// position on both issues gains or loses by the shifts of the two
// outcomes, weighted by its saliences (E1, E5), and counts as inner when
// it stands in one of the two groups of E3 the partners come from (both
// right of the outcomes or both left; or one left and one right), else as
// outer.

// actorGain is one actor's own gain and externalities in a round, summed
// over the round's realised exchanges, on Decide's 0–100 scales.
type actorGain struct {
	exchanges          float64 // exchanges the actor took part in
	own                float64
	innerPos, innerNeg float64
	outerPos, outerNeg float64
}

// observe adds realised exchange r to the round's gains per actor.
func (g *engine) observe(r *exch) {
	st := g.st
	if len(g.gains) != st.nA {
		g.gains = make([]actorGain, st.nA)
	}
	i, j := &r.i, &r.j
	// The outcomes of the two supply issues before and after each side's
	// move, as Decide last computed them (its nbs_0 and nbs_1).
	i0, i1, j0, j1 := i.nbs0, i.nbs1, j.nbs0, j.nbs1
	p, q := min(i.sup, j.sup), max(i.sup, j.sup) // the issue pair in file order (E3)
	innerSame := g.left[st.at(i.actor, p)] == g.left[st.at(i.actor, q)]
	for a := 0; a < st.nA; a++ {
		ag := &g.gains[a]
		if a == i.actor || a == j.actor {
			ag.own += r.gain
			ag.exchanges++
			continue
		}
		kp, kq := st.at(a, j.sup), st.at(a, i.sup)
		if !st.has[kp] || !st.has[kq] {
			continue // Decide counts 0, which changes no sum
		}
		// The shift on j's supply issue weighs with a's salience there,
		// the shift on i's with its salience there (E5 for a bystander).
		xp, xq := st.x[kp], st.x[kq]
		v := (math.Abs(j0-xp)-math.Abs(j1-xp))*st.s[kp] + (math.Abs(i0-xq)-math.Abs(i1-xq))*st.s[kq]
		inner := (g.left[st.at(a, p)] == g.left[st.at(a, q)]) == innerSame
		switch {
		case v > 0 && inner:
			ag.innerPos += v
		case v > 0:
			ag.outerPos += v
		case inner:
			ag.innerNeg += v
		default:
			ag.outerNeg += v
		}
	}
}
