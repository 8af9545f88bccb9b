package run_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/store"
)

// A forecast asked for, run, saved in a store and read back typed.
func ExampleForecastSpec_Run() {
	ctx := context.Background()
	sc, _ := scenarios.Get("emission-1994")
	spec := run.NewForecastSpec() // the defaults, as the command line and the server have them
	spec.Model = "mean"
	r, err := spec.Run(ctx, sc, run.Env{CodeVersion: "example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "parley-example-")
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, filepath.Join(dir, "runs.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	if err := run.Save(ctx, st, r); err != nil {
		fmt.Println(err)
		return
	}
	back, err := run.Get(ctx, st, r.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	f := back.(*run.Forecast)
	fmt.Printf("%s run %d of %s with %s: %.2f\n", f.Kind, f.ID, f.Scenario, f.Model, f.Result.Issues[0].Forecast)
	for _, l := range run.Leaves(f)[:1] {
		fmt.Println(l.Path, l.Value)
	}
	// Output:
	// forecast run 1 of emission-1994 with mean: 7.39
	// issue.forecast 7.389955686853767
}
