// Package model defines the interface every Parley model implements, the
// options a run takes, and the registry that lists the models.
//
// Data flows scenario → model → result: a Model reads a validated
// scenario.Scenario and returns a result.Result holding, for each issue,
// the state of every round and the forecast.
package model

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Model is a forecasting model.
type Model interface {
	// Info describes the model, its variants and parameters.
	Info() Info
	// Run forecasts every issue of the scenario.
	Run(sc *scenario.Scenario, opt Options) (*result.Result, error)
}

// Info describes a model for listings and for checking options.
type Info struct {
	Name        string
	Description string
	// Variants lists the model's variants, the default first; empty when
	// the model has none.
	Variants []Variant
	// Params lists the numeric parameters the model accepts.
	Params []Param
	// Rounds is the default number of rounds (0 for static models).
	Rounds int
}

// Variant is a named version of a model.
type Variant struct {
	Name        string
	Description string
}

// Param is a numeric model parameter.
type Param struct {
	Name        string
	Default     float64
	Description string
}

// Options are the settings of one run.
type Options struct {
	// Variant names the model variant; "" means the default.
	Variant string
	// Rounds is the most rounds to run; 0 means the model's default.
	Rounds int
	// Params overrides model parameters by name.
	Params map[string]float64
	// Stop ends a dynamic model early once its forecast has settled.
	Stop StopRule
	// Workers bounds the goroutines a model may use; 0 means one per CPU.
	// Results never depend on it.
	Workers int
}

// StopRule ends a run when the forecast has moved less than Epsilon in
// each of K consecutive rounds. K = 0 disables it.
type StopRule struct {
	Epsilon float64
	K       int
}

// Settled reports whether the forecasts so far (round 0 first) satisfy the
// rule.
func (s StopRule) Settled(forecasts []float64) bool {
	if s.K <= 0 || len(forecasts) <= s.K {
		return false
	}
	n := len(forecasts)
	for i := n - s.K; i < n; i++ {
		if math.Abs(forecasts[i]-forecasts[i-1]) >= s.Epsilon {
			return false
		}
	}
	return true
}

// Resolve checks the options against the model's Info and returns the
// variant name, the number of rounds and the full parameter set.
func Resolve(info Info, opt Options) (variant string, rounds int, params map[string]float64, err error) {
	variant = opt.Variant
	if len(info.Variants) == 0 {
		if variant != "" {
			return "", 0, nil, fmt.Errorf("model %s has no variants (got %q)", info.Name, variant)
		}
	} else {
		if variant == "" {
			variant = info.Variants[0].Name
		}
		if !slices.ContainsFunc(info.Variants, func(v Variant) bool { return v.Name == variant }) {
			names := make([]string, len(info.Variants))
			for i, v := range info.Variants {
				names[i] = v.Name
			}
			return "", 0, nil, fmt.Errorf("model %s has no variant %q (have %s)", info.Name, variant, strings.Join(names, ", "))
		}
	}
	if err := numeric.CheckWorkers(opt.Workers); err != nil {
		return "", 0, nil, err
	}
	rounds = opt.Rounds
	if rounds < 0 {
		return "", 0, nil, fmt.Errorf("rounds must not be negative, got %d", rounds)
	}
	if rounds == 0 {
		rounds = info.Rounds
	}
	params = map[string]float64{}
	for _, p := range info.Params {
		params[p.Name] = p.Default
	}
	keys := make([]string, 0, len(opt.Params))
	for k := range opt.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := opt.Params[k]
		if _, ok := params[k]; !ok {
			return "", 0, nil, fmt.Errorf("model %s has no parameter %q", info.Name, k)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", 0, nil, fmt.Errorf("parameter %s must be a finite number", k)
		}
		params[k] = v
	}
	if opt.Stop.K < 0 || opt.Stop.Epsilon < 0 {
		return "", 0, nil, fmt.Errorf("stop rule needs a non-negative epsilon and round count")
	}
	return variant, rounds, params, nil
}

// IssueFunc forecasts one issue from its stakeholders.
type IssueFunc func(is *scenario.Issue, st []scenario.Stakeholder) (result.Issue, error)

// PerIssue runs a one-dimensional model on each issue of the scenario in
// turn and assembles the result.
func PerIssue(sc *scenario.Scenario, name, variant string, f IssueFunc) (*result.Result, error) {
	res := &result.Result{Scenario: sc.Name, Model: name, Variant: variant}
	for i := range sc.Issues {
		is := &sc.Issues[i]
		st := sc.Stakeholders(is.ID)
		if len(st) == 0 {
			return nil, fmt.Errorf("issue %s: no actor holds a position", is.ID)
		}
		ir, err := f(is, st)
		if err != nil {
			return nil, fmt.Errorf("issue %s: %w", is.ID, err)
		}
		ir.ID, ir.Name = is.ID, is.DisplayName()
		if len(ir.Rounds) > 0 {
			ir.Forecast = ir.Final().Forecast
		}
		res.Issues = append(res.Issues, ir)
	}
	return res, nil
}

// Weights returns capability × salience for each stakeholder.
func Weights(st []scenario.Stakeholder) []float64 {
	w := make([]float64, len(st))
	for i, s := range st {
		w[i] = s.Capability * s.Salience
	}
	return w
}

// Positions returns the stakeholders' positions.
func Positions(st []scenario.Stakeholder) []float64 {
	x := make([]float64, len(st))
	for i, s := range st {
		x[i] = s.Position
	}
	return x
}

// PositionMap maps stakeholder id to position x[i].
func PositionMap(st []scenario.Stakeholder, x []float64) map[string]float64 {
	m := make(map[string]float64, len(st))
	for i, s := range st {
		m[s.ID] = x[i]
	}
	return m
}

// Registry is an ordered set of models.
type Registry struct {
	models []Model
}

// NewRegistry returns a registry holding the given models in order.
func NewRegistry(models ...Model) *Registry { return &Registry{models: models} }

// All returns the models in registration order.
func (r *Registry) All() []Model { return slices.Clone(r.models) }

// Get returns the model with the given name.
func (r *Registry) Get(name string) (Model, error) {
	var names []string
	for _, m := range r.models {
		if m.Info().Name == name {
			return m, nil
		}
		names = append(names, m.Info().Name)
	}
	return nil, fmt.Errorf("unknown model %q (have %s)", name, strings.Join(names, ", "))
}

// Forecasting is implemented by models that can give each issue's final
// forecast alone, faster than Run and without its garbage. The forecasts
// must equal, bit for bit, the Forecast of each issue of Run's result.
type Forecasting interface {
	Model
	// NewForecaster returns a Forecaster for one goroutine.
	NewForecaster() Forecaster
}

// Forecaster gives the final forecast of each issue of a scenario; it may
// keep working memory from call to call, so one Forecaster serves one
// goroutine.
type Forecaster interface {
	// Forecasts appends to dst the final forecast of each issue of sc, in
	// the scenario's issue order.
	Forecasts(sc *scenario.Scenario, opt Options, dst []float64) ([]float64, error)
}
