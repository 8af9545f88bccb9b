package scenario_test

import (
	"fmt"

	"github.com/parley-project/parley/scenario"
)

func ExampleScenario_SortActorIDs() {
	sc := &scenario.Scenario{Actors: []scenario.Actor{{ID: "srb"}, {ID: "usa"}, {ID: "rus"}}}
	ids := []string{"zz", "rus", "aa", "srb", "usa"}
	sc.SortActorIDs(ids)
	fmt.Println(ids)
	// Output: [srb usa rus aa zz]
}
