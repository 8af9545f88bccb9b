package exchange

import (
	"math"
	"math/rand/v2"
)

// Tolerances standing in for Decide's exact decimal arithmetic (28
// significant digits): comparisons that are exact ties in decimals must
// be ties here too.
const (
	posEps  = 1e-9  // positions on 0–100
	minMove = 1e-10 // Decide: a move of at most this is no move
	minGain = 1e-10 // Decide: a gain below this makes no exchange
	noise   = 1e-6  // equal gain: closer than this, decimals decide
)

// side is one partner of an exchange: the actor, the issue it supplies
// (moves on) and the issue it demands (gets the partner to move on).
type side struct {
	actor    int
	sup, dem int
	x        float64 // current position on the supply issue
	start    float64 // position on the supply issue at the round's start
	demX     float64 // position on the demand issue
	ss, sc   float64 // salience and power on the supply issue
	den      float64 // Σ c·s of the supply issue (state.den)
	ds       float64 // salience on the demand issue
	y        float64 // voting position on the supply issue after the exchange
	move     float64
	moves    []float64 // Decide's move history, checked for direction
	opposite *side
	// Equal gain: Decide's decimals of x, start, demX, y and of the
	// salience and power on the supply issue and the salience on the
	// demand issue (see exact.go).
	xd, startd, demXd, yd dec
	ssd, scd, dsd         dec
	rated                 dec  // kept: partnerD's factor
	ydOK, ratedOK         bool // yd and rated are set
	// nbs0 and nbs1 are the outcomes of a's supply issue before and after
	// a's move as Decide last computed them (its nbs_0 and nbs_1), when
	// a's own outcome check ended: a later check of the partner may have
	// moved a since, and a later work-out that stops before the checks
	// leaves them as they were. The externalities of the exchange are
	// measured with them.
	nbs0, nbs1 float64
}

// update is a position on an issue that an exchange takes into account
// because an exchange realised earlier in the round moved it.
type update struct {
	issue, actor int
	pos          float64
	posd         dec // equal gain: Decide's decimal of pos (if posdOK)
	posdOK       bool
}

// exch is a potential exchange between two actors on a pair of issues.
type exch struct {
	i, j    side
	gain    float64
	valid   bool
	updates []update
	// rate is the random-rate variant's drawn exchange rate as a share of
	// the range in which both gain; <0 for equal gain.
	rate  float64
	gainI float64 // random rate: the gains of i and j
	gainJ float64
	id    int32 // index in engine.all
	// Equal gain: the gain in Decide's decimals (valid if decOK), and
	// whether the moves passed the checks before checkNBS.
	gd       dec
	core     coreD
	decOK    bool
	preValid bool
	// ambiguous: a comparison of the float64 pass was within noise, so
	// the decimal pass decides the exchange.
	ambiguous bool
	// swapped: the float64 pass had i move all the way (calculate).
	swapped bool
}

// validMove is Decide's check of a move of side a: it is not tiny, keeps
// the position on the 0–100 scale, the moves so far do not add up past
// 100, and all of them go the same way.
func (a *side) validMove(move float64) bool {
	if m := math.Abs(move); m > 100 || m <= minMove {
		return false
	}
	if p := a.x + move; p < -posEps || p > 100+posEps {
		return false
	}
	// All moves must be negative or all positive: a zero (or NaN) move,
	// or none at all, fails, as min < 0 && max < 0 or min > 0 && max > 0
	// does in Decide.
	var sum float64
	neg, pos, other := false, false, len(a.moves) == 0
	for _, m := range a.moves {
		sum += m
		switch {
		case m < 0:
			neg = true
		case m > 0:
			pos = true
		default:
			other = true
		}
	}
	if sum > 100+posEps {
		return false
	}
	return !other && neg != pos
}

func (a *side) push(m float64) { a.moves = append(a.moves, m) }

func (a *side) pop() {
	if n := len(a.moves); n > 0 {
		a.moves = a.moves[:n-1]
	}
}

// newExch sets up the exchange between actors a and b on issues p and q
// (p before q). The actor whose salience ratio s_p/s_q is the higher
// supplies q and demands p (E2, the paper's conditions (1) and (2)); Decide names it i.
func (g *engine) newExch(a, b, p, q int) *exch {
	st := g.st
	ra := st.s[st.at(a, p)] / st.s[st.at(a, q)]
	rb := st.s[st.at(b, p)] / st.s[st.at(b, q)]
	if ra < rb && !(rb-ra <= 1e-12*rb) { // ra < rb, so |ra−rb| = rb−ra and max(ra, rb) = rb
		a, b = b, a
	}
	e := g.alloc()
	g.setSide(&e.i, a, q, p)
	g.setSide(&e.j, b, p, q)
	e.i.opposite, e.j.opposite = &e.j, &e.i
	if g.random {
		e.rate = g.draw(a, b, p, q)
	}
	return e
}

// setSide makes sd the side of actor that supplies issue sup and demands
// issue dem, at the round's start positions. It sets each field rather
// than the whole side: without decimals (float64 engine) their 300-odd
// bytes are left as they are, unread while ydOK and ratedOK are false
// (with decimals, so are yd and rated).
func (g *engine) setSide(sd *side, actor, sup, dem int) {
	st := g.st
	ks, kd := st.at(actor, sup), st.at(actor, dem)
	sd.actor, sd.sup, sd.dem = actor, sup, dem
	sd.x, sd.start, sd.demX = st.x[ks], st.x[ks], st.x[kd]
	sd.ss, sd.sc, sd.ds, sd.den = st.s[ks], st.c[ks], st.s[kd], st.den[sup]
	sd.y, sd.move, sd.moves = 0, 0, sd.moves[:0]
	sd.ydOK, sd.ratedOK = false, false // yd and rated unread till set
	if ex := g.ex8; ex != nil {
		sd.xd, sd.startd, sd.demXd = ex.x[ks], ex.x[ks], ex.x[kd]
		sd.ssd, sd.scd, sd.dsd = ex.s[ks], ex.c[ks], ex.s[kd]
	}
}

// alloc returns a cleared exchange from the engine's blocks, which are
// kept from round to round (with the capacity of their move and update
// lists) so that a run allocates little. Its sides are left for setSide
// to fill, and its decimal gain and moves are left as they are (decOK
// and core.ok false: unread till set).
func (g *engine) alloc() *exch {
	const size = 256
	b, k := g.used/size, g.used%size
	if b == len(g.blocks) {
		g.blocks = append(g.blocks, make([]exch, size))
	}
	g.used++
	e := &g.blocks[b][k]
	e.gain, e.valid, e.updates = 0, false, e.updates[:0]
	e.rate, e.gainI, e.gainJ, e.id = -1, 0, 0, 0
	e.decOK, e.preValid, e.ambiguous = false, false, false
	e.core.ok = false
	return e
}

// draw gives the random-rate share for an exchange, from a generator
// seeded with the run's seed and the exchange's repetition, round, actors
// and issues, so that it does not depend on the order of evaluation.
func (g *engine) draw(a, b, p, q int) float64 {
	st := g.st
	idx := uint64(g.round)
	for _, v := range []int{a, b, p, q} {
		idx = idx*uint64(max(st.nA, st.nI)+1) + uint64(v)
	}
	// Later repetitions take other streams (the first keeps the stream
	// it always had): the repetition times an odd constant, so that two
	// repetitions of one exchange never share a stream.
	idx ^= uint64(g.rep) * 0x9e3779b97f4a7c15
	var r rand.PCG
	r.Seed(g.seed, idx)
	return float64(r.Uint64()<<11>>11) / (1 << 53) // as rand.New(&r).Float64()
}
