package run

import (
	"context"
	"fmt"
	"math"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sweep"
)

// Env is what a run needs from the program that makes it.
type Env struct {
	// Registry lists the models; nil means registry.Default().
	Registry *model.Registry
	// Workers bounds the goroutines a run uses; 0 means one per CPU.
	// Results never depend on it.
	Workers int
	// CodeVersion names the build in the stored run.
	CodeVersion string
	// Progress, when set, is told how many of a long run's steps are done.
	Progress func(done, total int)
	// MaxIntervalDraws bounds the draws of a forecast's interval below
	// the library's limit (sweep.MaxIntervalDraws); 0 leaves that. The
	// server sets it from its --max-interval-draws (default 5,000), as
	// its client waits for the forecast.
	MaxIntervalDraws int
	// MaxDraws bounds the draws of a sweep and of a process or recognition
	// run's Monte Carlo below the libraries' own limits (sweep.MaxDraws,
	// recognition.MaxDraws); 0 leaves those. The server sets it from its
	// --max-draws (limits.go).
	MaxDraws int
}

func (e Env) registry() *model.Registry {
	if e.Registry == nil {
		return registry.Default()
	}
	return e.Registry
}

func (e Env) progress(done, total int) {
	if e.Progress != nil {
		e.Progress(done, total)
	}
}

// ModelSpec names the model a run uses and its options; forecasts, sweeps
// and sensitivity analyses share it. An empty Model is
// registry.DefaultModel, an empty Variant the model's first, Rounds 0 the
// model's default.
type ModelSpec struct {
	Model   string       `json:"model"`
	Variant string       `json:"variant"`
	Rounds  int          `json:"rounds"`
	Params  model.Params `json:"params"`
}

// Resolve looks the model up in reg (nil: registry.Default()) and checks
// the options against its declaration: an unknown model is a
// RequestError, options the model refuses a RequestError with Refused
// set.
func (s ModelSpec) Resolve(reg *model.Registry) (model.Model, model.Options, model.Resolved, error) {
	reg = Env{Registry: reg}.registry()
	name := s.Model
	if name == "" {
		name = registry.DefaultModel
	}
	opt := model.Options{Variant: s.Variant, Rounds: s.Rounds, Params: s.Params}
	m, err := reg.Get(name)
	if err != nil {
		return nil, opt, model.Resolved{}, badRequest(err)
	}
	set, err := model.Resolve(m.Info(), opt)
	if err != nil {
		return nil, opt, model.Resolved{}, refused(err)
	}
	return m, opt, set, nil
}

// resolveIn checks env (its workers, limits.go) and resolves the model in
// env's registry, as Resolve does.
func (s ModelSpec) resolveIn(env Env) (model.Model, model.Options, model.Resolved, error) {
	if err := env.check(); err != nil {
		return nil, model.Options{}, model.Resolved{}, err
	}
	return s.Resolve(env.Registry)
}

// header starts the header of a run of kind with the model's resolved
// settings.
func (s ModelSpec) header(kind string, sc *scenario.Scenario, m model.Model, set model.Resolved, env Env) Header {
	h := newHeader(kind, sc, env.CodeVersion)
	h.Model, h.Variant, h.Params = m.Info().Name, set.Variant, set.Params.Params()
	return h
}

// Defaults of a forecast's interval: the draws and seed of its sweep.
// The draws are bounded by sweep.MaxIntervalDraws and Env.MaxIntervalDraws
// (docs/security.md, Limits).
const (
	DefaultIntervalDraws = sweep.DefaultIntervalDraws
	DefaultIntervalSeed  = 1
)

// ForecastSpec asks for a forecast: one model run on a scenario.
type ForecastSpec struct {
	ModelSpec
	// Stable and Epsilon are the stop rule (model.StopRule): stop an
	// issue once its forecast has stayed fixed (within Epsilon; 0: each
	// issue's tolerance) for Stable rounds or its cycle has repeated
	// Stable times; Stable 0 runs every round.
	Stable  int     `json:"stable"`
	Epsilon float64 `json:"epsilon"`
	// Interval asks for an interval beside each forecast: a seeded sweep
	// of Draws draws under the scenario's uncertainty (sweep.AddIntervals).
	Interval bool   `json:"interval"`
	Draws    int    `json:"draws"`
	Seed     uint64 `json:"seed"`
	// WhatIf, when set, changes the scenario before the run (see
	// scenario.WhatIf); the run keeps it in its config and the changed
	// scenario as its snapshot.
	WhatIf *scenario.WhatIf `json:"what_if,omitempty"`
}

// NewForecastSpec is a forecast with the defaults: the default model and
// its defaults, every round, no interval (but the interval's defaults set,
// for a request that asks for one).
func NewForecastSpec() ForecastSpec {
	return ForecastSpec{ModelSpec: ModelSpec{Model: registry.DefaultModel}, Draws: DefaultIntervalDraws, Seed: DefaultIntervalSeed}
}

