package eum

import (
	"context"
	"math"
	"slices"
	"sort"

	"github.com/parley-project/parley/numeric"
)

// linearVotes answers, for any two positions a and b, the total linear
// votes for each: voter k with weight w_k = c_k s_k casts
// w_k (|x_k − x_b| − |x_k − x_a|) for a when that is positive (Scholz et al.
// 2011 eq. 31's numerator; eq. 28 up to the constant 2/R), and the same for
// b. Voters at the midpoint abstain. Positions are kept sorted with prefix
// sums of w and w·x, so one pair costs O(log n) and a sweep over all pairs
// O(n²).
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

// pairSink receives the votes of a pair of actors from sweep.
type pairSink interface {
	pair(i, j int, forLo, forHi float64)
}

// pairFunc is a function as a pairSink.
type pairFunc func(i, j int, forLo, forHi float64)

func (f pairFunc) pair(i, j int, forLo, forHi float64) { f(i, j, forLo, forHi) }

// sweep calls f.pair(i, j, forLo, forHi) once for every pair of actors
// with x_i < x_j. For a fixed lower position the pairs come in increasing
// order of the higher one, so the midpoint only moves right and the voter
// ranges advance without searching: O(n) per row. Rows run in parallel
// (in this goroutine, with no closure made, for one worker); f may write
// only to cells (i, j) and (j, i) of its outputs. Once ctx has ended the
// remaining rows are skipped (the round is then discarded).
func (lv *linearVotes) sweep(ctx context.Context, workers int, f pairSink) {
	n := len(lv.xs)
	if workers == 1 {
		for a := range n {
			if ctx.Err() != nil {
				return
			}
			lv.sweepRow(a, f)
		}
		return
	}
	numeric.ParallelFor(n, workers, func(a int) {
		if ctx.Err() == nil {
			lv.sweepRow(a, f)
		}
	})
}

// sweepRow is sweep's row a: the pairs whose lower position is xs[a].
func (lv *linearVotes) sweepRow(a int, f pairSink) {
	xs := lv.xs
	n := len(xs)
	lo := xs[a]
	iLo := a + 1
	for iLo < n && xs[iLo] == lo {
		iLo++
	}
	iM, iM2, iHi := iLo, iLo, iLo
	for b := iLo; b < n; b++ {
		hi := xs[b]
		for iHi < n && xs[iHi] < hi {
			iHi++
		}
		m := (lo + hi) / 2
		for iM < n && xs[iM] < m {
			iM++
		}
		iM2 = max(iM2, iM)
		for iM2 < n && xs[iM2] <= m {
			iM2++
		}
		forLo, forHi := lv.tally(lo, hi, iLo, iM, min(iM2, iHi), iHi)
		f.pair(lv.order[a], lv.order[b], forLo, forHi)
	}
}
