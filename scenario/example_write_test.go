package scenario_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/parley-project/parley/scenario"
)

// writeExample is a three-actor, two-issue scenario on its own scales, the
// input of the writer examples.
func writeExample() *scenario.Scenario {
	sc, err := scenario.Parse([]byte(`
name: budget
issues:
  - {id: tax, name: Top tax rate, min: 20, max: 60}
  - {id: debt, name: Debt brake, min: 0, max: 10}
actors:
  - {id: gov, name: Government, capability: 60, stances: {tax: {position: 45, salience: 80}, debt: {position: 8, salience: 40}}}
  - {id: opp, name: Opposition, capability: 40, stances: {tax: {position: 30, salience: 50}, debt: {position: 2, salience: 50}}}
  - {id: lib, name: Liberals, capability: 20, stances: {tax: {position: 25, salience: 30}}}
`), "budget.yaml")
	if err != nil {
		panic(err)
	}
	return sc
}

// A scenario as a KTAB CSV file: each issue's scale mapped to 0–100,
// saliences scaled down to a total of 100 per actor, and an actor without
// a stance given salience 0 at the issue's weighted mean.
func ExampleWriteKTABCSV() {
	if err := scenario.WriteKTABCSV(os.Stdout, writeExample()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// budget,,3,2
	// Actor,Description,Power,Top tax rate,Top tax rate Salience,Debt brake,Debt brake Salience
	// gov,Government,60,62.5,66.66666666666666,80,33.33333333333333
	// opp,Opposition,40,25,50,20,50
	// lib,Liberals,20,12.5,30,50,0
}

// The same scenario as a Decide input file: #A actors, #P issues, #D rows
// of position, salience (0–1) and power.
func ExampleWriteDecide() {
	if err := scenario.WriteDecide(os.Stdout, writeExample()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// '#A'	'gov'	'Government'	''
	// '#A'	'opp'	'Opposition'	''
	// '#A'	'lib'	'Liberals'	''
	// '#P'	'tax'	'Top tax rate'	''
	// '#M'	'tax'	20
	// '#M'	'tax'	60
	// '#P'	'debt'	'Debt brake'	''
	// '#M'	'debt'	0
	// '#M'	'debt'	10
	// '#D'	'gov'	'tax'	45	0.8	60
	// '#D'	'gov'	'debt'	8	0.4	60
	// '#D'	'opp'	'tax'	30	0.5	40
	// '#D'	'opp'	'debt'	2	0.5	40
	// '#D'	'lib'	'tax'	25	0.3	20
}

// One issue in the BDM CSV format.
func ExampleWriteBDMCSV() {
	if err := scenario.WriteBDMCSV(os.Stdout, writeExample(), "tax"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Actor,Capability,Position,Salience
	// gov,60,45,80
	// opp,40,30,50
	// lib,20,25,30
}

// KTAB XML holds the same as KTAB CSV plus KTAB's model parameters.
func ExampleWriteKTABXML() {
	var b bytes.Buffer
	if err := scenario.WriteKTABXML(&b, writeExample()); err != nil {
		fmt.Println(err)
		return
	}
	lines := strings.Split(b.String(), "\n")
	fmt.Println(strings.Join(lines[2:21], "\n"))
	// Output:
	//   <name>budget</name>
	//   <desc></desc>
	//   <prngSeed>0</prngSeed>
	//   <Dimensions>
	//     <dName>Top tax rate</dName>
	//     <dName>Debt brake</dName>
	//   </Dimensions>
	//   <Actors>
	//     <Actor>
	//       <name>gov</name>
	//       <description>Government</description>
	//       <capability>60</capability>
	//       <Position>
	//         <dCoord>62.5</dCoord>
	//         <dCoord>80</dCoord>
	//       </Position>
	//       <Salience>
	//         <dSal>66.66666666666666</dSal>
	//         <dSal>33.33333333333333</dSal>
}

// WriteYAML writes everything the scenario holds; reading it back gives
// the same scenario.
func ExampleWriteYAML() {
	sc := writeExample()
	var b bytes.Buffer
	if err := scenario.WriteYAML(&b, sc); err != nil {
		fmt.Println(err)
		return
	}
	back, err := scenario.Parse(b.Bytes(), "back.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(back)
	for _, s := range back.Stakeholders("debt") {
		fmt.Printf("%s position %.0f salience %.2f\n", s.ID, s.Position, s.Salience)
	}
	// Output:
	// budget (2 issues, 3 actors)
	// gov position 8 salience 0.40
	// opp position 2 salience 0.50
}