// ForecastConfig is what a stored forecast keeps, beyond the model,
// variant and parameters in the header, to be repeated: the rounds, the
// stop rule (--stable, --epsilon) and the interval's draws and seed
// (--interval; the seed is also the header's).
type ForecastConfig struct {
	Rounds  int     `json:"rounds"`
	Stable  int     `json:"stable,omitempty"`
	Epsilon float64 `json:"epsilon,omitempty"`
	// IntervalDraws is 0 when the run has no interval.
	IntervalDraws int    `json:"interval_draws,omitempty"`
	IntervalSeed  uint64 `json:"interval_seed,omitempty"`
	// WhatIf is the what-if the run applied to its scenario.
	WhatIf *scenario.WhatIf `json:"what_if,omitempty"`
}

// Forecast is a forecast run.
type Forecast = Record[ForecastConfig, result.Result]

// Check looks the model up and checks the options, as Run does before it
// runs anything.
func (s ForecastSpec) Check(env Env) error {
	_, _, _, err := s.resolve(env)
	return err
}

func (s ForecastSpec) resolve(env Env) (model.Model, model.Options, model.Resolved, error) {
	if s.Stable < 0 {
		return nil, model.Options{}, model.Resolved{}, &RequestError{Field: "stable", Err: fmt.Errorf("stable %d: want a number of rounds of 1 or more (0: every round)", s.Stable)}
	}
	if !(s.Epsilon >= 0) || math.IsInf(s.Epsilon, 0) {
		return nil, model.Options{}, model.Resolved{}, &RequestError{Field: "epsilon", Err: fmt.Errorf("epsilon %v: want a finite number of 0 or more", s.Epsilon)}
	}
	if err := s.checkInterval(env); err != nil {
		return nil, model.Options{}, model.Resolved{}, err
	}
	if err := checkWhatIf(s.WhatIf); err != nil {
		return nil, model.Options{}, model.Resolved{}, err
	}
	m, opt, set, err := s.resolveIn(env)
	if err != nil {
		return nil, opt, set, err
	}
	opt.Stop = model.StopRule{Epsilon: s.Epsilon, K: s.Stable}
	if set, err = model.Resolve(m.Info(), opt); err != nil {
		return nil, opt, set, refused(err)
	}
	return m, opt, set, nil
}

// checkInterval refuses draws outside their limits and, without an
// interval, draws or a seed other than their defaults: they set only the
// interval's sweep, so a request that gives them and no interval has
// likely forgotten to ask for it.
func (s ForecastSpec) checkInterval(env Env) error {
	if s.Interval {
		return checkDrawsWithin(s.Draws, sweep.MaxIntervalDraws, env.MaxIntervalDraws, "--max-interval-draws")
	}
	var field string
	var given any
	switch {
	case s.Draws != DefaultIntervalDraws:
		field, given = "draws", s.Draws
	case s.Seed != DefaultIntervalSeed:
		field, given = "seed", s.Seed
	default:
		return nil
	}
	return &RequestError{Field: field, Also: []string{"interval"},
		Err: fmt.Errorf("%s %d: draws and seed set the forecast's interval, which was not asked for (add {interval})", field, given)}
}

// Run runs the model on sc. The error is ctx's when the context ended,
// else a RequestError: the model refused the scenario or the options.
func (s ForecastSpec) Run(ctx context.Context, sc *scenario.Scenario, env Env) (*Forecast, error) {
	m, opt, set, err := s.resolve(env)
	if err != nil {
		return nil, err
	}
	opt.Workers = env.Workers
	if sc, err = applyWhatIf(s.WhatIf, sc); err != nil {
		return nil, err
	}
	res, err := m.Run(ctx, sc, opt)
	if err != nil {
		return nil, modelError(ctx, err)
	}
	h := s.header(KindForecast, sc, m, set, env)
	c := ForecastConfig{Rounds: set.Rounds, Stable: s.Stable, Epsilon: s.Epsilon, WhatIf: recorded(s.WhatIf)}
	if s.Interval {
		if err := sweep.AddIntervals(ctx, res, sc, m, opt, s.Draws, s.Seed, env.Workers); err != nil {
			return nil, modelError(ctx, err)
		}
		h.Seed, c.IntervalDraws, c.IntervalSeed = s.Seed, s.Draws, s.Seed
	}
	return &Forecast{Header: h, Config: c, Result: res}, nil
}

// checkWhatIf reads a what-if's settings before any scenario is at hand:
// a RequestError naming what_if when one does not read.
func checkWhatIf(w *scenario.WhatIf) error {
	if err := w.Check(); err != nil {
		return &RequestError{Field: "what_if", Err: fmt.Errorf("what_if: %w", err)}
	}
	return nil
}

// applyWhatIf returns sc changed by w (sc itself when w is empty): a
// RequestError naming what_if when w does not apply to sc.
func applyWhatIf(w *scenario.WhatIf, sc *scenario.Scenario) (*scenario.Scenario, error) {
	out, err := w.Apply(sc)
	if err != nil {
		return nil, &RequestError{Field: "what_if", Err: fmt.Errorf("what_if: %w", err)}
	}
	return out, nil
}

// recorded is the what-if a run's config records: nil when it changes
// nothing.
func recorded(w *scenario.WhatIf) *scenario.WhatIf {
	if w.Empty() {
		return nil
	}
	return w
}

// modelError is the error of a model run: the context's own when it has
// ended, else a RequestError (the model refused what the scenario or the
// options ask of it).
func modelError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return badRequest(err)
}
