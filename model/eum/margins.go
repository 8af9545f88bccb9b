package eum

import (
	"math"
	"sync"
)

// scholzMargins records, over a run of the scholz variant, how close its
// decisions come to the point where rounding could turn them the other
// way (docs/models/eum.md §6). Each field is the smallest seen:
//   - offer: the distance, in the max norm, from an actor's
//     (E(U_ij), E(U_ji)) to the nearest boundary of its octant class
//     (confrontation, compromise, none), relative to the larger of the
//     two, over the pairs whose expected utilities depend on the vote
//     totals (s_i or s_j > 0: the target's salience weighs the
//     probability of success);
//   - key: the relative gap between the key of an actor's chosen
//     compromise and that of the nearest rival compromise at another
//     position (a confrontation's key, the distance to the partner,
//     depends on the positions alone);
//   - median: a vote of the median's walk relative to the sum of its
//     terms' sizes, over the votes that are not exactly 0;
//   - risk: (max − min)/(|max| + |min|) of the danger levels.
//
// ties counts the median's votes that are exactly 0.
type scholzMargins struct {
	mu                       sync.Mutex
	offer, key, median, risk float64
	ties                     int
}

func newScholzMargins() *scholzMargins {
	inf := math.Inf(1)
	return &scholzMargins{offer: inf, key: inf, median: inf, risk: inf}
}

// smallest is the smallest of the margins.
func (g *scholzMargins) smallest() float64 {
	return math.Min(math.Min(g.offer, g.key), math.Min(g.median, g.risk))
}

func (g *scholzMargins) note(field *float64, v float64) {
	g.mu.Lock()
	*field = math.Min(*field, v)
	g.mu.Unlock()
}

// noteRisk notes the spread of the danger levels.
func (g *scholzMargins) noteRisk(lo, hi float64) {
	if g != nil && hi > lo {
		g.note(&g.risk, (hi-lo)/(math.Abs(hi)+math.Abs(lo)))
	}
}

// noteMedian notes the vote of p against the current median m.
func (g *scholzMargins) noteMedian(st *scholzState, m, p, votes float64) {
	if g == nil {
		return
	}
	if votes == 0 {
		g.mu.Lock()
		g.ties++
		g.mu.Unlock()
		return
	}
	var size float64
	for k := range st.x {
		size += math.Abs(st.c[k] * st.s[k] * (math.Abs(st.x[k]-m)/st.span - math.Abs(st.x[k]-p)/st.span))
	}
	g.note(&g.median, math.Abs(votes)/size)
}

// noteOffers notes the margins of actor i's offers, at distinct position u,
// from the row's scratch as offersAt left it.
func (g *scholzMargins) noteOffers(st *scholzState, sc *rowScratch, u, i int, uSQ float64) {
	chosen := st.offer[i]
	offer, key := math.Inf(1), math.Inf(1)
	_, _, chosenKey := classify(st.x, i, chosen.partner, chosen.eu, chosen.otherEU)
	for v := range st.vals {
		if v == u {
			continue
		}
		for _, j := range st.actorsAt(v) {
			eij, eji := st.euFrom(j, sc.pFor[v], sc.own[v].success, sc.own[v].failure, uSQ), sc.euJI[v]
			if st.s[i] != 0 || st.s[j] != 0 {
				offer = math.Min(offer, classMargin(eij, eji)/math.Max(math.Abs(eij), math.Abs(eji)))
			}
			if kind, _, k := classify(st.x, i, j, eij, eji); chosen.kind == Compromise && kind == Compromise && st.x[j] != st.x[chosen.partner] {
				key = math.Min(key, math.Abs(k-chosenKey)/math.Max(math.Abs(chosenKey), tiny))
			}
		}
	}
	g.note(&g.offer, offer)
	g.note(&g.key, key)
}

// classMargin is the distance, in the max norm, from (a, b) =
// (E(U_ij), E(U_ji)) to the nearest point of another class of the octant
// test: confrontation b > a > 0, compromise b > 0 > a with b > −a, or
// neither.
func classMargin(a, b float64) float64 {
	// Distances to the confrontation and compromise regions from outside.
	toConf := math.Max(math.Max(-a, -b), (a-b)/2)
	toComp := math.Max(math.Max(a, -b), (-a-b)/2)
	switch {
	case b > a && a > 0: // leave by a = 0 (into compromise) or b = a
		return math.Min(a, (b-a)/2)
	case b > 0 && 0 > a && b > -a: // leave by a = 0 or b = −a
		return math.Min(-a, (a+b)/2)
	}
	return math.Max(0, math.Min(toConf, toComp))
}
