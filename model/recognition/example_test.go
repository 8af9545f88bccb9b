package recognition_test

import (
	"context"
	"fmt"
	"time"

	"github.com/parley-project/parley/model/recognition"
)

// Forecast Kosovo's recognitions by the end of 2008 with the fitted model.
func ExampleForecast() {
	in := recognition.Kosovo()
	in.End = time.Date(2008, 12, 31, 0, 0, 0, 0, time.UTC)
	res, err := recognition.Forecast(context.Background(), in, recognition.Options{Draws: 1000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	last := res.Cumulative[len(res.Cumulative)-1]
	fmt.Printf("%s: median %g, mean %.1f, 90%% band %g–%g\n", last.Date, last.P50, last.Expected, last.P05, last.P95)
	fmt.Println(res.Uncertainty)
	// Output:
	// 2008-12-31: median 27, mean 29.0, 90% band 8–58
	// coefficients drawn from their estimated sampling distribution and an episode effect drawn per draw
}
