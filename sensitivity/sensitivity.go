// Package sensitivity ranks a scenario's inputs — each actor's position,
// salience and capability — by how much they move each issue's forecast:
// one at a time (each input at the low and high end of its range, the rest
// as coded) and by variance-based first-order and total Sobol indices
// (Sobol), all inputs varying together.
package sensitivity

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Attributes an input can be.
const (
	Position   = "position"
	Salience   = "salience"
	Capability = "capability"
)

// Ranges are how far each input may move: an actor's positions shift by
// up to ±Position × the issue's range (clamped to the scale); saliences and
// capabilities are multiplied by a factor in [1 − Salience, 1 + Salience]
// and [1 − Capability, 1 + Capability] (saliences clamped to the scale).
// An actor's position and salience inputs move all its stances together.
type Ranges struct {
	Position   float64 `json:"position"`
	Salience   float64 `json:"salience"`
	Capability float64 `json:"capability"`
}

// DefaultRanges are ±10% of the scale for positions and ±50% for saliences
// and capabilities, coarse estimates of how far analysts' codings differ.
var DefaultRanges = Ranges{Position: 0.1, Salience: 0.5, Capability: 0.5}

// Config describes an analysis.
type Config struct {
	Scenario *scenario.Scenario
	Model    model.Model
	Options  model.Options
	Ranges   Ranges
	// Samples is the number of base samples n of the Sobol design (n(k+2)
	// model runs for k inputs); 0 skips the Sobol indices.
	Samples int
	Seed    uint64
	Workers int
}

// Factor is one input's effect on one issue.
type Factor struct {
	Actor     string `json:"actor"`
	Attribute string `json:"attribute"`
	// Low and High are the forecasts with the input at the low and high
	// end of its range, everything else as coded; Effect is |High − Low|.
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
	Effect float64 `json:"effect"`
	// First and Total are the Sobol indices (absent without samples).
	First *float64 `json:"first_order,omitempty"`
	Total *float64 `json:"total,omitempty"`
}

// Issue is the ranking of inputs for one issue, most influential first
// (by total index, then one-at-a-time effect).
type Issue struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Baseline float64 `json:"baseline"`
	// Variance is the forecast's variance over the Sobol sample.
	Variance *float64 `json:"variance,omitempty"`
	Factors  []Factor `json:"factors"`
}

// Result is an analysis of a scenario.
type Result struct {
	Scenario string  `json:"scenario"`
	Model    string  `json:"model"`
	Variant  string  `json:"variant"`
	Rounds   int     `json:"rounds"`
	Ranges   Ranges  `json:"ranges"`
	Samples  int     `json:"samples"`
	Seed     uint64  `json:"seed"`
	Issues   []Issue `json:"issues"`
}

// input is one actor × attribute.
type input struct {
	actor     int
	attribute string
}

func inputs(sc *scenario.Scenario) []input {
	var in []input
	for a := range sc.Actors {
		for _, at := range []string{Position, Salience, Capability} {
			in = append(in, input{a, at})
		}
	}
	return in
}

// apply returns a copy of sc with input values u in [0, 1] (0.5 = as
// coded) for every input.
func apply(sc *scenario.Scenario, r Ranges, in []input, u []float64) *scenario.Scenario {
	out := *sc
	out.Actors = slices.Clone(sc.Actors)
	smax := sc.SalienceMax()
	for k, f := range in {
		a := &out.Actors[f.actor]
		d := 2*u[k] - 1 // in [−1, 1]
		switch f.attribute {
		case Capability:
			a.ScaleCapability(1 + d*r.Capability)
		case Position, Salience:
			st := make(map[string]scenario.Stance, len(a.Stances))
			for _, is := range sc.Issues {
				s, ok := a.Stances[is.ID]
				if !ok {
					continue
				}
				if f.attribute == Position {
					s.Position.Value = math.Max(is.Min, math.Min(is.Max, s.Position.Value+d*r.Position*(is.Max-is.Min)))
				} else {
					s.Salience.Value = math.Max(0, math.Min(smax, s.Salience.Value*(1+d*r.Salience)))
				}
				st[is.ID] = s
			}
			a.Stances = st
		}
	}
	return &out
}

