package numeric

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// selectorMedian runs a MedianSelector on x, w and returns Median and
// MedianClamped(lo, hi).
func selectorMedian(s *MedianSelector, x, w []float64, lo, hi float64) (med, clamped float64) {
	s.Reset()
	for i := range x {
		s.Add(x[i], w[i])
	}
	med = s.Median()
	s.Reset()
	for i := range x {
		s.Add(x[i], w[i])
	}
	return med, s.MedianClamped(lo, hi)
}

// same is bitwise equality, so that NaN equals NaN and −0 differs from 0.
func same(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// The selection gives the same float64 as the sort, bit for bit, on
// seeded inputs of every kind the backtest meets and some it does not:
// ties in x (grid values), zero weights, integer weights (whose partial
// sums can hit half the total exactly), arbitrary weights, ratios as
// fitL1 makes them, and a few bad ones (negative weights, NaN) that must
// fall back to the sort.
func TestMedianSelectorMatchesSort(t *testing.T) {
	kinds := []struct {
		name string
		draw func(rng *rand.Rand, n int) (x, w []float64)
	}{
		{"grid ties, integer weights", func(rng *rand.Rand, n int) (x, w []float64) {
			for range n {
				x = append(x, float64(rng.IntN(5)*25))
				w = append(w, float64(rng.IntN(4)))
			}
			return x, w
		}},
		{"equal weights, even count", func(rng *rand.Rand, n int) (x, w []float64) {
			for range 2 * n {
				x = append(x, float64(rng.IntN(7)))
				w = append(w, 1)
			}
			return x, w
		}},
		{"continuous, zero weights", func(rng *rand.Rand, n int) (x, w []float64) {
			for range n {
				x = append(x, rng.NormFloat64()*30)
				v := rng.Float64() * 10
				if rng.IntN(3) == 0 {
					v = 0
				}
				w = append(w, v)
			}
			return x, w
		}},
		{"fitL1 ratios", func(rng *rand.Rand, n int) (x, w []float64) {
			for range n {
				r := float64(rng.IntN(11)*10) - rng.Float64()*100
				d := float64(rng.IntN(11)*10) - rng.Float64()*100
				if rng.IntN(4) == 0 {
					d = float64(rng.IntN(11)*10 - 50)
				}
				if d != 0 {
					x, w = append(x, r/d), append(w, math.Abs(d))
				}
			}
			return x, w
		}},
		{"dyadic weights, exact halves", func(rng *rand.Rand, n int) (x, w []float64) {
			for range n {
				x = append(x, float64(rng.IntN(3)))
				w = append(w, float64(rng.IntN(4))/8)
			}
			return x, w
		}},
		{"bad input falls back", func(rng *rand.Rand, n int) (x, w []float64) {
			for i := range n {
				x = append(x, float64(rng.IntN(10)))
				w = append(w, rng.Float64())
				switch i % 17 {
				case 3:
					w[i] = -w[i]
				case 11:
					x[i] = math.NaN()
				}
			}
			return x, w
		}},
	}
	var s MedianSelector
	for _, k := range kinds {
		rng := rand.New(rand.NewPCG(42, uint64(len(k.name))))
		for trial := range 3000 {
			x, w := k.draw(rng, 1+rng.IntN(60))
			want := WeightedMedian(x, w)
			lo, hi := rng.Float64()*40-20, rng.Float64()*60
			if trial%5 == 0 {
				lo, hi = 0, math.Inf(1)
			}
			med, clamped := selectorMedian(&s, x, w, lo, hi)
			if !same(med, want) {
				t.Fatalf("%s, trial %d: selection %v, sort %v\nx %v\nw %v", k.name, trial, med, want, x, w)
			}
			if wantC := max(lo, min(want, hi)); !same(clamped, wantC) {
				t.Fatalf("%s, trial %d: clamped to [%v, %v]: selection %v, sort %v\nx %v\nw %v", k.name, trial, lo, hi, clamped, wantC, x, w)
			}
		}
	}
}

// Hand-checked cases: the lower median, a tie at exactly half the total
// (the earlier point wins), zero weights that must not be chosen, and the
// empty and weightless inputs.
func TestMedianSelectorCases(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		x, w          []float64
		lo, hi        float64
		want, clamped float64
	}{
		{[]float64{3, 1, 2}, []float64{1, 1, 1}, 0, 10, 2, 2},
		{[]float64{10, 20, 30, 40}, []float64{1, 1, 1, 1}, 0, 100, 20, 20},
		{[]float64{40, 30, 20, 10}, []float64{1, 1, 1, 1}, 25, 100, 20, 25},
		{[]float64{0, 50, 100}, []float64{5, 0, 5}, 0, 100, 0, 0},
		{[]float64{0, 50, 100}, []float64{4, 0, 5}, 0, 60, 100, 60},
		{[]float64{7, 7, 7}, []float64{0, 2, 0}, 0, 5, 7, 5},
		{nil, nil, 0, 1, nan, nan},
		{[]float64{1, 2}, []float64{0, 0}, 0, 1, nan, nan},
	} {
		var s MedianSelector
		med, clamped := selectorMedian(&s, c.x, c.w, c.lo, c.hi)
		if !same(med, c.want) || !same(clamped, c.clamped) || !same(med, WeightedMedian(c.x, c.w)) {
			t.Errorf("x %v w %v [%v, %v]: median %v clamped %v, want %v and %v", c.x, c.w, c.lo, c.hi, med, clamped, c.want, c.clamped)
		}
	}
}

func FuzzMedianSelector(f *testing.F) {
	f.Add(uint64(1), uint8(10), 0.0, 100.0)
	f.Add(uint64(7), uint8(1), -5.0, 5.0)
	f.Fuzz(func(t *testing.T, seed uint64, n uint8, lo, hi float64) {
		if math.IsNaN(lo) || math.IsNaN(hi) || lo > hi {
			return
		}
		rng := rand.New(rand.NewPCG(seed, 3))
		x, w := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(21)) - 10
			if rng.IntN(2) == 0 {
				x[i] += rng.Float64()
			}
			w[i] = float64(rng.IntN(3))
			if rng.IntN(2) == 0 {
				w[i] = rng.Float64()
			}
		}
		var s MedianSelector
		med, clamped := selectorMedian(&s, x, w, lo, hi)
		want := WeightedMedian(x, w)
		if !same(med, want) || !same(clamped, max(lo, min(want, hi))) {
			t.Fatalf("x %v w %v [%v, %v]: %v, %v; sort %v", x, w, lo, hi, med, clamped, want)
		}
	})
}

// BenchmarkWeightedMedian compares the sort with the selection on 315
// points, the size of a training set in the backtest's ensemble.
func BenchmarkWeightedMedian(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, w := make([]float64, 315), make([]float64, 315)
	for i := range x {
		x[i], w[i] = rng.NormFloat64(), rng.Float64()*100
	}
	b.Run("sort", func(b *testing.B) {
		for b.Loop() {
			WeightedMedian(x, w)
		}
	})
	b.Run("select", func(b *testing.B) {
		var s MedianSelector
		for b.Loop() {
			s.Reset()
			for i := range x {
				s.Add(x[i], w[i])
			}
			s.Median()
		}
	})
}

func ExampleMedianSelector() {
	var s MedianSelector
	for _, p := range []struct{ x, w float64 }{{10, 1}, {40, 3}, {20, 1}, {30, 1}} {
		s.Add(p.x, p.w)
	}
	fmt.Println(s.Median(), s.MedianClamped(0, 25))
	// Output: 30 25
}
