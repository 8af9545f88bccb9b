package smp_test

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/smp"
	"github.com/parley-project/parley/scenario"
)

// Run KTAB's spatial model on a scenario read from a KTAB CSV file and
// print where the first three actors end on the first dimension.
func ExampleModel() {
	sc, err := scenario.Load("testdata/dummyData_3Dim.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := smp.Model{}.Run(context.Background(), sc, model.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	is := res.Issues[0]
	final := is.Final()
	fmt.Printf("%s: %d turns, stopped: %s\n", is.Name, len(is.Rounds)-1, is.Stopped)
	for _, id := range []string{"SActor-00", "SActor-01", "SActor-02"} {
		fmt.Printf("%s %.2f\n", id, final.Positions[id])
	}
	// Output:
	// Pstn1: 10 turns, stopped: converged
	// SActor-00 78.56
	// SActor-01 78.56
	// SActor-02 82.45
}

// KTAB's model parameters, as numeric codes in KTAB's order.
func ExampleResolve() {
	sc := &scenario.Scenario{KTAB: &scenario.KTAB{Parameters: map[string]string{"VotingRule": "Cubic"}}}
	set, _ := smp.Resolve(sc, model.Params{"bargain_model": model.Number(2)})
	fmt.Println(set)
	// Output:
	// VictoryProbModel=Linear PCEModel=Conditional StateTransitions=Deterministic VotingRule=Cubic BigRAdjust=OneThird BigRRange=Mid ThirdPartyCommit=SemiCommit InterVecBrgn=S2P2 BargnModel=PWCompInterp
}
