package procedure_test

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/baseline"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/model/procedure"
)

// A body of three members at 10, 60 and 90 must adopt the outcome
// unanimously against a status quo of 0. The weighted mean, 53.33, would
// leave the member at 10 worse off than the status quo; the nearest point
// all three prefer to 0 is 20.
func ExampleModel_Run() {
	sc := three(0, "unanimity")
	m := procedure.New(baseline.Mean{}, eum.Model{}) // variants "mean" (the default) and "eum"
	res, _ := m.Run(context.Background(), sc, model.Options{Variant: "mean", Params: model.Params{"status_quo": model.Number(0)}})
	is := res.Issues[0]
	fmt.Printf("bargaining forecast %.2f, adopted %.2f\n", is.Rounds[0].Forecast, is.Forecast)
	// Output:
	// bargaining forecast 53.33, adopted 20.00
}
