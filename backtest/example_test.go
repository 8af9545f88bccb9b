package backtest_test

import (
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
	fc, err := backtest.Predict(d, issues, deu3.Equal, specs, reg, 2)
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
