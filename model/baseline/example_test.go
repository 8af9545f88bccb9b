package baseline_test

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/baseline"
	"github.com/parley-project/parley/scenario"
)

// The compromise model and the weighted median on the EU car-emission case.
func Example() {
	sc, err := scenario.Load("../../testdata/reference/eum/emission.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range []model.Model{baseline.Mean{}, baseline.Median{}, baseline.Condorcet{}} {
		res, err := m.Run(context.Background(), sc, model.Options{})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-9s %.4f\n", m.Info().Name, res.Issues[0].Forecast)
	}
	// Output:
	// mean      7.3900
	// median    7.0000
	// condorcet 7.0000
}

// CondorcetWinner with risk-acceptant voters (r = 0.5) picks an extreme
// position where risk-neutral voters pick the weighted median.
func ExampleCondorcetWinner() {
	x := []float64{0, 40, 100}
	w := []float64{1, 0.5, 1}
	fmt.Println(baseline.CondorcetWinner(x, w, []float64{1, 1, 1}))
	fmt.Println(baseline.CondorcetWinner(x, w, []float64{0.5, 0.5, 0.5}))
	// Output:
	// 40
	// 0
}

// The weighted mean with salience squared, on the EU car-emission case.
func ExamplePowerMean() {
	sc, err := scenario.Load("../../testdata/reference/eum/emission.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := baseline.PowerMean{}.Run(context.Background(), sc, model.Options{Variant: "s2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s:%s %.4f\n", res.Model, res.Variant, res.Issues[0].Forecast)
	// Output:
	// power-mean:s2 7.2390
}
