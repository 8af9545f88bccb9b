package run

import (
	"context"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
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

// header starts the header of a run of kind with the model's resolved
// settings.
func (s ModelSpec) header(kind string, sc *scenario.Scenario, m model.Model, set model.Resolved, env Env) Header {
	h := newHeader(kind, sc, env.CodeVersion)
	h.Model, h.Variant, h.Params = m.Info().Name, set.Variant, set.Params.Params()
	return h
}

// DefaultEpsilon is the stop rule's forecast change below which a round
// counts as settled, when a forecast asks for a stop rule (Stable > 0).
const DefaultEpsilon = 0.01

// ForecastSpec asks for a forecast: one model run on a scenario.
type ForecastSpec struct {
	ModelSpec
	// Stable and Epsilon are the stop rule (model.StopRule): stop once the
	// forecast has moved less than Epsilon in Stable consecutive rounds;
	// Stable 0 runs every round.
	Stable  int     `json:"stable"`
	Epsilon float64 `json:"epsilon"`
}

// NewForecastSpec is a forecast with the defaults: the default model and
// its defaults, no stop rule.
func NewForecastSpec() ForecastSpec {
	return ForecastSpec{ModelSpec: ModelSpec{Model: registry.DefaultModel}, Epsilon: DefaultEpsilon}
}

// ForecastConfig is what a stored forecast keeps, beyond the model,
// variant and parameters in the header, to be repeated.
type ForecastConfig struct {
	Rounds int `json:"rounds"`
	// Stable and Epsilon are the stop rule (--stable, --epsilon).
	Stable  int     `json:"stable,omitempty"`
	Epsilon float64 `json:"epsilon,omitempty"`
}

// Forecast is a forecast run.
type Forecast = Record[ForecastConfig, result.Result]

// Check looks the model up and checks the options, as Run does before it
// runs anything.
func (s ForecastSpec) Check(reg *model.Registry) error {
	_, _, _, err := s.resolve(reg)
	return err
}

func (s ForecastSpec) resolve(reg *model.Registry) (model.Model, model.Options, model.Resolved, error) {
	m, opt, set, err := s.Resolve(reg)
	if err != nil {
		return nil, opt, set, err
	}
	opt.Stop = model.StopRule{Epsilon: s.Epsilon, K: s.Stable}
	if set, err = model.Resolve(m.Info(), opt); err != nil {
		return nil, opt, set, refused(err)
	}
	return m, opt, set, nil
}

// Run runs the model on sc. The error is ctx's when the context ended,
// else a RequestError: the model refused the scenario or the options.
func (s ForecastSpec) Run(ctx context.Context, sc *scenario.Scenario, env Env) (*Forecast, error) {
	m, opt, set, err := s.resolve(env.registry())
	if err != nil {
		return nil, err
	}
	opt.Workers = env.Workers
	res, err := m.Run(ctx, sc, opt)
	if err != nil {
		return nil, modelError(ctx, err)
	}
	return &Forecast{Header: s.header(KindForecast, sc, m, set, env),
		Config: ForecastConfig{Rounds: set.Rounds, Stable: s.Stable, Epsilon: s.Epsilon}, Result: res}, nil
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
