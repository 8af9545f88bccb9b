// Package sensitivity ranks a scenario's inputs — each actor's position,
// salience and capability — by how much they move each issue's forecast
// (its headline: the settlement value of a round-based model): one at a
// time (each input at the low and high end of its range, the rest as
// coded) and by variance-based first-order and total Sobol indices
// (Sobol), all inputs varying together. An input's range comes from the
// scenario's uncertainty: each number's own range or sd, or the default of
// its evidence class (sweep.Noise).
package sensitivity

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sweep"
)

// Attributes an input can be.
const (
	Position   = "position"
	Salience   = "salience"
	Capability = "capability"
)

// Ranges are fixed fractions by which inputs move, the alternative to the
// scenario's own uncertainty: an actor's positions shift by up to
// ±Position × the issue's range (clamped to the scale); saliences and
// capabilities are multiplied by a factor in [1 − Salience, 1 + Salience]
// and [1 − Capability, 1 + Capability] (saliences clamped to the scale).
// They apply to the numbers that carry no range or sd of their own.
type Ranges struct {
	Position   float64 `json:"position"`
	Salience   float64 `json:"salience"`
	Capability float64 `json:"capability"`
}

// Config describes an analysis.
type Config struct {
	Scenario *scenario.Scenario
	Model    model.Model
	Options  model.Options
	// Noise is the scenario's uncertainty (sweep.NoiseFrom and the
	// overrides a caller applies); nil means sweep.NoiseFrom(Scenario).
	// Each number moves between its own range, or the 5th and 95th
	// percentiles of the distribution a sweep draws it from
	// (sweep.Noise.Ends).
	Noise *sweep.Noise
	// Ranges, when set, moves the numbers that carry no range or sd of
	// their own by these fixed fractions instead of Noise's levels.
	Ranges *Ranges
	// Samples is the number of base samples n of the Sobol design (n(k+2)
	// model runs for k inputs); 0 skips the Sobol indices.
	Samples int
	Seed    uint64
	Workers int
}

// Factor is one input's effect on one issue.
type Factor struct {
	// Actor is the actor's id, Name its name.
	Actor     string `json:"actor"`
	Name      string `json:"name"`
	Attribute string `json:"attribute"`
	// Low and High are the forecasts with the input at the low and high
	// end of its range, everything else as coded. Effect is the span of
	// Low, High and the forecast as coded: |High − Low| when the coded
	// forecast lies between them, else the larger move from it, so that
	// an input whose two ends both move the forecast far (10 as coded, 90
	// and 94.65 at the ends) is not ranked by their small difference.
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
	Effect float64 `json:"effect"`
	// First and Total are the Sobol indices (absent without samples).
	First *float64 `json:"first_order,omitempty"`
	Total *float64 `json:"total,omitempty"`
}

// Issue is the ranking of inputs for one issue, most influential first:
// by one-at-a-time effect, then by total index, then in input order.
type Issue struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Baseline float64 `json:"baseline"`
	// Variance is the forecast's variance over the Sobol sample.
	Variance *float64 `json:"variance,omitempty"`
	Factors  []Factor `json:"factors"`
}

// Result is an analysis of a scenario. The forecast analysed is each
// issue's headline: its settlement value (result.Settlement.Value) for a
// round-based model, its forecast for a static one.
type Result struct {
	Scenario string `json:"scenario"`
	Model    string `json:"model"`
	Variant  string `json:"variant"`
	Rounds   int    `json:"rounds"`
	// Ranges are the fixed fractions used instead of the scenario's
	// uncertainty (Config.Ranges); absent when the scenario's was used.
	Ranges *Ranges `json:"ranges,omitempty"`
	// Levels are the noise levels of numbers without a range or sd of
	// their own, with direct evidence and without (absent with Ranges).
	Levels     *sweep.Levels `json:"levels,omitempty"`
	ThinLevels *sweep.Levels `json:"thin_levels,omitempty"`
	Samples    int           `json:"samples"`
	Seed       uint64        `json:"seed"`
	Issues     []Issue       `json:"issues"`
}

// input is one actor × attribute: the numbers it moves, each between
// its low and high end.
type input struct {
	actor     int
	attribute string
	ends      []end
}

// end is one number an input moves: where (the issue, "" for the
// capability) and its low end, coded value and high end.
type end struct {
	issue          string
	low, mid, high float64
}

