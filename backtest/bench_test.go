package backtest

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/model/registry"
)

// synthetic builds a data set of DEU III's shape: 364 issues in 141
// proposals, the Commission, the Parliament and 28 member states, about a
// quarter of the positions missing, positions on a 0–100 grid of 10,
// reference points on about two thirds of the issues. The numbers are
// random (seeded); only the size matters for the benchmark.
func synthetic() *deu3.Dataset {
	rng := rand.New(rand.NewPCG(2026, 5))
	codes := []string{"com", "ep"}
	for c := range deu3.ISO3 {
		codes = append(codes, c)
	}
	// Map iteration order is random: sort for a reproducible layout.
	for i := 1; i < len(codes); i++ {
		for j := i; j > 2 && codes[j] < codes[j-1]; j-- {
			codes[j], codes[j-1] = codes[j-1], codes[j]
		}
	}
	d := &deu3.Dataset{File: "synthetic", Actors: codes}
	for range codes {
		d.GDP = append(d.GDP, 0.02+4*rng.Float64())
	}
	for i := range 364 {
		is := deu3.Issue{Line: i + 3, Proposal: string(rune('A'+i*141/364/26)) + string(rune('a'+i*141/364%26)), ID: "i" + string(rune('a'+i%26)) + string(rune('a'+i/26)),
			Procedure: deu3.Codecision, Rule: deu3.QMV, Reference: math.NaN(), Outcome: float64(rng.IntN(11) * 10)}
		if rng.IntN(5) < 2 {
			is.Procedure = deu3.Consultation
		}
		if rng.IntN(5) == 0 {
			is.Rule = deu3.Unanimity
		}
		if rng.IntN(3) > 0 {
			is.Reference = float64(rng.IntN(11) * 10)
		}
		for range codes {
			p, s := math.NaN(), math.NaN()
			if rng.IntN(4) > 0 {
				p, s = float64(rng.IntN(11)*10), float64(rng.IntN(11)*10)
			}
			is.Position = append(is.Position, p)
			is.Salience = append(is.Salience, s)
		}
		d.Issues = append(d.Issues, is)
	}
	return d
}

// BenchmarkBacktest runs the whole backtest: every registered model and
// variant under all three capability schemes on 364 issues, then scores
// them with 2,000 bootstrap resamples, a 10-fold cross-validated
// ensemble and the learned models.
func BenchmarkBacktest(b *testing.B) {
	d := synthetic()
	reg := registry.Default()
	specs, err := ParseSpecs("all", reg)
	if err != nil {
		b.Fatal(err)
	}
	used, skipped := d.Usable()
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[workers], func(b *testing.B) {
			for b.Loop() {
				var fcs []*Forecasts
				for _, s := range deu3.Schemes {
					fc, err := Predict(context.Background(), d, used, s, specs, reg, workers)
					if err != nil {
						b.Fatal(err)
					}
					fcs = append(fcs, fc)
				}
				Evaluate(d, fcs, skipped, Config{Seed: 1, Bootstrap: 2000, Folds: 10, Workers: workers, Learners: Learners})
			}
		})
	}
}

// syntheticForecasts predicts the synthetic set's usable issues with the
// listed models, equal capabilities, on 2 workers.
func syntheticForecasts(b *testing.B, list string) (*deu3.Dataset, []deu3.Issue, map[string]int, *Forecasts) {
	d := synthetic()
	reg := registry.Default()
	specs, _ := ParseSpecs(list, reg)
	used, skipped := d.Usable()
	fc, err := Predict(context.Background(), d, used, deu3.Equal, specs, reg, 2)
	if err != nil {
		b.Fatal(err)
	}
	return d, used, skipped, fc
}

// BenchmarkEvaluate times the scoring alone (bootstrap and ensemble).
func BenchmarkEvaluate(b *testing.B) {
	d, _, skipped, fc := syntheticForecasts(b, "all")
	for b.Loop() {
		Evaluate(d, []*Forecasts{fc}, skipped, Config{Seed: 1, Bootstrap: 2000, Folds: 10, Workers: 2})
	}
}

// BenchmarkLearners times the learned models alone: each cross-validated
// in 10 folds on one scheme's cases.
func BenchmarkLearners(b *testing.B) {
	_, used, _, fc := syntheticForecasts(b, "mean")
	keys := make([]string, len(used))
	y := make([]float64, len(used))
	for i := range used {
		keys[i], y[i] = used[i].Proposal, used[i].Outcome
	}
	group, groups := groupIndex(keys)
	for _, l := range Learners {
		b.Run(learnerLabel(l), func(b *testing.B) {
			for b.Loop() {
				crossValidateLearner(l, fc.Cases, y, group, groups, 10, 1, 2)
			}
		})
	}
}
