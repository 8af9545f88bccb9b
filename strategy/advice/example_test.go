package advice_test

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model/baseline"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/strategy/advice"
)

// Advice for actor a under the weighted mean: b, far from a, is the one to
// work on; moving it to 95 brings the forecast exactly to a's position.
func ExampleAdvise() {
	sc := &scenario.Scenario{Name: "three", Issues: []scenario.Issue{{ID: "i", Min: 0, Max: 100}}}
	for _, x := range []struct {
		id        string
		c, p, sal float64
	}{{"a", 2, 80, 50}, {"b", 1, 20, 100}, {"c", 1, 50, 50}} {
		sc.Actors = append(sc.Actors, scenario.Actor{ID: x.id, Capability: scenario.N(x.c),
			Stances: map[string]scenario.Stance{"i": {Position: scenario.N(x.p), Salience: scenario.N(x.sal)}}})
	}
	res, _ := advice.Advise(context.Background(), advice.Config{Scenario: sc, Model: baseline.Mean{}, Actor: "a", Workers: 1})
	best := res.Others[0].BestPosition
	fmt.Printf("baseline %.0f; %s %s %g → %g gives %.0f (gain %+.0f)\n", res.Baseline.Forecast, best.Actors[0], best.Attributes[0], best.From[0], best.To[0], best.Forecast, best.Gain)
	// Output:
	// baseline 50; b position 20 → 95 gives 80 (gain +30)
}
