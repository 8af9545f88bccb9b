package sweep

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// DefaultIntervalDraws is the number of draws of a forecast interval
// (parley forecast --interval) when none is given: enough for the 5th and
// 95th percentiles to rest on 10 draws each, and few enough that the EUM
// on kosovo-2007 takes a few tenths of a second on two cores
// (docs/performance.md).
const DefaultIntervalDraws = 200

// MaxIntervalDraws bounds the draws of a forecast interval.
const MaxIntervalDraws = 1_000_000

// Intervals runs a seeded sweep of draws draws of model m on sc under the
// scenario's uncertainty (NoiseFrom: each number's own range or sd, else
// the default of its evidence class) and returns, per issue in the
// scenario's order, the 5th, 50th and 95th percentiles of the value a
// summary shows: the settlement value, or a static model's forecast.
// opt.Workers is ignored; workers draws run at once (0: one per CPU), and
// the intervals do not depend on it.
func Intervals(ctx context.Context, sc *scenario.Scenario, m model.Model, opt model.Options, draws int, seed uint64, workers int) ([]result.Interval, error) {
	if draws < 1 || draws > MaxIntervalDraws {
		return nil, fmt.Errorf("interval draws must lie between 1 and %d, got %d", MaxIntervalDraws, draws)
	}
	noise, err := NoiseFrom(sc)
	if err != nil {
		return nil, err
	}
	res, err := Run(ctx, Config{Scenario: sc, Model: m, Options: opt, Noise: noise, Settled: true, Draws: draws, Seed: seed, Workers: workers})
	if err != nil {
		return nil, err
	}
	out := make([]result.Interval, len(res.Issues))
	for k, is := range res.Issues {
		q := is.Quantiles
		out[k] = result.Interval{P05: q.P5, P50: q.P50, P95: q.P95, Draws: draws, Seed: seed}
	}
	return out, nil
}

// AddIntervals runs Intervals and sets each issue's Interval in res, a
// result of the same model on sc.
func AddIntervals(ctx context.Context, res *result.Result, sc *scenario.Scenario, m model.Model, opt model.Options, draws int, seed uint64, workers int) error {
	ivs, err := Intervals(ctx, sc, m, opt, draws, seed, workers)
	if err != nil {
		return err
	}
	for k := range res.Issues {
		for i, is := range sc.Issues {
			if is.ID == res.Issues[k].ID {
				iv := ivs[i]
				res.Issues[k].Interval = &iv
			}
		}
	}
	return nil
}
