package process_test

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/scenario"
)

// Talks fail at the deadline, a three-member council fails to adopt the
// proposal, and the claimant acts alone.
func ExampleRun() {
	sc, err := scenario.Parse([]byte(`name: example
as_of: "2007-08-10"
issues: [{id: status, min: 0, max: 100}]
actors:
  - {id: a, capability: 1, stances: {status: {position: 90, salience: 50}}}
  - {id: b, capability: 1, stances: {status: {position: 20, salience: 50}}}
  - {id: c, capability: 1, stances: {status: {position: 60, salience: 50}}}
institutions:
  - id: council
    rule: unanimity
    members: [{id: a}, {id: b}, {id: c}]
process:
  status_quo: {status: 50}
  stages:
    - {id: talks, kind: talks, issue: status, model: mean, deadline: "2007-12-10", parties: [a, b], tolerance: 10}
    - {id: vote, kind: vote, issue: status, body: council, proposal: 80, date: "2007-12-19", when: {failed: [talks]}}
    - {id: act, kind: unilateral, issue: status, actor: a, position: 100, date: "2008-02-17", when: {failed: [talks, vote]}}
`), "example.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := process.Run(context.Background(), sc, process.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range res.Events {
		fmt.Println(e.Date, e.Kind, e.Outcome)
	}
	for _, st := range res.Stages {
		fmt.Printf("%s: position %.2f, forecast %.2f\n", st.ID, st.Issues[0].Position, st.Issues[0].Forecast)
	}
	// Output:
	// 2007-12-10 talks failed
	// 2007-12-19 vote failed
	// 2008-02-17 unilateral passed
	// talks: position 50.00, forecast 56.67
	// vote: position 50.00, forecast 56.67
	// act: position 100.00, forecast 100.00
}

// Check finds what only running the process would: here a model that does
// not exist and a state that is not a UN member. Passed to scenario.Parse,
// its problems carry the file, line and field.
func ExampleCheck() {
	_, err := scenario.Parse([]byte(`name: example
as_of: "2007-08-10"
issues: [{id: status, min: 0, max: 100}]
actors:
  - {id: a, capability: 1, stances: {status: {position: 90, salience: 50}}}
  - {id: b, capability: 1, stances: {status: {position: 20, salience: 50}}}
process:
  status_quo: {status: 50}
  stages:
    - id: talks
      kind: talks
      issue: status
      model: eum-2
      deadline: "2007-12-10"
    - {id: act, kind: unilateral, issue: status, actor: a, position: 100, date: "2008-02-17"}
    - id: rec
      kind: recognition
      after: act
      until: "2010-12-31"
      recognising: [USA, Narnia]
      opposing: [RUS]
`), "example.yaml", process.Check(registry.Default()))
	fmt.Println(err)
	// Output:
	// example.yaml:13: process.stages[0].model: unknown model "eum-2" (have mean, median, condorcet, power-mean, eum, smp, exchange, procedure, nash)
	// example.yaml:20: process.stages[2].recognising[1]: unknown state "Narnia" (want an ISO3 code of a UN member, e.g. USA, or its name)
}

// A caller that replaces a stage's opposing side (as 'parley recognition
// --opposing' does) checks a copy of the stage without it: the file's
// unknown state is then not reported.
func ExampleCheckStage() {
	sc, err := scenario.Parse([]byte(`{name: declared, issues: [{id: status, min: 0, max: 100}],
  actors: [{id: north, capability: 2, stances: {status: {position: 100, salience: 80}}},
           {id: south, capability: 1, stances: {status: {position: 0, salience: 90}}}],
  process: {status_quo: {status: 10}, stages: [
    {id: act, kind: unilateral, issue: status, actor: north, position: 100, date: "2008-02-17"},
    {id: rec, kind: recognition, after: act, until: "2012-12-31", recognising: [USA], opposing: [Narnia]}]}}
`), "example.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	st := sc.Process.Stages[1]
	fmt.Println(process.CheckStage(sc, 1, &st, registry.Default()))
	st.Opposing = nil
	fmt.Println(process.CheckStage(sc, 1, &st, registry.Default()) == nil)
	// Output:
	// example.yaml: process.stages[1].opposing[0]: unknown state "Narnia" (want an ISO3 code of a UN member, e.g. USA, or its name)
	// true
}
