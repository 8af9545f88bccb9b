package scenario_test

import (
	"fmt"

	"github.com/parley-project/parley/scenario"
)

// A scenario refers to a built-in body and maps its members to actors;
// Body assembles the body and Positions reads the members' positions.
func ExampleInstitution_Body() {
	sc, err := scenario.Parse([]byte(`name: council-example
issues: [{id: status, min: 0, max: 100}]
actors:
  - {id: usa, capability: 1, stances: {status: {position: 90, salience: 80}}}
  - {id: russia, capability: 1, stances: {status: {position: 30, salience: 80}}}
institutions:
  - {id: unsc, builtin: unsc-2007, actors: {USA: usa, RUS: russia}}
`), "council.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	in := sc.Institution("unsc")
	b, _ := in.Body()
	out := b.Vote(80, 50, sc.Positions(in, b, "status"), in.VoteOptions())
	fmt.Println(b.Name, len(b.Members), "members")
	fmt.Println(out.Passed, out.Vetoes, out.Tally.Abstain, "abstaining")
	// Output:
	// UN Security Council (2007) 15 members
	// false [RUS] 13 abstaining
}
