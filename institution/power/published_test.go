package power

import (
	"fmt"
	"math"
	"testing"
)

// TestPublishedWeightedGames compares both methods (the dynamic programme
// for whole-number weights, and the enumeration, forced by adding a
// fractional dimension that every coalition meets) with indices published
// for single weighted-majority games:
//
//   - The Council of the EEC, 1958–1972: Germany, France and Italy 4
//     votes, Belgium and the Netherlands 2, Luxembourg 1, a qualified
//     majority of 12 of 17. Normalised Banzhaf indices 5/21 for each large
//     country, 1/7 for each middle one and 0 for Luxembourg (S. J. Brams'
//     game-theory chapter in The Britannica Guide to Statistics and
//     Probability, 2011, p. 194; the same values are the expected output
//     of the EEC case in the tests of the Python package powerindex,
//     github.com/maxlit/powerindex). Luxembourg is the textbook null
//     player: zero Shapley–Shubik and Penrose–Banzhaf power (Games 9(2),
//     29, 2018, "Luxembourg in the early days of the EEC: null player or
//     not?", §1).
//   - [6; 4, 3, 2, 1]: normalised Banzhaf 5/12, 1/4, 1/4, 1/12 (P. D.
//     Straffin, Game Theory and Strategy, 1993, as quoted in powerindex's
//     tests).
//   - [4; 3, 2, 1, 1]: Shapley–Shubik 1/2, 1/6, 1/6, 1/6 (the worked
//     example of Wikipedia's Shapley–Shubik power index article, as quoted
//     in powerindex's tests).
//   - [12; 8, 6, 4, 2]: Penrose (absolute Banzhaf) 0.625, 0.375, 0.375,
//     0.125 and normalised 5/12, 1/4, 1/4, 1/12 (the examples of
//     nonNormalizedBanzhafIndex and normalizedBanzhafIndex in the R package
//     CoopGame, after Chakravarty, Mitra & Sarkar 2015, pp. 118–119).
//
// A value of −1 is not published for that game and is not checked.
func TestPublishedWeightedGames(t *testing.T) {
	cases := []struct {
		name             string
		quota            float64
		weights          []float64
		ss, banzhaf, pen []float64
	}{
		{"EEC 1958", 12, []float64{4, 4, 4, 2, 2, 1},
			[]float64{-1, -1, -1, -1, -1, 0},
			[]float64{5.0 / 21, 5.0 / 21, 5.0 / 21, 1.0 / 7, 1.0 / 7, 0},
			[]float64{-1, -1, -1, -1, -1, 0}},
		{"Straffin", 6, []float64{4, 3, 2, 1}, nil, []float64{5.0 / 12, 0.25, 0.25, 1.0 / 12}, nil},
		{"Wikipedia", 4, []float64{3, 2, 1, 1}, []float64{0.5, 1.0 / 6, 1.0 / 6, 1.0 / 6}, nil, nil},
		{"CoopGame", 12, []float64{8, 6, 4, 2}, nil, []float64{5.0 / 12, 0.25, 0.25, 1.0 / 12}, []float64{0.625, 0.375, 0.375, 0.125}},
	}
	for _, c := range cases {
		for _, fractional := range []bool{false, true} {
			g := &Game{Dims: []Dim{{Name: "votes", Weights: c.weights, Quota: c.quota}}}
			for i := range c.weights {
				g.Members = append(g.Members, fmt.Sprint(i))
				g.Names = append(g.Names, "")
			}
			if fractional {
				// Every coalition, the empty one included, has 0.5 ≥ 0.25:
				// the game is unchanged, but the weights are no longer
				// whole numbers.
				w := make([]float64, len(c.weights))
				for i := range w {
					w[i] = 0.5
				}
				g.Dims = append(g.Dims, Dim{Name: "all", Weights: w, Quota: 0})
			}
			res, err := Compute(g)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			want := "dynamic programming"
			if fractional {
				want = "enumeration"
			}
			if res.Method != want {
				t.Errorf("%s: method %s, want %s", c.name, res.Method, want)
			}
			for i, ix := range res.Indices {
				for _, v := range []struct {
					what      string
					got, want []float64
				}{{"Shapley–Shubik", []float64{ix.ShapleyShubik}, c.ss}, {"Banzhaf", []float64{ix.Banzhaf}, c.banzhaf}, {"Penrose", []float64{ix.Penrose}, c.pen}} {
					if v.want == nil || v.want[i] < 0 {
						continue
					}
					if math.Abs(v.got[0]-v.want[i]) > 1e-12 {
						t.Errorf("%s (%s): member %d: %s %v, published %v", c.name, res.Method, i, v.what, v.got[0], v.want[i])
					}
				}
			}
		}
	}
}
