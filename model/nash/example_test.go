package nash_test

import (
	"fmt"

	"github.com/parley-project/parley/model/nash"
)

// Two parties on one side of the status quo 0, at 60 and 100, the second
// three times as heavy: the asymmetric Nash solution solves
// −1/(120 − x) + 3/x = 0.
func ExampleGame_Nash() {
	q := 0.0
	g := nash.Game{Positions: []float64{60, 100}, Weights: []float64{1, 3}, Min: 0, Max: 100, Power: 1, StatusQuo: &q}
	fmt.Printf("%.4f %.4f\n", g.Nash(), g.KalaiSmorodinsky())
	// Output:
	// 90.0000 100.0000
}
