package exchange_test

import (
	"context"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/exchange"
)

// BenchmarkCOP21 runs the exchange model on the COP21 case of Decide
// (15 actors, 13 issues) for 10 rounds. Beside wall time per run it
// reports the process's CPU time per run (cpu-ms/op), which a loaded
// machine does not inflate. equal-gain-float64 is equal gain with
// exact=0 (no decimal settling of near-ties).
func BenchmarkCOP21(b *testing.B) {
	sc := fixture.Load(b, "reference/decide/cop21.csv")
	for _, c := range []struct {
		name, variant string
		exact         float64
	}{
		{"equal-gain", exchange.EqualGain, 1},
		{"equal-gain-float64", exchange.EqualGain, 0},
		{"random-rate", exchange.RandomRate, 1},
	} {
		b.Run(c.name, func(b *testing.B) {
			opt := model.Options{Variant: c.variant, Rounds: 10, Params: model.Params{"exact": model.Number(c.exact)}}
			c0 := cpuTime()
			for b.Loop() {
				if _, err := (exchange.Model{}).Run(context.Background(), sc, opt); err != nil {
					b.Fatal(err)
				}
			}
			if c := cpuTime() - c0; c > 0 {
				b.ReportMetric(float64(c.Nanoseconds())/1e6/float64(b.N), "cpu-ms/op")
			}
		})
	}
}
