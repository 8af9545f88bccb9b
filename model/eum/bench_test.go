package eum_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/parley-project/parley/internal/cputime"
	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// randomScenario builds a one-issue scenario of n actors with positions on
// 0–100, capabilities 1–100 and saliences 10–100, from a fixed seed.
func randomScenario(n int, seed uint64) *scenario.Scenario {
	rng := rand.New(rand.NewPCG(seed, 1))
	sc := &scenario.Scenario{Name: fmt.Sprintf("random-%d", n), Issues: []scenario.Issue{{ID: "x", Min: 0, Max: 100}}}
	for i := range n {
		sc.Actors = append(sc.Actors, scenario.Actor{
			ID:         fmt.Sprintf("a%d", i),
			Capability: scenario.N(1 + 99*rng.Float64()),
			Stances: map[string]scenario.Stance{"x": {
				Position: scenario.N(100 * rng.Float64()),
				Salience: scenario.N(10 + 90*rng.Float64()),
			}},
		})
	}
	return sc
}

// BenchmarkEUM runs 10 rounds of each variant at n = 10, 100 and 1,000
// actors, on one worker and on two.
func BenchmarkEUM(b *testing.B) {
	for _, variant := range []string{"paper", "scholz"} {
		for _, n := range []int{10, 100, 1000} {
			for _, workers := range []int{1, 2} {
				if n == 10 && workers == 2 {
					continue
				}
				sc := randomScenario(n, 42)
				b.Run(fmt.Sprintf("%s/n=%d/workers=%d", variant, n, workers), func(b *testing.B) {
					opt := model.Options{Variant: variant, Rounds: 10, Workers: workers}
					for b.Loop() {
						if _, err := (eum.Model{}).Run(context.Background(), sc, opt); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkEUMScale runs 10 rounds of each variant on 2 workers at
// n = 1,000 to 10,000 actors (the seeded scenarios of randomScenario), for
// the growth exponent in docs/performance.md. Besides wall time it reports
// the process's CPU seconds per run (cpu-s/op), steadier on a shared
// machine.
func BenchmarkEUMScale(b *testing.B) {
	for _, variant := range []string{"scholz", "paper"} {
		for _, n := range []int{1000, 2000, 3000, 5000, 7000, 10000} {
			sc := randomScenario(n, 42)
			b.Run(fmt.Sprintf("%s/n=%d", variant, n), func(b *testing.B) {
				opt := model.Options{Variant: variant, Rounds: 10, Workers: 2}
				cpu0 := cputime.Process()
				for b.Loop() {
					if _, err := (eum.Model{}).Run(context.Background(), sc, opt); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
			})
		}
	}
}

// BenchmarkEmission is the 10-actor emission case, 10 rounds, as in the
// Python replication's 22 s.
func BenchmarkEmission(b *testing.B) {
	sc := fixture.Emission(b)
	for _, variant := range []string{"scholz", "paper"} {
		b.Run(variant, func(b *testing.B) {
			for b.Loop() {
				if _, err := (eum.Model{}).Run(context.Background(), sc, model.Options{Variant: variant, Rounds: 10, Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkKosovo runs the six-issue kosovo-2007 scenario (the scholz
// variant, 10 rounds), once through Run, which records every round, and
// once through a reused Forecaster, as a sweep draw does.
func BenchmarkKosovo(b *testing.B) {
	sc, err := scenarios.Get("kosovo-2007")
	if err != nil {
		b.Fatal(err)
	}
	opt := model.Options{Rounds: 10, Workers: 1}
	b.Run("run", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := (eum.Model{}).Run(context.Background(), sc, opt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("forecaster", func(b *testing.B) {
		b.ReportAllocs()
		f := eum.Model{}.NewForecaster()
		var out []float64
		for b.Loop() {
			if out, err = f.Forecasts(context.Background(), sc, opt, out[:0]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkKosovoSettlement measures what settlement detection costs a
// run: "run" is Run on kosovo-2007 (10 and 100 rounds), "settle" the
// detection alone on the finished result (model.Settle, which Run calls
// once at the end); for sweeps, "settled" is a Forecaster giving the
// settlement values against "forecasts", the last rounds' forecasts.
func BenchmarkKosovoSettlement(b *testing.B) {
	sc, err := scenarios.Get("kosovo-2007")
	if err != nil {
		b.Fatal(err)
	}
	for _, rounds := range []int{10, 100} {
		opt := model.Options{Rounds: rounds, Workers: 1}
		res, err := eum.Model{}.Run(context.Background(), sc, opt)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("rounds=%d/run", rounds), func(b *testing.B) {
			for b.Loop() {
				if _, err := (eum.Model{}).Run(context.Background(), sc, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("rounds=%d/settle", rounds), func(b *testing.B) {
			for b.Loop() {
				model.Settle(sc, res)
			}
		})
		f := eum.Model{}.NewForecaster()
		sf := f.(model.SettledForecaster)
		var out []float64
		b.Run(fmt.Sprintf("rounds=%d/forecasts", rounds), func(b *testing.B) {
			for b.Loop() {
				if out, err = f.Forecasts(context.Background(), sc, opt, out[:0]); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("rounds=%d/settled", rounds), func(b *testing.B) {
			for b.Loop() {
				if out, err = sf.Settled(context.Background(), sc, opt, out[:0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
