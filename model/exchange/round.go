package exchange

// This file is the round loop: set up every potential exchange (E2, E3),
// then realise the one with the highest gain and work out again the ones
// it affects, until the list is empty.

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
	if cap(g.left) < len(st.x) {
		g.left = make([]bool, len(st.x))
	}
	g.left = g.left[:len(st.x)]
	clear(g.left)
	left := g.left
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
		// ones; file the rest for the next sort on the way. With p > 0
		// every work-out draws from the stream, so they go in list order.
		if !g.pOn && g.rework(r) {
			g.refile()
		} else {
			g.reworkInOrder(r)
		}
		g.split = true
		if !g.gainsOff {
			g.observe(r)
		}
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
