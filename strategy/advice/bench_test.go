package advice

import (
	"context"
	"testing"

	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenarios"
)

// BenchmarkKosovo is 'parley advise usa --issue status' with each model.
func BenchmarkKosovo(b *testing.B) {
	sc, err := scenarios.Get("kosovo-2007")
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range registry.Default().All() {
		b.Run(m.Info().Name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Advise(context.Background(), Config{Scenario: sc, Model: m, Actor: "usa", Issue: "status"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
