package scenario_test

import (
	"errors"
	"fmt"

	"github.com/parley-project/parley/scenario"
)

func ExampleParse() {
	data := []byte(`
name: budget
issues:
  - {id: tax, name: Top tax rate, min: 20, max: 60}
actors:
  - id: gov
    name: Government
    capability: 60
    stances: {tax: {position: 45, salience: 80}}
  - id: opp
    name: Opposition
    capability: 40
    stances:
      tax:
        position: 30
        salience:
          value: 50
          note: rough guess from the manifesto
`)
	sc, err := scenario.Parse(data, "budget.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sc)
	for _, s := range sc.Stakeholders("tax") {
		fmt.Printf("%-10s capability %3.0f  position %2.0f  salience %.2f\n", s.Name, s.Capability, s.Position, s.Salience)
	}
	// Output:
	// budget (1 issue, 2 actors)
	// Government capability  60  position 45  salience 0.80
	// Opposition capability  40  position 30  salience 0.50
}

func ExampleParse_problems() {
	data := []byte(`name: budget
issues:
  - {id: tax, min: 20, max: 60}
actors:
  - id: gov
    capability: 60
    stances: {tax: {position: 75, salience: 80}}
  - id: opp
    capabilty: 40
    stances: {tax: {position: 30}}
`)
	_, err := scenario.Parse(data, "budget.yaml")
	var ps scenario.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Println(p)
		}
	}
	// Output:
	// budget.yaml:7: actors[0].stances.tax.position: position 75 is outside the scale 20 to 60
	// budget.yaml:8: actors[1].capability: missing capability
	// budget.yaml:9: actors[1].capabilty: unknown field
	// budget.yaml:10: actors[1].stances.tax.salience: missing salience
}

func ExampleDetect() {
	for _, data := range []string{
		`{"name": "budget", "issues": [], "actors": []}`,
		"name: budget\nissues: []\n",
		"Actor,Capability,Position,Salience\nNetherlands,0.08,4,0.8\n",
		"Actor,Capability,Position\nNetherlands,0.08,4\n",
	} {
		fmt.Println(scenario.Detect([]byte(data)))
	}
	// Output:
	// json
	// yaml
	// bdm-csv
	// bdm-csv
}

func ExampleScenario_Validate() {
	sc := &scenario.Scenario{
		Name:   "built in Go",
		Issues: []scenario.Issue{{ID: "tax", Min: 20, Max: 60}},
		Actors: []scenario.Actor{{
			ID:         "gov",
			Capability: scenario.N(60),
			Stances:    map[string]scenario.Stance{"tax": {Position: scenario.N(45), Salience: scenario.N(120)}},
		}},
	}
	fmt.Println(sc.Validate())
	// Output:
	// actors[0].stances.tax.salience: salience 120 is outside the scale 0 to 100
}