// at returns the number at u in [0, 1]: low at 0, the coded value at ½,
// high at 1, linear in between.
func (e end) at(u float64) float64 {
	if u < 0.5 {
		return e.low + (e.mid-e.low)*2*u
	}
	return e.mid + (e.high-e.mid)*(2*u-1)
}

// inputs lists every actor × attribute with the ends of its numbers.
func inputs(sc *scenario.Scenario, n sweep.Noise, r *Ranges) []input {
	smax := sc.SalienceMax()
	var in []input
	for ai := range sc.Actors {
		a := &sc.Actors[ai]
		for _, at := range []string{Position, Salience, Capability} {
			f := input{actor: ai, attribute: at}
			capEnds := func(issue string, c scenario.Number) {
				lo, hi := n.Ends(c, sweep.Capability, 0, math.Inf(1))
				if r != nil && !c.Spread() {
					lo, hi = c.Value*(1-r.Capability), c.Value*(1+r.Capability)
				}
				f.ends = append(f.ends, end{issue, lo, c.Value, hi})
			}
			if at == Capability {
				capEnds("", a.Capability)
			}
			for _, is := range sc.Issues {
				s, ok := a.Stances[is.ID]
				if ok && at == Capability && s.Capability.Set {
					// The actor's capability on the issue moves with its
					// capability: one input.
					capEnds(is.ID, s.Capability)
				}
				if !ok || at == Capability {
					continue
				}
				x, kind, min, max := s.Position, sweep.Position, is.Min, is.Max
				if at == Salience {
					x, kind, min, max = s.Salience, sweep.Salience, 0, smax
				} else if !x.Set {
					continue
				}
				lo, hi := n.Ends(x, kind, min, max)
				if r != nil && !x.Spread() {
					if at == Position {
						lo, hi = x.Value-r.Position*(is.Max-is.Min), x.Value+r.Position*(is.Max-is.Min)
					} else {
						lo, hi = x.Value*(1-r.Salience), x.Value*(1+r.Salience)
					}
					lo, hi = math.Max(min, lo), math.Min(max, hi)
				}
				f.ends = append(f.ends, end{is.ID, lo, x.Value, hi})
			}
			in = append(in, f)
		}
	}
	return in
}

// apply returns a copy of sc with input values u in [0, 1] (0.5 = as
// coded) for every input.
func apply(sc *scenario.Scenario, in []input, u []float64) *scenario.Scenario {
	out := *sc
	out.Actors = slices.Clone(sc.Actors)
	for k, f := range in {
		a := &out.Actors[f.actor]
		ends := f.ends
		if f.attribute == Capability {
			a.Capability.Value = ends[0].at(u[k])
			if ends = ends[1:]; len(ends) == 0 {
				continue
			}
		}
		st := make(map[string]scenario.Stance, len(a.Stances))
		maps.Copy(st, a.Stances)
		for _, e := range ends {
			s := st[e.issue]
			switch f.attribute {
			case Position:
				s.Position.Value = e.at(u[k])
			case Salience:
				s.Salience.Value = e.at(u[k])
			default:
				s.Capability.Value = e.at(u[k])
			}
			st[e.issue] = s
		}
		a.Stances = st
	}
	return &out
}

// MaxSobolOutputs bounds the forecasts the Sobol design keeps, samples ×
// (inputs + 2) × issues: 50,000,000 numbers, 400 MB.
const MaxSobolOutputs = 50_000_000

// CheckCounts reports samples other than 0 or 2 and more, a design that
// would keep more than MaxSobolOutputs forecasts, and workers beyond
// numeric.CheckWorkers: what Analyse refuses before it runs anything
// (besides the scenario's noise), for a caller that checks a request
// first.
func (cfg Config) CheckCounts() error {
	if cfg.Samples < 0 || cfg.Samples == 1 {
		return fmt.Errorf("samples must be 0 (no Sobol indices) or at least 2, got %d", cfg.Samples)
	}
	k, m := 3*len(cfg.Scenario.Actors), len(cfg.Scenario.Issues)
	if cfg.Samples > 0 && cfg.Samples > MaxSobolOutputs/(k+2)/max(m, 1) {
		return fmt.Errorf("samples: %d samples × (%d inputs + 2) × %d issues is more than %d forecasts; at most %d samples for this scenario",
			cfg.Samples, k, m, MaxSobolOutputs, MaxSobolOutputs/(k+2)/max(m, 1))
	}
	return numeric.CheckWorkers(cfg.Workers)
}

