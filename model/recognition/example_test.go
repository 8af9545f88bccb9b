package recognition_test

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model/recognition"
)

// Forecast the recognition of Kosovo's declaration of 17 February 2008
// with the default (ex-ante) coefficients and print the expected number
// of recognising UN members with its 90% band.
func ExampleForecast() {
	res, err := recognition.Forecast(context.Background(), recognition.Kosovo(),
		recognition.Options{Draws: 2000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Cumulative {
		if p.Date == "2008-12-31" || p.Date == "2020-12-31" {
			fmt.Printf("%s: %.1f expected (90%%: %g–%g)\n", p.Date, p.Expected, p.P05, p.P95)
		}
	}
	// Output:
	// 2008-12-31: 28.0 expected (90%: 24–32)
	// 2020-12-31: 50.5 expected (90%: 45–57)
}
