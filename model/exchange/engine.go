package exchange

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
)

// The engine works on positions normalised to 0–100 and saliences on 0–1,
// as Decide does. Equations E1–E8 are those of docs/models/exchange.md,
// which relates them to Stokman & Van Oosten (1994) and to Decide.

// Tolerances standing in for Decide's exact decimal arithmetic (28
// significant digits): comparisons that are exact ties in decimals must
// be ties here too.
const (
	posEps  = 1e-9  // positions on 0–100
	minMove = 1e-10 // Decide: a move of at most this is no move
	minGain = 1e-10 // Decide: a gain below this makes no exchange
	noise   = 1e-6  // equal gain: closer than this, decimals decide
)

// tied reports whether two gains are equal up to floating-point noise;
// Decide calls gains closer than 1e-20 (in 28-digit decimals) a tie.
func tied(a, b float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	m := a
	if b > m {
		m = b
	}
	if m < 0 {
		m = -m
	}
	return d <= 1e-12*m || d < 1e-15
}

// state is the data of one round: per actor a and issue q (index
// a*nI+q) the position, salience and power, and per issue the weight sum.
type state struct {
	nA, nI int
	has    []bool
	x      []float64
	s      []float64
	c      []float64
	den    []float64 // Σ_a c_aq s_aq
	num    []float64 // Σ_a c_aq s_aq x_aq at the round's start
}

func (st *state) at(a, q int) int { return a*st.nI + q }

// nbs is the outcome of issue q, the capability×salience weighted mean of
// the positions (E1), with the positions of pos.
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

// engine runs the rounds of one model run.
type engine struct {
	st     *state
	ex8    *exact    // equal gain: Decide's decimals; nil for random rate
	rng    *pyRandom // tie-breaking stream (Decide's random.random)
	random bool      // random-rate variant
	seed   uint64
	round  int
	sw, fw float64 // salience weight and fixed weight of E8
	// ctx ends the run: play checks it for every pair of issues and every
	// exchange realised.
	ctx context.Context
	// split: cleanID and moved describe the list, not ex.
	split bool
	ties  int
	used  int // exchanges taken from blocks this round
	storage
}

// storage is what the engine keeps from round to round, and a pool from
// run to run (sweeps run the model many times), so that a run allocates
// little.
type storage struct {
	blocks [][]exch // the exchanges
	all    []*exch  // the round's exchanges
	ex     []int32  // Decide's list of exchanges: indices into all
	// Per exchange, copies of what the list operations read: gain,
	// flags (flagInvalid, flagDirty), its keys and how many times it
	// stands in the list.
	gain  []float64
	flag  []uint8
	keys  []exchKeys
	count []int32
	// The round's exchanges by the pairs they supply and demand on, and
	// a mark per exchange against working one out twice for one
	// realised exchange (rework).
	sup, dem pairIndex
	seen     []uint32
	stamp    uint32
	touched  []int32
	// buffers of sortList
	cleanID []int32
	moved   []placed
	ranked  []ranked
	// buffers of sortMoved and radixByGain
	movedBuf []placed
	radix    []ranked
}

// Flags of an exchange in the list operations.
const (
	flagInvalid uint8 = 1 << iota // not (or no longer) a valid exchange
	flagDirty                     // gain or place changed since the last sort
)

// note copies e's gain and validity for the list operations and marks
// it dirty.
func (g *engine) note(e *exch) {
	f := flagDirty
	if !e.valid {
		f |= flagInvalid
	}
	g.gain[e.id], g.flag[e.id] = e.gain, f
}

// pairIndex lists per (actor, issue) pair k the exchanges with a side
// supplying (or demanding) on it: ids[at[k]:at[k+1]].
type pairIndex struct {
	at, ids []int32
}

// build indexes the exchanges of keys by their supply pairs, or by their
// demand pairs if demand, for n pairs.
func (x *pairIndex) build(keys []exchKeys, n int, demand bool) {
	x.at = append(x.at[:0], make([]int32, n+2)...)
	for _, k := range keys {
		a, b := k.pairs(demand)
		x.at[a+2]++
		x.at[b+2]++
	}
	for k := 2; k < len(x.at); k++ {
		x.at[k] += x.at[k-1]
	}
	// Now at[k+1] is where pair k's ids start: fill them from there,
	// which leaves at[k+1] where they end.
	x.ids = append(x.ids[:0], make([]int32, 2*len(keys))...)
	for id, k := range keys {
		a, b := k.pairs(demand)
		x.ids[x.at[a+1]] = int32(id)
		x.at[a+1]++
		x.ids[x.at[b+1]] = int32(id)
		x.at[b+1]++
	}
}

