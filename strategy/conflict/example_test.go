package conflict_test

import (
	"fmt"

	"github.com/parley-project/parley/strategy/conflict"
)

// Reading a pair from i's side: i expects 0.2 from challenging j, j
// expects to lose 0.5 from challenging i — j's loss is larger than i's
// gain, so i compels j.
func ExampleClassify() {
	fmt.Println(conflict.Classify(0.2, -0.5))
	fmt.Println(conflict.Classify(0.5, -0.2))
	fmt.Println(conflict.Classify(0.3, 0.6))
	fmt.Println(conflict.Classify(-0.1, -0.3))
	// Output:
	// compel i
	// compromise i
	// conflict j
	// status quo
}