// Analyse runs the one-at-a-time and, with samples, the Sobol analysis.
// It returns ctx.Err() once ctx has ended (every model run checks it).
func Analyse(ctx context.Context, cfg Config) (*Result, error) {
	sc := cfg.Scenario
	r := cfg.Ranges
	for _, v := range []float64{r.Position, r.Salience, r.Capability} {
		if math.IsNaN(v) || v < 0 || v > 1 {
			return nil, fmt.Errorf("ranges must lie in [0, 1], got %+v", r)
		}
	}
	if cfg.Samples < 0 || cfg.Samples == 1 {
		return nil, fmt.Errorf("samples must be 0 (no Sobol indices) or at least 2, got %d", cfg.Samples)
	}
	info := cfg.Model.Info()
	set, err := model.Resolve(info, cfg.Options)
	if err != nil {
		return nil, err
	}
	variant, rounds := set.Variant, set.Rounds
	opt := cfg.Options
	opt.Workers = 1
	in := inputs(sc)
	m := len(sc.Issues)
	// A model with a forecast-only path (model.Forecasting) runs through
	// Forecasters, one per goroutine at a time: the same forecasts without
	// recording every round.
	var forecasters sync.Pool
	if fm, ok := cfg.Model.(model.Forecasting); ok {
		forecasters.New = func() any { return fm.NewForecaster() }
	}
	eval := func(u, out []float64) error {
		if forecasters.New != nil {
			f := forecasters.Get().(model.Forecaster)
			defer forecasters.Put(f)
			got, err := f.Forecasts(ctx, apply(sc, r, in, u), opt, make([]float64, 0, m))
			if err != nil {
				return err
			}
			if len(got) != m {
				return fmt.Errorf("the model gave %d forecasts for %d issues", len(got), m)
			}
			copy(out, got)
			return nil
		}
		res, err := cfg.Model.Run(ctx, apply(sc, r, in, u), opt)
		if err != nil {
			return err
		}
		for k, is := range sc.Issues {
			i := slices.IndexFunc(res.Issues, func(x result.Issue) bool { return x.ID == is.ID })
			if i < 0 {
				return fmt.Errorf("the model gave no forecast for issue %s", is.ID)
			}
			out[k] = res.Issues[i].Forecast
		}
		return nil
	}
	mid := make([]float64, len(in))
	for k := range mid {
		mid[k] = 0.5
	}
	base := make([]float64, m)
	if err := eval(mid, base); err != nil {
		return nil, err
	}
	// One at a time: 2k runs, in parallel, each writing its own cells.
	low, high := make([]float64, len(in)*m), make([]float64, len(in)*m)
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	errs := make([]error, len(in))
	numeric.ParallelFor(len(in), workers, func(k int) {
		u := slices.Clone(mid)
		u[k] = 0
		if errs[k] = eval(u, low[k*m:(k+1)*m]); errs[k] != nil {
			return
		}
		u[k] = 1
		errs[k] = eval(u, high[k*m:(k+1)*m])
	})
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	var sob []Indices
	if cfg.Samples > 0 {
		if sob, err = Sobol(len(in), m, cfg.Samples, cfg.Seed, workers, eval); err != nil {
			return nil, err
		}
	}
	res := &Result{Scenario: sc.Name, Model: info.Name, Variant: variant, Rounds: rounds, Ranges: r, Samples: cfg.Samples, Seed: cfg.Seed}
	for o, is := range sc.Issues {
		ir := Issue{ID: is.ID, Name: is.DisplayName(), Baseline: base[o]}
		if sob != nil {
			v := sob[o].Variance
			ir.Variance = &v
		}
		for k, f := range in {
			if _, ok := sc.Actors[f.actor].Stances[is.ID]; !ok {
				continue // the actor takes no part in this issue
			}
			fc := Factor{Actor: sc.Actors[f.actor].ID, Attribute: f.attribute, Low: low[k*m+o], High: high[k*m+o]}
			fc.Effect = math.Abs(fc.High - fc.Low)
			if sob != nil {
				s1, st := sob[o].First[k], sob[o].Total[k]
				fc.First, fc.Total = &s1, &st
			}
			ir.Factors = append(ir.Factors, fc)
		}
		slices.SortStableFunc(ir.Factors, func(a, b Factor) int {
			if a.Total != nil && *a.Total != *b.Total {
				return cmp.Compare(*b.Total, *a.Total)
			}
			return cmp.Compare(b.Effect, a.Effect)
		})
		res.Issues = append(res.Issues, ir)
	}
	return res, nil
}