// pairs returns the supply pairs of k, or its demand pairs if demand.
func (k exchKeys) pairs(demand bool) (int32, int32) {
	if demand {
		return k.demI, k.demJ
	}
	return k.supI, k.supJ
}

// of returns the exchanges on pair k.
func (x *pairIndex) of(k int32) []int32 { return x.ids[x.at[k]:x.at[k+1]] }

// exchKeys are the (actor, issue) pairs, as actor·nI + issue, on which
// an exchange's sides supply and demand: a realised exchange changes
// another only through a shared supply pair or a shared demand pair
// (recalculate), so comparing these small ints finds the exchanges to
// work out again without reading the exchanges themselves.
type exchKeys struct {
	supI, supJ, demI, demJ int32
}

// keysOf returns e's supply and demand pairs.
func (st *state) keysOf(e *exch) exchKeys {
	return exchKeys{supI: int32(st.at(e.i.actor, e.i.sup)), supJ: int32(st.at(e.j.actor, e.j.sup)),
		demI: int32(st.at(e.i.actor, e.i.dem)), demJ: int32(st.at(e.j.actor, e.j.dem))}
}

// touches reports whether a realised exchange with keys r can change an
// exchange with keys k: a side of k supplies on a pair a side of r
// supplies on (takeSupply), or demands on a pair a side of r demands on
// (recalculate's updates).
func (k exchKeys) touches(r exchKeys) bool {
	return k.supI == r.supI || k.supI == r.supJ || k.supJ == r.supI || k.supJ == r.supJ ||
		k.demI == r.demI || k.demI == r.demJ || k.demJ == r.demI || k.demJ == r.demJ
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

// adjustedNBS is the outcome of a's supply issue when a votes at pos,
// with the moves e knows of (E1 with some positions replaced): the
// round's weighted sum with each replaced position's difference added.
func (g *engine) adjustedNBS(e *exch, a *side, pos float64) float64 {
	if a.den == 0 {
		return 0
	}
	return g.nbsWith(g.othersNum(e, a), a, pos)
}

// othersNum is the weighted sum of adjustedNBS (E1) before a's own term:
// the round's sum with the differences of the others' positions e knows of.
func (g *engine) othersNum(e *exch, a *side) float64 {
	st, q := g.st, a.sup
	num := st.num[q]
	for k := range e.updates {
		if u := &e.updates[k]; u.issue == q && u.actor != a.actor {
			k := st.at(u.actor, q)
			num += (u.pos - st.x[k]) * st.s[k] * st.c[k]
		}
	}
	return num
}

// nbsWith completes adjustedNBS from othersNum's sum num with a at pos
// (a's start, salience and power are x, s and c of its supply issue).
func (g *engine) nbsWith(num float64, a *side, pos float64) float64 {
	num += (pos - a.start) * a.ss * a.sc
	return num / a.den
}

// moveToward is the move of a on its supply issue that puts the outcome
// there at target, from a's current position and the others' positions as
// e knows them (E1 solved for the change in x_a). A recorded position
// of a itself takes the place of its current one, as in Decide.
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
// by |move| (E4: Δo = |Δx| c s / Σ c s).
func (g *engine) shiftFor(a *side, move float64) float64 {
	return math.Abs(move) * a.ss * a.sc / a.den
}

// moveFor is the move of a that shifts the outcome of its supply issue by
// shift (E4 solved for Δx).
func (g *engine) moveFor(a *side, shift float64) float64 {
	return shift * a.den / (a.sc * a.ss)
}

// partnerShift converts the outcome shift on a's supply issue into the
// shift on the partner's supply issue. Equal gain (E6): both gain
// Δa·s_b,dem − Δb·s_b,sup = Δb·s_a,dem − Δa·s_a,sup, so
// Δb = Δa (s_a,sup + s_b,dem)/(s_a,dem + s_b,sup). Random rate: the rate
// Δb/Δa drawn between the two partners' break-even rates (E7).
func (g *engine) partnerShift(e *exch, a *side, shift float64) float64 {
	b := a.opposite
	if e.rate < 0 {
		return (a.ss + b.ds) / (a.ds + b.ss) * shift
	}
	r := e.rateFor(a)
	return r * shift
}

// rateFor is, in the random-rate variant, the rate Δb/Δa between the
// outcome shift on the partner's supply issue and that on a's: a gains
// when the rate is at least s_a,sup/s_a,dem, the partner when it is at
// most s_b,dem/s_b,sup; the drawn share picks a point between.
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
// supply issue and dj on j's (E5): what the partner's move brings on
// the demand issue less what one's own move costs on the supply issue.
func (e *exch) gains(di, dj float64) (gi, gj float64) {
	gi = math.Abs(dj*e.i.ds - di*e.i.ss)
	gj = math.Abs(di*e.j.ds - dj*e.j.ss)
	return gi, gj
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
// seeded with the run's seed and the exchange's round, actors and issues,
// so that it does not depend on the order of evaluation.
func (g *engine) draw(a, b, p, q int) float64 {
	st := g.st
	idx := uint64(g.round)
	for _, v := range []int{a, b, p, q} {
		idx = idx*uint64(max(st.nA, st.nI)+1) + uint64(v)
	}
	var r rand.PCG
	r.Seed(g.seed, idx)
	return float64(r.Uint64()<<11>>11) / (1 << 53) // as rand.New(&r).Float64()
}

// calculate finds the exchange's moves: first j moves all the way to i's
// position on j's supply issue; if i's matching move would overshoot j's
// position, i moves all the way instead and j's move is scaled down. Then
// the outcomes are checked not to pass the partner's position (checkNBS).
func (g *engine) calculate(e *exch) {
	i, j := &e.i, &e.j
	e.decOK, e.ambiguous, e.swapped = false, false, false
	if g.ex8 != nil {
		defer g.adoptExact(e)
	}
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

func (e *exch) setGain(di, dj float64) {
	gi, gj := e.gains(di, dj)
	e.gainI, e.gainJ = gi, gj
	if e.rate < 0 {
		e.gain = gi // equal by construction (E6)
	} else {
		e.gain = (gi + gj) / 2
	}
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

// byGain orders exchanges a and b by gain, highest first, keeping the
// current order among tied gains (Decide sorts its list stably). Tied
// gains that Decide's decimals tell apart are ordered when they reach
// the head of the list (headExact).
func (g *engine) byGain(a, b int32) int {
	ga, gb := g.gain[a], g.gain[b]
	switch {
	case g.ex8 != nil && tied(ga, gb):
		return g.cmpExact(a, b)
	case tied(ga, gb):
		return 0
	case ga > gb:
		return -1
	}
	return 1
}

// sortList sorts the list stably by gain. Between sorts only the
// exchanges marked dirty change gain or place, and the others stay in
// sorted order, so a stable sort is a merge of the clean run with the
// sorted dirty ones, ties going to the one that stood first. The list
// holds indices into g.all, as Decide's list may hold an exchange twice.
// When split, the list is the clean run cleanID with the moved ones
// placed in it (as refile leaves it); ex is then the old list, at
// least as long, and receives the sorted one.
func (g *engine) sortList() {
	if !g.split {
		g.cleanID, g.moved = g.cleanID[:0], g.moved[:0]
		for _, id := range g.ex {
			g.place(id)
		}
	}
	g.split = false
	gain, clean, moved := g.gain, g.cleanID, g.moved
	n := len(clean) + len(moved)
	switch {
	case len(moved) == 0:
		// The clean run is the sorted list: swap the buffers.
		g.ex, g.cleanID = clean, g.ex[:0]
	case 2*len(moved) > n:
		// A stable sort is a sort by gain, then place: byGain's order
		// with the gains at hand in the sorted items, in list order.
		all := g.ranked[:0]
		ci := 0
		for _, d := range moved {
			for ; ci < int(d.before); ci++ {
				all = append(all, ranked{gain[clean[ci]], clean[ci], int32(len(all))})
			}
			all = append(all, ranked{gain[d.id], d.id, int32(len(all))})
		}
		for ; ci < len(clean); ci++ {
			all = append(all, ranked{gain[clean[ci]], clean[ci], int32(len(all))})
		}
		g.sortRanked(all)
		g.ex = g.ex[:n]
		for k, p := range all {
			g.ex[k] = p.id
		}
		g.ranked = all
	default:
		g.sortMoved()
		g.ex = g.ex[:n]
		out, ci := 0, 0
		for _, d := range moved {
			gd := gain[d.id]
			// Clean exchanges well above d go first; find where they end
			// by bisection (as sort.Search), then compare the rest one by
			// one.
			above := gd + 1e-9*math.Abs(gd) + 1e-12
			lo, hi := ci, len(clean)
			for lo < hi {
				if h := int(uint(lo+hi) >> 1); gain[clean[h]] > above {
					lo = h + 1
				} else {
					hi = h
				}
			}
			out += copy(g.ex[out:], clean[ci:lo])
			ci = lo
			for ci < len(clean) {
				o := g.byGain(clean[ci], d.id)
				// On a tie the one that stood first goes first: clean
				// exchange ci stood after d if d.before clean ones stood
				// before d.
				if o > 0 || (o == 0 && ci >= int(d.before)) {
					break
				}
				g.ex[out] = clean[ci]
				out++
				ci++
			}
			g.ex[out] = d.id
			out++
		}
		copy(g.ex[out:], clean[ci:])
	}
	for _, p := range moved {
		g.flag[p.id] &^= flagDirty
	}
}

// sortMoved sorts the moved exchanges stably by gain (byGain).
func (g *engine) sortMoved() {
	moved := g.moved
	if len(moved) < 2 {
		return
	}
	items := g.ranked[:0]
	for k, p := range moved {
		items = append(items, ranked{g.gain[p.id], p.id, int32(k)})
	}
	g.ranked = items
	if !g.sortClasses(items) {
		slices.SortFunc(items, byPlace)
		slices.SortStableFunc(items, func(a, b ranked) int { return g.byGain(a.id, b.id) })
	}
	buf := append(g.movedBuf[:0], moved...)
	for k, r := range items {
		moved[k] = buf[r.at]
	}
	g.movedBuf = buf
}

// listLen is the length of the list.
func (g *engine) listLen() int {
	if g.split {
		return len(g.cleanID) + len(g.moved)
	}
	return len(g.ex)
}

// place files the exchange that comes next on the list as clean or moved.
func (g *engine) place(id int32) {
	if g.flag[id]&flagDirty != 0 {
		g.moved = append(g.moved, placed{id, int32(len(g.cleanID))})
	} else {
		g.cleanID = append(g.cleanID, id)
	}
}

// ranked is an exchange with its gain and its place in the list.
type ranked struct {
	gain   float64
	id, at int32
}

// sortRanked sorts items given in list order (at = 0, 1, …) as pdqsort
// does by byGainPlace (slices.SortFunc), faster where sortClasses can.
func (g *engine) sortRanked(all []ranked) {
	if !g.sortClasses(all) {
		slices.SortFunc(all, byPlace)
		slices.SortFunc(all, g.byGainPlace)
	}
}

// sortClasses sorts items given in list order (at = 0, 1, …) by byGain,
// ties kept in list order, if that order is total, and reports whether
// it is. byGain is not always one (tied is not transitive), and then a
// sort by it is whatever the sort algorithm makes of its comparisons.
// But where tied is an equivalence on the items' gains, its classes are
// runs of neighbouring gains, and byGain with list order for ties orders
// by class, then (with decimals) by decimal gain, then by place: a total
// order, whose sort is unique. sortClasses checks that, and sorts by
// gain and place, then each class by place and decimal gain. If it
// reports false, the items are sorted by gain and place only.
func (g *engine) sortClasses(all []ranked) bool {
	for _, r := range all {
		if !(r.gain >= 0) { // NaN or negative: not covered by the check
			return false
		}
	}
	if len(all) > 256 {
		g.radixByGain(all)
	} else {
		slices.SortFunc(all, func(a, b ranked) int {
			switch {
			case a.gain > b.gain:
				return -1
			case a.gain < b.gain:
				return 1
			}
			return int(a.at - b.at)
		})
	}
	// For non-negative gains a ≥ b ≥ c, tied(a, c) implies tied(a, b) and
	// tied(b, c). So if each run of neighbours tied in turn has its first
	// and last tied, all gains within a run are tied and none across runs:
	// tied is an equivalence with the runs as classes.
	for k := 0; k < len(all); {
		n := k + 1
		for n < len(all) && (all[n].gain == all[n-1].gain || tied(all[n-1].gain, all[n].gain)) {
			n++
		}
		if n-k == 1 {
			k = n
			continue
		}
		if !tied(all[k].gain, all[n-1].gain) {
			return false
		}
		class := all[k:n]
		slices.SortFunc(class, byPlace)
		if g.ex8 != nil { // in place order: a stable sort by decimal gain
			slices.SortStableFunc(class, func(a, b ranked) int { return g.cmpExact(a.id, b.id) })
		}
		k = n
	}
	return true
}

func byPlace(a, b ranked) int { return int(a.at - b.at) }

// radixByGain sorts items in place order (at = 0, 1, …) with
// non-negative gains by gain, highest first, and equal gains by place:
// a stable radix sort, a byte at a time from the lowest, of the gains'
// bits, which order as the gains do (−0 taken as +0), inverted.
func (g *engine) radixByGain(all []ranked) {
	key := func(r ranked) uint64 {
		if r.gain == 0 {
			return ^uint64(0)
		}
		return ^math.Float64bits(r.gain)
	}
	var at [8][256]int32 // per byte, how many have each value; then where they go
	for _, r := range all {
		k := key(r)
		for b := range at {
			at[b][byte(k>>(8*b))]++
		}
	}
	g.radix = slices.Grow(g.radix[:0], len(all))[:len(all)]
	src, dst := all, g.radix
	for b := range at {
		if at[b][byte(key(src[0])>>(8*b))] == int32(len(src)) {
			continue // one value of this byte: the pass would move nothing
		}
		var sum int32
		for d, c := range at[b] {
			at[b][d] = sum
			sum += c
		}
		shift := 8 * b
		for _, r := range src {
			d := byte(key(r) >> shift)
			dst[at[b][d]] = r
			at[b][d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &all[0] {
		copy(all, src)
	}
}

// byGainPlace orders a and b as byGain does, then by place.
func (g *engine) byGainPlace(a, b ranked) int {
	switch {
	case tied(a.gain, b.gain):
		if g.ex8 != nil {
			if o := g.cmpExact(a.id, b.id); o != 0 {
				return o
			}
		}
		return int(a.at - b.at)
	case a.gain > b.gain:
		return -1
	}
	return 1
}

// placed is a moved exchange with its place in the list: the number of
// clean exchanges before it.
type placed struct {
	id, before int32
}

// next takes the exchange with the highest gain off the list. On a tie
// with the runner-up Decide draws a number: at 0.5 or more the runner-up
// is taken and the first goes to the end of the list; below, the first is
// taken and the runner-up is also appended to the end (so that it stands
// twice in the list, as in Decide).
func (g *engine) next() *exch {
	g.sortList()
	if g.ex8 != nil {
		g.headExact()
	}
	rid := g.ex[0]
	g.ex = g.ex[1:]
	g.count[rid]--
	if len(g.ex) > 0 {
		nid := g.ex[0]
		tie := tied(g.gain[rid], g.gain[nid])
		if tie && g.ex8 != nil {
			tie = g.tieExact(rid, nid)
		}
		if tie {
			g.ties++
			if g.rng.Float64() >= 0.5 {
				g.ex = append(g.ex, rid)
				g.count[rid]++
				g.flag[rid] |= flagDirty
				rid = g.ex[0]
				g.ex = g.ex[1:]
				g.count[rid]--
			} else {
				g.ex = append(g.ex, nid)
				g.count[nid]++
				g.flag[nid] |= flagDirty // it now also stands at the end
			}
		}
	}
	return g.all[rid]
}

// play runs one round on the positions in st.x and returns the realised
// exchanges in order.
func (g *engine) play() ([]*exch, error) {
	st := g.st
	// Which side of the outcome each actor is on, per issue (E3).
	left := make([]bool, len(st.x))
	if g.ex8 != nil {
		g.ex8.startRound(st, left)
	} else {
		for q := 0; q < st.nI; q++ {
			o := st.nbs(q, st.x)
			for a := 0; a < st.nA; a++ {
				if k := st.at(a, q); st.has[k] {
					left[k] = st.x[k] <= o+posEps
				}
			}
		}
	}
	for q := 0; q < st.nI; q++ {
		st.num[q] = 0
		for a := 0; a < st.nA; a++ {
			if k := st.at(a, q); st.has[k] {
				st.num[q] += st.x[k] * st.s[k] * st.c[k]
			}
		}
	}
	g.ex, g.all, g.used, g.split = g.ex[:0], g.all[:0], 0, false
	g.gain, g.flag, g.keys, g.count = g.gain[:0], g.flag[:0], g.keys[:0], g.count[:0]
	var groups [4][]int
	for p := 0; p < st.nI; p++ {
		if err := g.ctx.Err(); err != nil {
			return nil, err
		}
		for q := p + 1; q < st.nI; q++ {
			for k := range groups {
				groups[k] = groups[k][:0]
			}
			for a := 0; a < st.nA; a++ {
				kp, kq := st.at(a, p), st.at(a, q)
				if !st.has[kp] || !st.has[kq] || st.s[kp]*st.c[kp] == 0 || st.s[kq]*st.c[kq] == 0 {
					continue
				}
				grp := 0
				if left[kp] {
					grp |= 1
				}
				if left[kq] {
					grp |= 2
				}
				groups[grp] = append(groups[grp], a)
			}
			// Actors right of both outcomes trade with those left of
			// both, and left-right with right-left (E3).
			for _, pair := range [2][2]int{{0, 3}, {1, 2}} {
				for _, a := range groups[pair[0]] {
					for _, b := range groups[pair[1]] {
						e := g.newExch(a, b, p, q)
						g.calculate(e)
						e.id = int32(len(g.all))
						g.ex = append(g.ex, e.id)
						g.all = append(g.all, e)
						g.gain, g.flag = append(g.gain, 0), append(g.flag, 0)
						g.note(e)
						g.keys, g.count = append(g.keys, st.keysOf(e)), append(g.count, 1)
					}
				}
			}
		}
	}
	nk := st.nA * st.nI
	g.sup.build(g.keys, nk, false)
	g.dem.build(g.keys, nk, true)
	if len(g.seen) < len(g.all) {
		g.seen = make([]uint32, len(g.all))
		g.stamp = 0
	}
	var done []*exch
	for g.listLen() > 0 {
		if err := g.ctx.Err(); err != nil {
			return nil, err
		}
		r := g.next()
		if !r.valid { // Decide drops an invalid exchange it draws
			continue
		}
		if g.ex8 != nil {
			g.settle(r)
		}
		// Work out again the exchanges r affects and drop the invalid
		// ones; file the rest for the next sort on the way.
		if g.rework(r) {
			g.refile()
		} else {
			g.reworkInOrder(r)
		}
		g.split = true
		done = append(done, r)
	}
	return done, nil
}

// rework works out again, after r was realised, each exchange on the
// list that shares a supply or demand pair with r (exchKeys) and is
// valid: what Decide's pass over the list does to it. An exchange's
// work-out reads only itself and r, so their order does not matter,
// unless r itself stands on the list again (a tie put it at the end:
// working it out changes r for the exchanges after it) or one of them
// stands on it twice (the first place is kept if the first work-out
// leaves it valid, even if the second does not). In these cases rework
// does nothing and reports false.
func (g *engine) rework(r *exch) bool {
	if g.count[r.id] > 0 {
		return false
	}
	rk := g.keys[r.id]
	if g.stamp++; g.stamp == 0 { // wrapped round (the storage lives on)
		clear(g.seen)
		g.stamp = 1
	}
	touched := g.touched[:0]
	for _, ids := range [4][]int32{g.sup.of(rk.supI), g.sup.of(rk.supJ), g.dem.of(rk.demI), g.dem.of(rk.demJ)} {
		for _, id := range ids {
			c := g.count[id]
			if c == 0 || g.seen[id] == g.stamp {
				continue
			}
			if c > 1 {
				return false
			}
			g.seen[id] = g.stamp
			touched = append(touched, id)
		}
	}
	g.touched = touched
	for _, id := range touched {
		if e := g.all[id]; g.flag[id]&flagInvalid == 0 && g.recalculate(e, r) {
			g.note(e)
		}
	}
	return true
}

// refile drops the invalid exchanges from the list and files the rest as
// clean or moved for the next sort.
func (g *engine) refile() {
	clean, moved := g.cleanID[:0], g.moved[:0]
	for _, id := range g.ex {
		clean, moved = g.file(id, clean, moved)
	}
	g.cleanID, g.moved = clean, moved
}

// file adds exchange id, next on the list, to the clean or the moved
// ones, or drops it if it is invalid.
func (g *engine) file(id int32, clean []int32, moved []placed) ([]int32, []placed) {
	switch f := g.flag[id]; {
	case f == 0:
		clean = append(clean, id)
	case f&flagInvalid != 0:
		g.count[id]--
	default:
		moved = append(moved, placed{id, int32(len(clean))})
	}
	return clean, moved
}

// reworkInOrder is rework and refile as one pass over the list in order,
// as Decide does it, for the cases rework leaves.
func (g *engine) reworkInOrder(r *exch) {
	rk := g.keys[r.id]
	clean, moved := g.cleanID[:0], g.moved[:0]
	for _, id := range g.ex {
		if e := g.all[id]; g.flag[id]&flagInvalid == 0 && g.keys[id].touches(rk) && g.recalculate(e, r) {
			g.note(e)
		}
		clean, moved = g.file(id, clean, moved)
	}
	g.cleanID, g.moved = clean, moved
}
