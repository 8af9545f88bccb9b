package eum

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPowLogMatchesPow checks powLog against math.Pow bit for bit: on the
// model's range (bases in [0, 1], exponents in [0.5, 2]), on wide random
// ranges and on the special cases.
func TestPowLogMatchesPow(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, 2, -2, 3, 0.25, math.Inf(1), math.Inf(-1), math.NaN(),
		math.SmallestNonzeroFloat64, math.MaxFloat64, 1 << 62, 1 << 63, 0x1p-1000, 1.5, 0.75}
	check := func(x, y float64) {
		t.Helper()
		got, want := powLog(x, math.Log(x), y), math.Pow(x, y)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("powLog(%v, %v) = %v, math.Pow %v", x, y, got, want)
		}
	}
	for _, x := range special {
		for _, y := range special {
			check(x, y)
		}
	}
	for range 200000 {
		check(rng.Float64(), 0.5+1.5*rng.Float64())
		check(0.5+0.5*rng.Float64(), (1-rng.Float64()/3)/(1+rng.Float64()/3))
		check(math.Exp(40*rng.NormFloat64()), 20*rng.NormFloat64())
		check(float64(rng.IntN(5))/4, float64(rng.IntN(9))/4)
	}
}
