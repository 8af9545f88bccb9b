package eum

import (
	"math"
	"sort"

	"github.com/parley-project/parley/numeric"
)

// ranked is a round's positions sorted, with the linear votes of eq. 28
// (numeric.LinearVotes, weights c·s), and grouped: order lists the actors
// by rank, vals the distinct positions in increasing order, start[u] the
// rank of the first actor at vals[u] (start[m] = n), at[i] the distinct
// position of actor i. Both variants work row by row over the
// distinct positions: the actors at a position share everything that
// depends on positions alone.
type ranked struct {
	numeric.LinearVotes
	order []int
	vals  []float64
	start []int
	at    []int
}

// reset sorts and groups positions x with weights w, reusing the slices'
// storage.
func (rk *ranked) reset(x, w []float64) {
	n := len(x)
	rk.LinearVotes.Reset(x, w)
	rk.order = rk.Order()
	xs, order := rk.Sorted(), rk.order
	rk.vals, rk.start, rk.at = rk.vals[:0], rk.start[:0], numeric.Resize(rk.at, n)
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

// gap is the distance from vals[u] to vals[v], +∞ for a v past either
// end: a row's walk over the other distinct positions from the nearest
// outwards takes the nearer of the next below and the next above.
func (rk *ranked) gap(u, v int) float64 {
	if v < 0 || v >= len(rk.vals) {
		return math.Inf(1)
	}
	return math.Abs(rk.vals[u] - rk.vals[v])
}

// pairSplit returns midsAbove's below[hi] and above[hi] for the one pair
// of distinct positions lo < hi, by binary search.
func (rk *ranked) pairSplit(lo, hi int) (below, above int) {
	vals, start := rk.vals, rk.start
	mid := (vals[lo] + vals[hi]) / 2
	gM := max(lo+1, sort.SearchFloat64s(vals, mid))                                   // first at or above the midpoint
	gM2 := max(gM, sort.Search(len(vals), func(g int) bool { return vals[g] > mid })) // first above it
	return start[gM], min(start[gM2], start[hi])
}

// mids fills below and above for every distinct position other than u.
func (rk *ranked) mids(u int, below, above []int) {
	rk.midsAbove(u, below, above)
	rk.midsBelow(u, below, above)
}

// split orders distinct positions u ≠ v as lo < hi.
func split(u, v int) (lo, hi int) { return min(u, v), max(u, v) }

// linearTally returns the linear votes for vals[u] and for vals[v], given
// the voters' split at their midpoint from mids: the same numbers as
// Votes(vals[u], vals[v]).
func (rk *ranked) linearTally(u, v, below, above int) (forU, forV float64) {
	lo, hi := split(u, v)
	forLo, forHi := rk.Tally(rk.vals[lo], rk.vals[hi], rk.start[lo+1], below, above, rk.start[hi])
	if u == lo {
		return forLo, forHi
	}
	return forHi, forLo
}
