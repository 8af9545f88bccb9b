package exchange_test

import (
	"context"
	"testing"

	"github.com/parley-project/parley/internal/cputime"
	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/exchange"
	"github.com/parley-project/parley/scenario"
)

// BenchmarkCOP21 runs the exchange model on the COP21 case of Decide
// (15 actors, 13 issues) for 10 rounds. Beside wall time per run it
// reports the process's CPU time per run (cpu-ms/op), which a loaded
// machine does not inflate. equal-gain-float64 is equal gain with
// exact=0 (no decimal settling of near-ties); equal-gain-issue-capabilities
// is equal gain on cop21-issue-power.txt, COP21 with a power per actor
// and issue (each #D row's power times 0.5, 1 or 1.5).
func BenchmarkCOP21(b *testing.B) {
	cop21 := fixture.Load(b, "reference/decide/cop21.csv")
	perIssue := fixture.Load(b, "reference/decide/replication/cop21-issue-power.txt")
	for _, c := range []struct {
		name, variant string
		exact         float64
		sc            *scenario.Scenario
	}{
		{"equal-gain", exchange.EqualGain, 1, cop21},
		{"equal-gain-float64", exchange.EqualGain, 0, cop21},
		{"random-rate", exchange.RandomRate, 1, cop21},
		{"equal-gain-issue-capabilities", exchange.EqualGain, 1, perIssue},
	} {
		sc := c.sc
		b.Run(c.name, func(b *testing.B) {
			opt := model.Options{Variant: c.variant, Rounds: 10, Params: model.Params{"exact": model.Number(c.exact)}}
			c0 := cputime.Process()
			for b.Loop() {
				if _, err := (exchange.Model{}).Run(context.Background(), sc, opt); err != nil {
					b.Fatal(err)
				}
			}
			if c := cputime.Process() - c0; c > 0 {
				b.ReportMetric(float64(c.Nanoseconds())/1e6/float64(b.N), "cpu-ms/op")
			}
		})
	}
}
