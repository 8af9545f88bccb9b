package power

import (
	"fmt"
	"testing"

	"github.com/parley-project/parley/institution"
)

// BenchmarkBodies computes the indices of the built-in bodies and of a
// 193-member General Assembly (every UN member today).
func BenchmarkBodies(b *testing.B) {
	ga193 := &institution.Body{ID: "ga193", Rule: institution.SimpleMajority}
	for i := range 193 {
		ga193.Members = append(ga193.Members, institution.Member{ID: fmt.Sprint(i), Weight: 1})
	}
	bodies := []*institution.Body{ga193}
	for _, n := range []string{"unsc-2007", "eu-council", "unga-two-thirds"} {
		bd, _ := institution.Builtin(n)
		bodies = append(bodies, bd)
	}
	for _, bd := range bodies {
		g, err := FromBody(bd)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bd.ID, func(b *testing.B) {
			for b.Loop() {
				if _, err := Compute(g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
