package backtest_test

import (
	"context"
	"fmt"
	"os"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model/registry"
)

// Score the weighted mean and the median on the small DEU III fixture,
// with equal capabilities, 200 bootstrap resamples of proposals and no
// ensemble.
func ExampleEvaluate() {
	f, err := os.Open(fixture.Path("deu3/fixture.tsv"))
	if err != nil {
		panic(err)
	}
	defer f.Close()
	d, err := deu3.Read(f, "fixture.tsv")
	if err != nil {
		panic(err)
	}
	issues, skipped := d.Usable()
	reg := registry.Default()
	specs, _ := backtest.ParseSpecs("mean,median", reg)
	fc, err := backtest.Predict(context.Background(), d, issues, deu3.Equal, specs, reg, 2)
	if err != nil {
		panic(err)
	}
	rep := backtest.Evaluate(d, []*backtest.Forecasts{fc}, skipped, backtest.Config{Seed: 1, Bootstrap: 200})
	fmt.Printf("%d issues used, %d skipped\n", rep.IssuesUsed, rep.IssuesSkipped)
	for _, e := range rep.Models {
		fmt.Printf("%-6s MAE %.2f, within 10 points %.0f%%\n", e.Model, e.MAE, 100*e.Within10)
	}
	// Output:
	// 6 issues used, 2 skipped
	// mean   MAE 19.50, within 10 points 50%
	// median MAE 29.17, within 10 points 33%
}

// Choose between two forecasters by cross-validation: four proposals of
// two issues each, the second column always 1 off the outcome, the first
// 3 off. Every fold picks the second column for its test issues.
func ExampleEnsemble_Select() {
	y := []float64{10, 20, 30, 40, 50, 60, 70, 80}
	var X [][]float64
	for _, v := range y {
		X = append(X, []float64{v + 3, v - 1})
	}
	group := []int{0, 0, 1, 1, 2, 2, 3, 3}
	cv := backtest.Ensemble{Folds: 4, Seed: 1}.Select(X, y, group, 4, []int{0, 1})
	fmt.Println(cv.Forecast, cv.Weights)
	// Output:
	// [9 19 29 39 49 59 69 79] [0 1]
}

// Score a predictive distribution: half the mass on 0, half on 100, and
// the outcome 0. Its median (the point forecast) is 0; its CRPS is 25,
// where the point forecast 50 would score its absolute error, 50.
func ExampleDistribution() {
	d := &backtest.Distribution{X: []float64{0, 100}, P: []float64{0.5, 0.5}}
	fmt.Println(d.Median(), d.CRPS(0), (&backtest.Distribution{X: []float64{50}, P: []float64{1}}).CRPS(0))
	// Output:
	// 0 25 50
}

// The learned models 'parley backtest --learned' accepts.
func ExampleLearnerNames() {
	fmt.Println(backtest.LearnerNames())
	ls, err := backtest.ParseLearners("focal,institutions:procedure")
	fmt.Println(len(ls), err)
	// Output:
	// [institutions:procedure reference-shift trimmed-mean:cv package-mean:cv median-regression focal focal:none]
	// 2 <nil>
}
