// Package numeric holds the numerical primitives shared by Parley's models:
// weighted means and medians, pairwise votes and helpers for sorted data.
package numeric

import (
	"math"
	"sort"
)

// WeightedMean returns Σ w_i x_i / Σ w_i, or NaN when the weights sum to 0.
// With w_i = capability × salience this is the "compromise model".
func WeightedMean(x, w []float64) float64 {
	var num, den float64
	for i := range x {
		num += w[i] * x[i]
		den += w[i]
	}
	if den == 0 {
		return math.NaN()
	}
	return num / den
}

// WeightedMedian returns the smallest x_k such that the weight of the
// points at or below x_k is at least half the total weight. It is the
// minimiser of Σ w_i |x_i − y| over the points; when a whole interval
// minimises it, the lower end is returned. It returns NaN when x is empty
// or the weights sum to 0.
func WeightedMedian(x, w []float64) float64 { return WeightedQuantile(x, w, 0.5) }

// WeightedQuantile returns the lower weighted tau-quantile: the smallest
// x_k such that the weight of the points at or below x_k is at least tau
// of the total weight (ties in x broken by input order, so that the
// running sum adds the weights in a fixed order). It returns NaN when x
// is empty or the weights sum to 0.
func WeightedQuantile(x, w []float64, tau float64) float64 {
	s := MedianSelector{pts: make([]wpoint, 0, len(x))}
	var total float64
	for i := range x {
		s.Add(x[i], w[i])
		total += w[i]
	}
	return s.sortedQuantile(total, tau)
}

// AbsDevSums returns, for each query point y in ys, Σ_i w_i |x_i − y|,
// in O((n + m) log n) using sorted prefix sums.
func AbsDevSums(x, w, ys []float64) []float64 {
	n := len(x)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	xs := make([]float64, n)
	cw := make([]float64, n+1)  // prefix sums of w
	cwx := make([]float64, n+1) // prefix sums of w x
	for k, i := range idx {
		xs[k] = x[i]
		cw[k+1] = cw[k] + w[i]
		cwx[k+1] = cwx[k] + w[i]*x[i]
	}
	out := make([]float64, len(ys))
	for q, y := range ys {
		k := sort.SearchFloat64s(xs, y) // points below y: xs[:k]
		below := y*cw[k] - cwx[k]
		above := (cwx[n] - cwx[k]) - y*(cw[n]-cw[k])
		out[q] = below + above
	}
	return out
}

// QuantileAt returns the p-quantile (0 ≤ p ≤ 1) of n ordered values by
// linear interpolation between the order statistics at rank p·(n−1)
// (Hyndman & Fan 1996, definition 7, the default of R and NumPy); at(k)
// returns the k-th smallest value (0-based). It returns NaN when n is 0.
func QuantileAt(n int64, p float64, at func(k int64) float64) float64 {
	if n == 0 {
		return math.NaN()
	}
	h := p * float64(n-1)
	lo := int64(math.Floor(h))
	x := at(lo)
	if frac := h - float64(lo); frac > 0 && lo+1 < n {
		x += frac * (at(lo+1) - x)
	}
	return x
}
