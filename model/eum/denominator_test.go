package eum

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// TestDenominatorMatchesFullSort checks the denominator, which sorts each
// voter's distinct values with their multiplicities when positions are
// shared, against the code's sum over every voter's fully sorted column,
// bit for bit, with every r = 1 and with random exponents.
func TestDenominatorMatchesFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	grouped := 0
	for trial := range 300 {
		n := 2 + rng.IntN(40)
		levels := 2 + rng.IntN(2*n)
		in := gridInput(rng, n, levels)
		in.workers = 1 + trial%2
		if spread(in.x) == 0 {
			continue
		}
		st := newScholz(in)
		for _, neutral := range []bool{true, false} {
			if !neutral {
				for i := range st.r {
					st.r[i] = 0.5 + 1.5*rng.Float64()
				}
			}
			tm := st.distances(neutral)
			got := st.denominator(tm)
			if len(st.groups) > 0 {
				grouped++
			}
			var want float64
			for k := range n {
				col := make([]float64, n)
				for a := range n {
					col[a] = tm[a][k]
				}
				sort.Float64s(col)
				var s float64
				for m, v := range col {
					s += v * float64(2*m-n+1)
				}
				want += 2 * st.w[k] * s
			}
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("trial %d: denominator %v, full sort %v", trial, got, want)
			}
		}
	}
	if grouped < 100 {
		t.Errorf("only %d denominators took the grouped path", grouped)
	}
}
