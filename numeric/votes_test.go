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
