package eum

import (
	"math"
	"slices"
	"sort"
)

// linearVotes answers, for any two positions a and b, the total linear
// votes for each: voter k with weight w_k = c_k s_k casts
// w_k (|x_k − x_b| − |x_k − x_a|) for a when that is positive (Scholz et al.
// 2011 eq. 31's numerator; eq. 28 up to the constant 2/R), and the same for
// b. Voters at the midpoint abstain. Positions are kept sorted with prefix
// sums of w and w·x, so one pair costs O(log n) with votes and O(1) in a
// row of ranked.
type linearVotes struct {
	xs, cw, cwx []float64
	order       []int // actor at each rank
}

// reset rebuilds the votes for positions x and weights w, reusing the
// slices' storage.
func (lv *linearVotes) reset(x, w []float64) {
	n := len(x)
	idx := grow(lv.order, n)
	for i := range idx {
		idx[i] = i
	}
	// A stable sort by position: ties keep actor order.
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[b] < x[a]:
			return 1
		}
		return 0
	})
	lv.order, lv.xs, lv.cw, lv.cwx = idx, grow(lv.xs, n), grow(lv.cw, n+1), grow(lv.cwx, n+1)
	lv.cw[0], lv.cwx[0] = 0, 0
	for k, i := range idx {
		lv.xs[k] = x[i]
		lv.cw[k+1] = lv.cw[k] + w[i]
		lv.cwx[k+1] = lv.cwx[k] + w[i]*x[i]
	}
}

// tally returns the votes for the lower and the higher of two positions
// lo < hi, given the index ranges of the voters: [0, iLo) at or below lo,
// [iLo, iM) strictly between lo and the midpoint, [iM2, iHi) strictly
// between the midpoint and hi, [iHi, n) at or above hi.
func (lv *linearVotes) tally(lo, hi float64, iLo, iM, iM2, iHi int) (forLo, forHi float64) {
	n := len(lv.xs)
	cw, cwx := lv.cw, lv.cwx
	d, sum := hi-lo, lo+hi
	forLo = d*cw[iLo] + sum*(cw[iM]-cw[iLo]) - 2*(cwx[iM]-cwx[iLo])
	forHi = d*(cw[n]-cw[iHi]) + 2*(cwx[iHi]-cwx[iM2]) - sum*(cw[iHi]-cw[iM2])
	return math.Max(forLo, 0), math.Max(forHi, 0)
}

// votes returns the votes for xa and for xb.
func (lv *linearVotes) votes(xa, xb float64) (forA, forB float64) {
	if xa == xb {
		return 0, 0
	}
	lo, hi := math.Min(xa, xb), math.Max(xa, xb)
	m := (lo + hi) / 2
	xs := lv.xs
	n := len(xs)
	iLo := sort.Search(n, func(k int) bool { return xs[k] > lo })
	iM := max(iLo, sort.Search(n, func(k int) bool { return xs[k] >= m }))
	iHi := sort.Search(n, func(k int) bool { return xs[k] >= hi })
	iM2 := min(iHi, sort.Search(n, func(k int) bool { return xs[k] > m }))
	forLo, forHi := lv.tally(lo, hi, iLo, iM, iM2, iHi)
	if xa == lo {
		return forLo, forHi
	}
	return forHi, forLo
}

// ranked is a round's positions sorted, with the linear votes' prefix
// sums, and grouped: the distinct positions vals in increasing order,
// start[u] the rank of the first actor at vals[u] (start[m] = n) and at[i]
// the distinct position of actor i. Both variants work row by row over the
// distinct positions: the actors at a position share everything that
// depends on positions alone.
type ranked struct {
	linearVotes
	vals  []float64
	start []int
	at    []int
}

// reset sorts and groups positions x with weights w, reusing the slices'
// storage.
func (rk *ranked) reset(x, w []float64) {
	n := len(x)
	rk.linearVotes.reset(x, w)
	xs, order := rk.xs, rk.order
	rk.vals, rk.start, rk.at = rk.vals[:0], rk.start[:0], grow(rk.at, n)
	for k, v := range xs {
		if k == 0 || v != xs[k-1] {
			rk.vals = append(rk.vals, v)
			rk.start = append(rk.start, k)
		}
		rk.at[order[k]] = len(rk.vals) - 1
	}
	rk.start = append(rk.start, n)
}

// count is the number of actors at distinct position u.
func (rk *ranked) count(u int) int { return rk.start[u+1] - rk.start[u] }

// actorsAt lists the actors at distinct position u, in rank order (actor
// order among themselves).
func (rk *ranked) actorsAt(u int) []int { return rk.order[rk.start[u]:rk.start[u+1]] }

// midsAbove fills below[v] and above[v] for every distinct position v
// above u: the voters of rank below below[v] are nearer vals[u] than
// vals[v], those from above[v] on nearer vals[v], and those between sit at
// the midpoint and vote for neither. The midpoint only moves up as v does,
// so the first distinct positions at or past it advance without
// searching: O(m) for the row.
func (rk *ranked) midsAbove(u int, below, above []int) {
	vals, start := rk.vals, rk.start
	m, lo := len(vals), vals[u]
	gM, gM2 := u+1, u+1 // the first positions at or above, and above, the midpoint
	for v := u + 1; v < m; v++ {
		mid := (lo + vals[v]) / 2
		for gM < m && vals[gM] < mid {
			gM++
		}
		gM2 = max(gM2, gM)
		for gM2 < m && vals[gM2] <= mid {
			gM2++
		}
		// A midpoint that rounds onto a position leaves the voters there
		// on their own side.
		below[v], above[v] = start[gM], min(start[gM2], start[v])
	}
}

// midsBelow is midsAbove for the distinct positions v below u, whose
// midpoints with vals[u] move down as v does.
func (rk *ranked) midsBelow(u int, below, above []int) {
	vals, start := rk.vals, rk.start
	hi := vals[u]
	gM, gM2 := u, u
	for v := u - 1; v >= 0; v-- {
		mid := (vals[v] + hi) / 2
		for gM2 > 0 && vals[gM2-1] > mid {
			gM2--
		}
		gM = min(gM, gM2)
		for gM > 0 && vals[gM-1] >= mid {
			gM--
		}
		below[v], above[v] = max(start[gM], start[v+1]), start[gM2]
	}
}

// mids fills below and above for every distinct position other than u.
func (rk *ranked) mids(u int, below, above []int) {
	rk.midsAbove(u, below, above)
	rk.midsBelow(u, below, above)
}

// split orders distinct positions u ≠ v as lo < hi.
func split(u, v int) (lo, hi int) { return min(u, v), max(u, v) }

// linearTally returns the linear votes for vals[u] and for vals[v] (see
// tally), given the voters' split at their midpoint from mids: the same
// numbers as votes(vals[u], vals[v]).
func (rk *ranked) linearTally(u, v, below, above int) (forU, forV float64) {
	lo, hi := split(u, v)
	forLo, forHi := rk.tally(rk.vals[lo], rk.vals[hi], rk.start[lo+1], below, above, rk.start[hi])
	if u == lo {
		return forLo, forHi
	}
	return forHi, forLo
}
