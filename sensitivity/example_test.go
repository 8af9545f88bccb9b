package sensitivity_test

import (
	"fmt"

	"github.com/parley-project/parley/sensitivity"
)

// Sobol indices of f(x) = x₁ + 2x₂ on uniform inputs: the analytic values
// are S = S_T = 0.2 for x₁, 0.8 for x₂ and 0 for the unused x₃.
func ExampleSobol() {
	ix, err := sensitivity.Sobol(3, 1, 4000, 1, 0, func(x, out []float64) error {
		out[0] = x[0] + 2*x[1]
		return nil
	})
	if err != nil {
		panic(err)
	}
	for i := range 3 {
		fmt.Printf("x%d: S %.1f, S_T %.1f\n", i+1, ix[0].First[i], ix[0].Total[i])
	}
	// Output:
	// x1: S 0.2, S_T 0.2
	// x2: S 0.8, S_T 0.8
	// x3: S 0.0, S_T 0.0
}
