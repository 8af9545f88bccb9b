package numeric

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestWeightedMean(t *testing.T) {
	tests := []struct {
		name string
		x, w []float64
		want float64
	}{
		{"equal weights", []float64{1, 2, 3}, []float64{1, 1, 1}, 2},
		{"one heavy", []float64{0, 10}, []float64{3, 1}, 2.5},
		// The emission case (Scholz Table 1): Σ c s x / Σ c s = 5.003 / 0.677.
		{"emission", []float64{4, 7, 4, 4, 10, 10, 10, 7, 4, 7},
			[]float64{0.064, 0.032, 0.006, 0.128, 0.096, 0.096, 0.144, 0.005, 0.05, 0.056}, 5.003 / 0.677},
		{"zero weight ignored", []float64{5, 100}, []float64{2, 0}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := WeightedMean(tc.x, tc.w); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("WeightedMean = %.15g, want %.15g", got, tc.want)
			}
		})
	}
	if got := WeightedMean([]float64{1, 2}, []float64{0, 0}); !math.IsNaN(got) {
		t.Errorf("zero total weight: got %g, want NaN", got)
	}
	if got := WeightedMean(nil, nil); !math.IsNaN(got) {
		t.Errorf("empty: got %g, want NaN", got)
	}
}

func TestWeightedMedian(t *testing.T) {
	tests := []struct {
		name string
		x, w []float64
		want float64
	}{
		{"odd equal", []float64{3, 1, 2}, []float64{1, 1, 1}, 2},
		// Two equal halves: every point of [1, 2] minimises; the lower end is returned.
		{"tie takes lower end", []float64{2, 1}, []float64{1, 1}, 1},
		{"heavy end", []float64{0, 50, 100}, []float64{1, 1, 5}, 100},
		// Cumulative weight reaches half (0.3385) at 7: 0.248 at 4, 0.341 at 7.
		{"emission", []float64{4, 7, 4, 4, 10, 10, 10, 7, 4, 7},
			[]float64{0.064, 0.032, 0.006, 0.128, 0.096, 0.096, 0.144, 0.005, 0.05, 0.056}, 7},
		{"single", []float64{42}, []float64{0.1}, 42},
		{"zero weight point skipped", []float64{0, 10, 20}, []float64{1, 0, 1}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := WeightedMedian(tc.x, tc.w); got != tc.want {
				t.Errorf("WeightedMedian = %g, want %g", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		x, w []float64
	}{{"empty", nil, nil}, {"zero weights", []float64{1, 2}, []float64{0, 0}}} {
		if got := WeightedMedian(tc.x, tc.w); !math.IsNaN(got) {
			t.Errorf("%s: got %g, want NaN", tc.name, got)
		}
	}
}

// TestWeightedMedianMinimisesAbsDev checks the defining property on random
// data: no point has a smaller weighted absolute deviation than the median.
func TestWeightedMedianMinimisesAbsDev(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := range 200 {
		n := 1 + rng.IntN(12)
		x, w := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(10)) // repeated values on purpose
			w[i] = rng.Float64()
		}
		med := WeightedMedian(x, w)
		dev := AbsDevSums(x, w, append([]float64{med}, x...))
		for k, d := range dev[1:] {
			if d < dev[0]-1e-12 {
				t.Fatalf("trial %d: x=%v w=%v: median %g has deviation %g, point %g has %g", trial, x, w, med, dev[0], x[k], d)
			}
		}
	}
}

func TestAbsDevSumsMatchesDirectSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 100 {
		n := 1 + rng.IntN(30)
		x, w := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], w[i] = 100*rng.Float64(), rng.Float64()
		}
		ys := []float64{-5, 0, x[0], 50, 100, 120}
		got := AbsDevSums(x, w, ys)
		for q, y := range ys {
			var want float64
			for i := range x {
				want += w[i] * math.Abs(x[i]-y)
			}
			if math.Abs(got[q]-want) > 1e-9*(1+want) {
				t.Fatalf("trial %d, y=%g: got %.12g, want %.12g", trial, y, got[q], want)
			}
		}
	}
	// A hand case: points 0 and 10 with weights 1 and 3, at y = 4: 1·4 + 3·6.
	if got := AbsDevSums([]float64{0, 10}, []float64{1, 3}, []float64{4}); got[0] != 22 {
		t.Errorf("hand case: got %g, want 22", got[0])
	}
}

func TestQuantileAt(t *testing.T) {
	v := []float64{10, 20, 30, 40, 50}
	at := func(k int64) float64 { return v[k] }
	for _, c := range []struct{ p, want float64 }{
		{0, 10}, {0.25, 20}, {0.1, 14}, {0.5, 30}, {0.95, 48}, {1, 50},
	} {
		if got := QuantileAt(int64(len(v)), c.p, at); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("QuantileAt(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if got := QuantileAt(0, 0.5, at); !math.IsNaN(got) {
		t.Errorf("QuantileAt of no values = %v, want NaN", got)
	}
}

func TestWeightedQuantile(t *testing.T) {
	x := []float64{40, 10, 30, 20}
	w := []float64{1, 1, 1, 1}
	for _, c := range []struct{ tau, want float64 }{{0, 10}, {0.25, 10}, {0.26, 20}, {0.5, 20}, {0.75, 30}, {0.76, 40}, {1, 40}} {
		if got := WeightedQuantile(x, w, c.tau); got != c.want {
			t.Errorf("tau %v: %v, want %v", c.tau, got, c.want)
		}
	}
	// Weights count: 10 holds 60% of the weight.
	if got := WeightedQuantile(x, []float64{1, 6, 1, 2}, 0.55); got != 10 {
		t.Errorf("weighted: %v, want 10", got)
	}
	if !math.IsNaN(WeightedQuantile(nil, nil, 0.3)) || !math.IsNaN(WeightedQuantile([]float64{1}, []float64{0}, 0.3)) {
		t.Error("empty or weightless input should give NaN")
	}
}
