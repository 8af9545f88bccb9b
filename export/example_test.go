package export_test

import (
	"context"
	"fmt"
	"io"

	"github.com/parley-project/parley/export"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenarios"
)

// Write the built-in Kosovo scenario as KTAB CSV and list what the file
// loses: here only the weighted mean's forecasts are compared.
func ExampleWrite() {
	sc, _ := scenarios.Get("kosovo-2007")
	e, _ := export.Find("ktab")
	mean, _ := registry.Default().Get("mean")
	rep, err := export.Write(context.Background(), io.Discard, sc, e, export.Options{Models: model.NewRegistry(mean)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range rep.Notes {
		fmt.Println(n.Kind, n.What)
	}
	for _, d := range rep.Forecasts[:2] {
		fmt.Printf("%s %s: %.2f → %.2f\n", d.Model, d.Issue, d.Scenario, d.File)
	}
	// Output:
	// dropped scenario
	// dropped sources
	// changed issue ids
	// dropped issue descriptions
	// dropped scale labels
	// dropped actor details
	// dropped evidence
	// dropped notes
	// dropped uncertainty
	// dropped capabilities on issues
	// changed saliences
	// changed stances
	// dropped process
	// mean status: 68.18 → 69.83
	// mean serbia_eu: 63.82 → 69.27
}
