package sweep

import (
	"fmt"
	"math"
	"math/big"
	"sort"

	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/scenario"
)

// FineBins is the number of equal bins across an issue's scale in which
// the accumulator counts forecasts. Quantiles are exact when the draws in
// the bin holding them share one value (as the EUM's median forecasts
// usually do) and otherwise within one bin width (0.1% of the scale).
const FineBins = 1000

// sumPrec is the precision of the exact sums: enough bits for the sum of
// up to 2⁶⁴ float64 values of any exponents without rounding, so that the
// sum, and the mean, do not depend on the order of the draws.
const sumPrec = 1024 + 1074 + 64 + 64

// Bin is one non-empty fine bin: the number of forecasts in it and the
// smallest and largest of them.
type Bin struct {
	Index int
	Count int64
	Min   float64
	Max   float64
}

// Stats accumulates one issue's forecasts over draws. Adding the same
// draws in any order, or merging accumulators of disjoint draw sets in any
// order, gives identical Stats: every field is a count, an exact sum or a
// minimum/maximum.
type Stats struct {
	lo, hi float64
	n      int64
	sum    *big.Float // exact Σ forecast
	bins   map[int]*Bin
	bands  []int64   // per band of the issue scale, see Bands
	term   big.Float // AddN's addend, reused: no allocation per draw
}

// Band is a labelled interval of an issue scale: the values nearer to one
// anchor than to its neighbours (ties go to the higher anchor).
type Band struct {
	Label    string
	From, To float64
}

// Bands divides an issue's scale [Min, Max] at the midpoints between
// consecutive anchors, so that each anchor labels the values nearest to it.
// An issue without anchors has one band named after the issue.
func Bands(is *scenario.Issue) []Band {
	as := is.SortedAnchors()
	if len(as) == 0 {
		return []Band{{Label: is.DisplayName(), From: is.Min, To: is.Max}}
	}
	out := make([]Band, len(as))
	for k, a := range as {
		out[k] = Band{Label: a.Label, From: is.Min, To: is.Max}
		if k > 0 {
			out[k].From = (as[k-1].Value + a.Value) / 2
		}
		if k+1 < len(as) {
			out[k].To = (a.Value + as[k+1].Value) / 2
		}
	}
	return out
}

// bandOf returns the index of the band holding v.
func bandOf(bands []Band, v float64) int {
	for k := len(bands) - 1; k > 0; k-- {
		if v >= bands[k].From {
			return k
		}
	}
	return 0
}

// NewStats returns an empty accumulator for an issue scale [lo, hi] with
// nBands bands.
func NewStats(lo, hi float64, nBands int) *Stats {
	return &Stats{lo: lo, hi: hi, sum: new(big.Float).SetPrec(sumPrec), bins: map[int]*Bin{}, bands: make([]int64, nBands)}
}

// bin returns the fine bin of v; values outside the scale go to the end bins.
func (s *Stats) bin(v float64) int {
	if !(s.hi > s.lo) {
		return 0
	}
	b := int(math.Floor((v - s.lo) / (s.hi - s.lo) * FineBins))
	return max(0, min(FineBins-1, b))
}

// Add records one forecast v that falls in band k.
func (s *Stats) Add(v float64, k int) { s.AddN(v, k, 1) }

// AddN records the forecast v, which falls in band k, n times: exactly
// what n calls of Add record (the sum n·v is exact).
func (s *Stats) AddN(v float64, k int, n int64) {
	s.n += n
	x := s.term.SetPrec(53).SetFloat64(v)
	if n != 1 {
		x.SetPrec(sumPrec).Mul(x, new(big.Float).SetInt64(n))
	}
	s.sum.Add(s.sum, x)
	s.bands[k] += n
	b := s.bin(v)
	if e := s.bins[b]; e != nil {
		e.Count += n
		e.Min, e.Max = math.Min(e.Min, v), math.Max(e.Max, v)
	} else {
		s.bins[b] = &Bin{Index: b, Count: n, Min: v, Max: v}
	}
}

// Merge adds the draws of o, which must come from disjoint draws of the
// same issue.
func (s *Stats) Merge(o *Stats) error {
	if s.lo != o.lo || s.hi != o.hi || len(s.bands) != len(o.bands) {
		return fmt.Errorf("different issue scales")
	}
	s.n += o.n
	s.sum.Add(s.sum, o.sum)
	for k, c := range o.bands {
		s.bands[k] += c
	}
	for b, e := range o.bins {
		if m := s.bins[b]; m != nil {
			m.Count += e.Count
			m.Min, m.Max = math.Min(m.Min, e.Min), math.Max(m.Max, e.Max)
		} else {
			c := *e
			s.bins[b] = &c
		}
	}
	return nil
}

// N returns the number of forecasts recorded.
func (s *Stats) N() int64 { return s.n }

// Mean returns the mean forecast, rounded once from the exact sum.
func (s *Stats) Mean() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	q := new(big.Float).SetPrec(53).Quo(s.sum, new(big.Float).SetInt64(s.n))
	f, _ := q.Float64()
	return f
}

// sortedBins returns the non-empty bins in increasing order.
func (s *Stats) sortedBins() []Bin {
	out := make([]Bin, 0, len(s.bins))
	for _, e := range s.bins {
		out = append(out, *e)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Index < out[b].Index })
	return out
}

// orderStat estimates the k-th smallest forecast (0-based): exact when its
// bin holds one value (or one forecast), otherwise interpolated linearly
// between the bin's smallest and largest forecast by rank within the bin.
func orderStat(bins []Bin, k int64) float64 {
	var cum int64
	for _, b := range bins {
		if k < cum+b.Count {
			j := k - cum
			if b.Count == 1 || b.Min == b.Max {
				return b.Min
			}
			return b.Min + (b.Max-b.Min)*float64(j)/float64(b.Count-1)
		}
		cum += b.Count
	}
	return bins[len(bins)-1].Max
}

// Quantile returns the p-quantile (0 ≤ p ≤ 1) by linear interpolation
// between order statistics at rank p·(n−1) (Hyndman & Fan 1996, definition
// 7, the default of R and NumPy), the order statistics read from the fine
// bins as in orderStat.
func (s *Stats) Quantile(p float64) float64 { return s.quantile(s.sortedBins(), p) }

// quantile is Quantile with the bins already sorted (sortedBins).
func (s *Stats) quantile(bins []Bin, p float64) float64 {
	return numeric.QuantileAt(s.n, p, func(k int64) float64 { return orderStat(bins, k) })
}

// Histogram returns counts in n equal bins across the scale (n must divide
// FineBins).
func (s *Stats) Histogram(n int) []int64 {
	out := make([]int64, n)
	for b, e := range s.bins {
		out[b*n/FineBins] += e.Count
	}
	return out
}

// BandCounts returns the number of forecasts in each band.
func (s *Stats) BandCounts() []int64 { return append([]int64(nil), s.bands...) }
