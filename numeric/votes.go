package numeric

import (
	"math"
	"slices"
	"sort"
)

// LinearVotes answers, for any two positions a and b on a line, the total
// votes for each when every voter k, at x_k with weight w_k, casts
// w_k (|x_k − b| − |x_k − a|) for a when that is positive, and likewise for
// b; a voter at the midpoint casts nothing. This is the pairwise vote of
// a spatial model whose utilities fall linearly with distance (Scholz et
// al. 2011 eqs. 28 and 31 in the expected-utility model; KTAB's
// proportional vote on utilities 1 − |x_k − x| in one dimension). The
// voters are kept sorted with prefix sums of w and w·x, so one pair costs
// O(log n) with Votes, and O(1) with Tally when the caller knows how the
// voters split.
type LinearVotes struct {
	xs, cw, cwx []float64
	order       []int // voter at each rank
}

// Reset rebuilds the votes for voters at x with weights w, reusing the
// storage.
func (lv *LinearVotes) Reset(x, w []float64) {
	n := len(x)
	lv.order = Resize(lv.order, n)
	for i := range lv.order {
		lv.order[i] = i
	}
	// A stable sort by position: ties keep the voters' order.
	slices.SortStableFunc(lv.order, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[b] < x[a]:
			return 1
		}
		return 0
	})
	lv.xs, lv.cw, lv.cwx = Resize(lv.xs, n), Resize(lv.cw, n+1), Resize(lv.cwx, n+1)
	lv.cw[0], lv.cwx[0] = 0, 0
	for k, i := range lv.order {
		lv.xs[k] = x[i]
		lv.cw[k+1] = lv.cw[k] + w[i]
		lv.cwx[k+1] = lv.cwx[k] + w[i]*x[i]
	}
}

// Resize returns b with length n, reallocated only when its capacity is
// short: a buffer reused from round to round. Reused entries keep their
// old values; new storage is zeroed.
func Resize[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// Order returns the voters by rank (position, then the order given to
// Reset). The slice is the LinearVotes' own.
func (lv *LinearVotes) Order() []int { return lv.order }

// Sorted returns the voters' positions by rank. The slice is the
// LinearVotes' own.
func (lv *LinearVotes) Sorted() []float64 { return lv.xs }

// Tally returns the votes for the lower and the higher of two positions
// lo < hi, given how the voters split by rank: [0, iLo) at or below lo,
// [iLo, iM) strictly between lo and the midpoint, [iM2, iHi) strictly
// between the midpoint and hi, [iHi, n) at or above hi (those in
// [iM, iM2) sit at the midpoint).
func (lv *LinearVotes) Tally(lo, hi float64, iLo, iM, iM2, iHi int) (forLo, forHi float64) {
	n := len(lv.xs)
	cw, cwx := lv.cw, lv.cwx
	d, sum := hi-lo, lo+hi
	forLo = d*cw[iLo] + sum*(cw[iM]-cw[iLo]) - 2*(cwx[iM]-cwx[iLo])
	forHi = d*(cw[n]-cw[iHi]) + 2*(cwx[iHi]-cwx[iM2]) - sum*(cw[iHi]-cw[iM2])
	return math.Max(forLo, 0), math.Max(forHi, 0)
}

// Votes returns the votes for a and for b.
func (lv *LinearVotes) Votes(a, b float64) (forA, forB float64) {
	if a == b {
		return 0, 0
	}
	lo, hi := math.Min(a, b), math.Max(a, b)
	_, iLo := lv.Rank(lo)
	iHi, _ := lv.Rank(hi)
	forLo, forHi := lv.VotesRanked(lo, hi, iLo, iHi)
	if a == lo {
		return forLo, forHi
	}
	return forHi, forLo
}

// Rank returns how many voters stand strictly below x and how many at or
// below it.
func (lv *LinearVotes) Rank(x float64) (below, atOrBelow int) {
	xs := lv.xs
	below = sort.SearchFloat64s(xs, x)
	atOrBelow = below + sort.Search(len(xs)-below, func(k int) bool { return xs[below+k] > x })
	return below, atOrBelow
}

// VotesRanked returns the votes for lo and for hi, lo < hi, given iLo, the
// number of voters at or below lo, and iHi, the number strictly below hi
// (Rank): Votes for positions whose ranks are known, which searches only
// the voters between them for the midpoint.
func (lv *LinearVotes) VotesRanked(lo, hi float64, iLo, iHi int) (forLo, forHi float64) {
	m := (lo + hi) / 2
	xs := lv.xs[iLo:iHi]
	// The voters at or above the midpoint, and those above it, searched
	// between lo and hi only: every voter before iLo is at or below lo ≤ m
	// and every one from iHi on at or above hi ≥ m.
	iM := iLo + sort.Search(len(xs), func(k int) bool { return xs[k] >= m })
	iM2 := iLo + sort.Search(len(xs), func(k int) bool { return xs[k] > m })
	return lv.Tally(lo, hi, iLo, iM, iM2, iHi)
}
