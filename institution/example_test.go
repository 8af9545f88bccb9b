package institution_test

import (
	"fmt"

	"github.com/parley-project/parley/institution"
)

// The Security Council votes on supervised independence (80) against the
// status quo of UN administration (50). Russia, closer to the status quo,
// votes no and its veto blocks the resolution.
func ExampleBody_Vote() {
	b, _ := institution.Builtin("unsc-2007")
	positions := map[string]float64{"USA": 95, "GBR": 85, "FRA": 85, "ITA": 80, "BEL": 80, "RUS": 10, "CHN": 25}
	out := b.Vote(80, 50, positions, institution.Options{
		Members: map[string]institution.MemberRule{"SVK": {Vote: institution.Abstain, Reason: "own minority concerns"}},
	})
	for _, bl := range out.Ballots[:6] {
		fmt.Printf("%s %s\n", bl.Member, bl.Vote)
	}
	fmt.Println(out.Passed, out.Vetoes)
	fmt.Println(out.Reason)
	// Output:
	// CHN no
	// FRA yes
	// RUS no
	// GBR yes
	// USA yes
	// BEL yes
	// false [CHN RUS]
	// 5 affirmative votes, 9 needed; vetoed by CHN, RUS
}

// A qualified majority in the Council of 27 needs 255 of 345 votes, 14
// members and 62% of the population.
func ExampleBuiltin() {
	b, _ := institution.Builtin("eu-council")
	positions := map[string]float64{}
	for _, m := range b.Members {
		positions[m.ID] = 100
	}
	for _, id := range []string{"DEU", "FRA", "ESP", "LUX"} {
		positions[id] = 0
	}
	out := b.Vote(100, 0, positions, institution.Options{})
	fmt.Println(out.Passed)
	fmt.Println(out.Reason)
	// Output:
	// false
	// no qualified majority: 61.49% of the population in favour, 62% needed
}
