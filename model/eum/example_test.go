package eum_test

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/scenario"
)

// Run the scholz variant on the EU car-emission case for three rounds and
// print the median of each round, as the jmckib replication logs it
// (7.0, 8.4159…, 9.6108…, 9.9619…).
func ExampleModel_Run() {
	sc, err := scenario.Load("../../testdata/reference/eum/emission.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := eum.Model{}.Run(context.Background(), sc, model.Options{Variant: "scholz", Rounds: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Issues[0].Rounds {
		fmt.Printf("round %d: median %.4f, mean %.4f, %d moves\n", r.Round, r.Median, r.Mean, len(r.Moves))
	}
	// Output:
	// round 0: median 7.0000, mean 7.3900, 0 moves
	// round 1: median 8.4159, mean 7.4613, 3 moves
	// round 2: median 9.6109, mean 7.5525, 3 moves
	// round 3: median 9.9620, mean 7.5901, 3 moves
}

// Stop as soon as the forecast has moved less than 0.01 in two consecutive
// rounds, instead of running a fixed number of rounds.
func ExampleModel_Run_stopRule() {
	sc, err := scenario.Load("../../testdata/reference/eum/emission.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := eum.Model{}.Run(context.Background(), sc, model.Options{Rounds: 50, Stop: model.StopRule{Epsilon: 0.01, K: 2}})
	if err != nil {
		fmt.Println(err)
		return
	}
	is := res.Issues[0]
	fmt.Printf("stopped: %s after %d rounds, forecast %.4f\n", is.Stopped, len(is.Rounds)-1, is.Forecast)
	fmt.Printf("settlement: %s from round %d\n", is.Settlement.Kind, is.Settlement.FromRound)
	// Output:
	// stopped: fixed after 5 rounds, forecast 9.9620
	// settlement: fixed from round 3
}

// Each side's expected utility of challenging the other, as the paper
// variant computes it at the start of the emission case.
func ExampleModel_Perceive() {
	sc, err := scenario.Load("../../testdata/reference/eum/emission.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	st := sc.Stakeholders(sc.Issues[0].ID)
	p, _ := eum.Model{}.Perceive(context.Background(), st, nil, model.Options{Variant: eum.VariantPaper})
	fmt.Printf("%s %s %.3f %.3f\n", p.IDs[0], p.IDs[1], p.EU(0, 1, 0), p.EU(1, 0, 1))
	// Output:
	// Netherlands Belgium 0.474 0.413
}
