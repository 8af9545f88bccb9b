package numeric_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parley-project/parley/numeric"
)

// TestLinearVotesMatchDirect compares Votes with the voter-by-voter sum on
// random voters, with shared positions, voters exactly at the midpoint and
// zero weights, for pairs of voters' positions and of other points.
func TestLinearVotesMatchDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for trial := range 300 {
		n := 1 + rng.IntN(40)
		x, w := make([]float64, n), make([]float64, n)
		for k := range n {
			x[k] = float64(rng.IntN(12)) // many ties and exact midpoints
			if trial%2 == 1 {
				x[k] = 10 * rng.Float64()
			}
			w[k] = float64(rng.IntN(3)) * rng.Float64()
		}
		var lv numeric.LinearVotes
		lv.Reset(x, w)
		for range 20 {
			a, b := x[rng.IntN(n)], float64(rng.IntN(13))-0.5*float64(rng.IntN(2))
			if rng.IntN(2) == 0 {
				b = x[rng.IntN(n)]
			}
			var wantA, wantB, scale float64
			for k := range n {
				v := w[k] * (math.Abs(x[k]-b) - math.Abs(x[k]-a))
				wantA += math.Max(v, 0)
				wantB += math.Max(-v, 0)
				scale += math.Abs(v)
			}
			gotA, gotB := lv.Votes(a, b)
			if tol := 1e-12 * (scale + 1); math.Abs(gotA-wantA) > tol || math.Abs(gotB-wantB) > tol {
				t.Fatalf("trial %d: votes for %v and %v: %v, %v; voter by voter %v, %v", trial, a, b, gotA, gotB, wantA, wantB)
			}
		}
	}
}

// TestVotesRankedSearchesBetween checks that VotesRanked, which searches
// for the midpoint only among the voters between the two positions, splits
// the voters exactly as a search over all of them does (the same Tally,
// so the same bits), on voters with ties, voters at the positions and at
// the midpoint, and positions one float apart, whose midpoint rounds to
// one of them.
func TestVotesRankedSearchesBetween(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	for trial := range 500 {
		n := 1 + rng.IntN(30)
		x, w := make([]float64, n), make([]float64, n)
		for k := range n {
			x[k] = float64(rng.IntN(8)) / 4
			w[k] = rng.Float64()
		}
		lo := x[rng.IntN(n)]
		hi := []float64{lo + 0.5, math.Nextafter(lo, 10), float64(rng.IntN(8)) / 4}[trial%3]
		if hi <= lo {
			continue
		}
		if trial%5 == 0 {
			x[0] = math.Nextafter(lo, 10) // a voter next to lo
		}
		var lv numeric.LinearVotes
		lv.Reset(x, w)
		xs := lv.Sorted()
		m := (lo + hi) / 2
		search := func(f func(v float64) bool) int {
			for k, v := range xs {
				if f(v) {
					return k
				}
			}
			return len(xs)
		}
		iLo := search(func(v float64) bool { return v > lo })
		iHi := search(func(v float64) bool { return v >= hi })
		iM := max(iLo, search(func(v float64) bool { return v >= m }))
		iM2 := min(iHi, search(func(v float64) bool { return v > m }))
		wantLo, wantHi := lv.Tally(lo, hi, iLo, iM, iM2, iHi)
		below, atOrBelow := lv.Rank(lo)
		if atOrBelow != iLo || below != search(func(v float64) bool { return v >= lo }) {
			t.Fatalf("trial %d: Rank(%v) = %d, %d; want %d at or below", trial, lo, below, atOrBelow, iLo)
		}
		hiBelow, _ := lv.Rank(hi)
		gotLo, gotHi := lv.VotesRanked(lo, hi, atOrBelow, hiBelow)
		if math.Float64bits(gotLo) != math.Float64bits(wantLo) || math.Float64bits(gotHi) != math.Float64bits(wantHi) {
			t.Fatalf("trial %d: voters %v, %v–%v: VotesRanked %v, %v; over all voters %v, %v", trial, xs, lo, hi, gotLo, gotHi, wantLo, wantHi)
		}
	}
}

// Voters at 1, 4, 4 and 9: one stands below 4, three at or below it.
func ExampleLinearVotes_Rank() {
	var lv numeric.LinearVotes
	lv.Reset([]float64{4, 1, 9, 4}, []float64{1, 1, 1, 1})
	fmt.Println(lv.Rank(4))
	// Output: 1 3
}

// Three voters on a line; the one at 4 sits at the midpoint of 2 and 6 and
// casts nothing.
func ExampleLinearVotes() {
	var lv numeric.LinearVotes
	lv.Reset([]float64{1, 4, 9}, []float64{1, 2, 1})
	forA, forB := lv.Votes(2, 6)
	fmt.Println(forA, forB)
	// Output: 4 4
}

// A buffer reused from round to round: shrinking keeps its storage and
// values; growing past its capacity gives new, zeroed storage.
func ExampleResize() {
	buf := numeric.Resize([]float64(nil), 3)
	buf[0], buf[1], buf[2] = 1, 2, 3
	buf = numeric.Resize(buf, 2)
	fmt.Println(buf, cap(buf))
	buf = numeric.Resize(buf, 4)
	fmt.Println(buf)
	// Output:
	// [1 2] 3
	// [0 0 0 0]
}
