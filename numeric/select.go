package numeric

import (
	"math"
	"slices"
)

// MedianSelector computes the weighted median of WeightedMedian by
// selection (a weighted quickselect, expected O(n)) instead of sorting,
// reusing its buffer between calls: Reset, Add each point, then Median or
// MedianClamped. The zero value is ready to use; it is not safe for
// concurrent use.
//
// The result is the same float64 as WeightedMedian on the same points in
// the same order: the selection adds weights in another order than the
// sort's cumulative sum, so wherever a partial sum lies so close to half
// the total that rounding could decide the comparison, it falls back to
// sorting. With integer weights (whose sums are exact) it never needs to;
// with arbitrary weights the fallback is rare.
type MedianSelector struct {
	pts []wpoint
}

// wpoint is a point, its weight and its insertion index, which breaks
// ties in x as WeightedMedian's stable order does.
type wpoint struct {
	x, w float64
	i    int
}

// before is WeightedMedian's order: by x, then by insertion index.
func (a wpoint) before(b wpoint) bool {
	return a.x < b.x || (a.x == b.x && a.i < b.i)
}

// Reset empties the selector, keeping its buffer.
func (s *MedianSelector) Reset() { s.pts = s.pts[:0] }

// Add appends a point x with weight w.
func (s *MedianSelector) Add(x, w float64) {
	s.pts = append(s.pts, wpoint{x, w, len(s.pts)})
}

// Len is the number of points added since the last Reset.
func (s *MedianSelector) Len() int { return len(s.pts) }

// Median returns WeightedMedian of the points added.
func (s *MedianSelector) Median() float64 {
	return s.MedianClamped(math.Inf(-1), math.Inf(1))
}

// MedianClamped returns max(lo, min(m, hi)) for m the weighted median of
// the points added (lo ≤ hi): the same value, computed with less work,
// since points beyond the bounds need no ordering. It reorders the
// points.
func (s *MedianSelector) MedianClamped(lo, hi float64) float64 {
	pts := s.pts
	n := len(pts)
	var total float64
	integral, plain := true, true
	for _, p := range pts {
		total += p.w
		if p.w != math.Trunc(p.w) {
			integral = false
		}
		if !(p.w >= 0) || math.IsNaN(p.x) || math.IsInf(p.w, 0) {
			plain = false
		}
	}
	if n == 0 || total <= 0 {
		return max(lo, min(math.NaN(), hi))
	}
	if !plain || !(lo <= hi) {
		return max(lo, min(s.sortedQuantile(total, 0.5), hi))
	}
	half := total / 2
	// tol bounds how far two sums of the same nonnegative weights added
	// in different orders can differ: each is within n·2⁻⁵³·total of the
	// exact sum. Sums of integers below 2⁵³ are exact.
	tol := float64(n) * total * 0x1p-50
	if integral && total < 0x1p53 {
		tol = 0
	}
	// atLeastHalf says whether a partial sum reaches half the total; ok is
	// false when rounding could decide it.
	atLeastHalf := func(sum float64) (reached, ok bool) {
		if math.Abs(sum-half) <= tol && tol > 0 {
			return false, false
		}
		return sum >= half, true
	}
	// Points below lo come first, those above hi last; the median's
	// value matters only when it lies between them.
	var below, middle float64
	a, c := 0, n
	for k := 0; k < c; {
		switch p := pts[k]; {
		case p.x < lo:
			below += p.w
			pts[a], pts[k] = pts[k], pts[a]
			a++
			k++
		case p.x > hi:
			c--
			pts[c], pts[k] = pts[k], pts[c]
		default:
			middle += p.w
			k++
		}
	}
	reached, ok := atLeastHalf(below)
	if !ok {
		return max(lo, min(s.sortedQuantile(total, 0.5), hi))
	}
	if reached {
		return lo // the median is below lo
	}
	if reached, ok = atLeastHalf(below + middle); !ok {
		return max(lo, min(s.sortedQuantile(total, 0.5), hi))
	}
	if !reached {
		return max(lo, hi) // the median is above hi
	}
	// Weighted quickselect among pts[a:c], with below the weight of the
	// points known to come before them.
	l, r := a, c
	for r > l {
		// Median of three as the pivot, moved to the end.
		m := l + (r-l)/2
		if pts[m].before(pts[l]) {
			pts[m], pts[l] = pts[l], pts[m]
		}
		if pts[r-1].before(pts[l]) {
			pts[r-1], pts[l] = pts[l], pts[r-1]
		}
		if pts[m].before(pts[r-1]) {
			pts[m], pts[r-1] = pts[r-1], pts[m]
		}
		piv := pts[r-1]
		store := l
		var wl float64
		for k := l; k < r-1; k++ {
			if pts[k].before(piv) {
				wl += pts[k].w
				pts[store], pts[k] = pts[k], pts[store]
				store++
			}
		}
		pts[store], pts[r-1] = pts[r-1], pts[store]
		reached, ok := atLeastHalf(below + wl)
		if !ok {
			break
		}
		if reached {
			r = store
			continue
		}
		reached, ok = atLeastHalf(below + wl + piv.w)
		if !ok {
			break
		}
		if reached {
			return max(lo, min(piv.x, hi))
		}
		below += wl + piv.w
		l = store + 1
	}
	return max(lo, min(s.sortedQuantile(total, 0.5), hi))
}

// sortedQuantile is WeightedQuantile on the buffer: sort by x (ties by
// insertion index) and return the first point at which the running sum
// of the weights reaches tau of the total (summed in insertion order;
// tau·total for tau = ½ is exactly total/2).
func (s *MedianSelector) sortedQuantile(total, tau float64) float64 {
	if len(s.pts) == 0 || total <= 0 {
		return math.NaN()
	}
	slices.SortFunc(s.pts, func(a, b wpoint) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return a.i - b.i
	})
	var cum float64
	for _, p := range s.pts {
		cum += p.w
		if cum >= tau*total {
			return p.x
		}
	}
	return s.pts[len(s.pts)-1].x
}
