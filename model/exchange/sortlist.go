package exchange

import (
	"math"
	"slices"
)

// This file keeps Decide's list of exchanges sorted by gain, highest
// first, as Decide's stable sort would after every realised exchange,
// without sorting the whole list each time.

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
