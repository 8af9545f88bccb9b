package exchange

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortRanked checks that sortRanked puts the fresh list in the same
// order as pdqsort with byGainPlace, and sortMoved the moved exchanges in
// the same order as a stable sort by byGain, the sorts they stand in
// for, on gains in near-tied clusters (where tied is an equivalence, the
// fast path) and on chains where tied is not transitive (the fallback),
// for a seeded set of random lists.
func TestSortRanked(t *testing.T) {
	g := &engine{}
	cases := []struct {
		name  string
		gains []float64
	}{
		{"equal gains", []float64{0.5, 0.25, 0.5, 0.5, 0.25, 1}},
		{"ulps apart", []float64{0.7877862595419848, 0.3, 0.7877862595419847, 0.7877862595419848, 0.3}},
		// 1 ~ 1−0.9e-12 and 1−0.9e-12 ~ 1−1.8e-12, but 1 ≁ 1−1.8e-12.
		{"chain", []float64{1 - 1.8e-12, 1, 0.5, 1 - 0.9e-12, 1, 1 - 1.8e-12}},
		{"tiny", []float64{0, 1e-16, 5e-16, 0, 2e-15}},
		{"nan", []float64{0.5, nanGain(), 0.25, 0.5}},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 200 {
		size := 1 + rng.IntN(60)
		if n%4 == 0 { // long enough for radixByGain
			size = 257 + rng.IntN(600)
		}
		gains := make([]float64, size)
		base := []float64{0.3, 0.1, 0.3 + 4e-13, 0.7, 0, negZero(), 2.5e-300, 17}
		for k := range gains {
			gains[k] = base[rng.IntN(len(base))]
			switch {
			case n%4 == 0: // near ties in classes, no chains
				gains[k] *= 1 + float64(rng.IntN(2))*1e-13
			case rng.IntN(3) == 0: // near ties, sometimes chains
				gains[k] *= 1 + float64(rng.IntN(5)-2)*4e-13
			}
		}
		cases = append(cases, struct {
			name  string
			gains []float64
		}{"random " + string(rune('a'+n%26)), gains})
	}
	for _, c := range cases {
		items := make([]ranked, len(c.gains))
		for k, v := range c.gains {
			items[k] = ranked{v, int32(k), int32(k)}
		}
		want := slices.Clone(items)
		slices.SortFunc(want, g.byGainPlace)
		got := slices.Clone(items)
		g.sortRanked(got)
		for k := range want {
			if got[k].id != want[k].id {
				t.Fatalf("%s: gains %v: sortRanked order %v, pdqsort %v", c.name, c.gains, ids(got), ids(want))
			}
		}

		g.gain = c.gains
		want = slices.Clone(items)
		slices.SortStableFunc(want, func(a, b ranked) int { return g.byGain(a.id, b.id) })
		g.moved = g.moved[:0]
		for k := range c.gains {
			g.moved = append(g.moved, placed{int32(k), int32(2 * k)})
		}
		g.sortMoved()
		for k := range want {
			if p := g.moved[k]; p.id != want[k].id || p.before != 2*p.id {
				t.Fatalf("%s: gains %v: sortMoved order %v, stable sort %v", c.name, c.gains, g.moved, ids(want))
			}
		}
	}
}

func negZero() float64 {
	z := 0.0
	return -z
}

func nanGain() float64 {
	z := 0.0
	return z / z
}

func ids(r []ranked) []int32 {
	out := make([]int32, len(r))
	for k := range r {
		out[k] = r[k].id
	}
	return out
}
