package power_test

import (
	"fmt"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/institution/power"
)

// The Security Council's a priori voting power: each permanent member
// holds 421/2145 of the Shapley–Shubik index, each elected member 4/2145.
func ExampleCompute() {
	b, _ := institution.Builtin("unsc-2007")
	g, _ := power.FromBody(b)
	res, _ := power.Compute(g)
	for _, ix := range res.Indices[4:6] {
		fmt.Printf("%s %.4f %.4f\n", ix.Member, ix.ShapleyShubik, ix.Banzhaf)
	}
	fmt.Println(res.Method)
	// Output:
	// USA 0.1963 0.1669
	// BEL 0.0019 0.0165
	// dynamic programming
}

// What would pass supervised independence in the Security Council: China
// and Russia vote no with their vetoes, and four members vote yes.
func ExampleAnalyse() {
	b, _ := institution.Builtin("unsc-2007")
	out := b.Vote(80, 50, map[string]float64{"USA": 90, "GBR": 85, "FRA": 85, "ITA": 75, "RUS": 35, "CHN": 40}, institution.Options{})
	p := power.Analyse(b, out)
	fmt.Println(p.Goal, p.Needed, p.Sets[0], p.More)
	// Output:
	// pass 5 [CHN RUS BEL COG GHA] true
}