// Analyse runs the one-at-a-time and, with samples, the Sobol analysis.
// It returns ctx.Err() once ctx has ended (every model run checks it).
func Analyse(ctx context.Context, cfg Config) (*Result, error) {
	sc := cfg.Scenario
	if r := cfg.Ranges; r != nil {
		for _, v := range []float64{r.Position, r.Salience, r.Capability} {
			if math.IsNaN(v) || v < 0 || v > 1 {
				return nil, fmt.Errorf("ranges must lie in [0, 1], got %+v", *r)
			}
		}
	}
	var noise sweep.Noise
	if cfg.Noise != nil {
		noise = *cfg.Noise
	} else {
		var err error
		if noise, err = sweep.NoiseFrom(sc); err != nil {
			return nil, err
		}
	}
	if err := noise.Check(); err != nil {
		return nil, err
	}
	if err := cfg.CheckCounts(); err != nil {
		return nil, err
	}
	info := cfg.Model.Info()
	set, err := model.Resolve(info, cfg.Options)
	if err != nil {
		return nil, err
	}
	variant, rounds := set.Variant, set.Rounds
	opt := cfg.Options
	opt.Workers = 1
	in := inputs(sc, noise, cfg.Ranges)
	m := len(sc.Issues)
	// A model with a fast path for the settlement values
	// (model.SettledForecaster) runs through Forecasters, one per goroutine
	// at a time: the same values without recording every round.
	var forecasters sync.Pool
	if fm, ok := cfg.Model.(model.Forecasting); ok {
		if _, ok := fm.NewForecaster().(model.SettledForecaster); ok {
			forecasters.New = func() any { return fm.NewForecaster() }
		}
	}
	eval := func(u, out []float64) error {
		if forecasters.New != nil {
			f := forecasters.Get().(model.SettledForecaster)
			defer forecasters.Put(f)
			got, err := f.Settled(ctx, apply(sc, in, u), opt, make([]float64, 0, m))
			if err != nil {
				return err
			}
			if len(got) != m {
				return fmt.Errorf("the model gave %d forecasts for %d issues", len(got), m)
			}
			copy(out, got)
			return nil
		}
		res, err := cfg.Model.Run(ctx, apply(sc, in, u), opt)
		if err != nil {
			return err
		}
		for k, is := range sc.Issues {
			i := slices.IndexFunc(res.Issues, func(x result.Issue) bool { return x.ID == is.ID })
			if i < 0 {
				return fmt.Errorf("the model gave no forecast for issue %q", is.ID)
			}
			out[k] = res.Issues[i].Forecast
			if st := res.Issues[i].Settlement; st != nil {
				out[k] = st.Value
			}
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
	res := &Result{Scenario: sc.Name, Model: info.Name, Variant: variant, Rounds: rounds, Ranges: cfg.Ranges, Samples: cfg.Samples, Seed: cfg.Seed}
	if cfg.Ranges == nil {
		direct := sweep.Levels{Position: noise.Position, Salience: noise.Salience, Capability: noise.Capability}
		res.Levels, res.ThinLevels = &direct, &direct
		if noise.Thin != nil {
			thin := *noise.Thin
			res.ThinLevels = &thin
		}
	}
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
			a := &sc.Actors[f.actor]
			fc := Factor{Actor: a.ID, Name: a.DisplayName(), Attribute: f.attribute, Low: low[k*m+o], High: high[k*m+o]}
			fc.Effect = max(fc.Low, fc.High, base[o]) - min(fc.Low, fc.High, base[o])
			if sob != nil {
				s1, st := sob[o].First[k], sob[o].Total[k]
				fc.First, fc.Total = &s1, &st
			}
			ir.Factors = append(ir.Factors, fc)
		}
		// Ranked by the effect the table shows first: an input that moves
		// the forecast across the scale ranks above one that does not,
		// whatever the Sobol estimates (which carry sampling error, and
		// miss effects that need other inputs at their coded values).
		slices.SortStableFunc(ir.Factors, func(a, b Factor) int {
			if c := cmp.Compare(b.Effect, a.Effect); c != 0 {
				return c
			}
			if a.Total != nil && b.Total != nil {
				return cmp.Compare(*b.Total, *a.Total)
			}
			return 0
		})
		res.Issues = append(res.Issues, ir)
	}
	return res, nil
}
