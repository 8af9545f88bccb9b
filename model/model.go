// Package model defines the interface every Parley model implements, the
// options a run takes, the declaration of its parameters, and the registry
// that lists the models.
//
// Data flows scenario → model → result: a Model reads a validated
// scenario.Scenario and returns a result.Result holding, for each issue,
// the state of every round and the forecast. Outputs particular to one
// model hang off the result's typed result.Extensions.
//
// # Running a model
//
//	res, err := m.Run(ctx, sc, model.Options{Variant: "paper", Rounds: 20,
//		Params: model.Params{"q": model.Number(0.5)}})
//
// Run (and Forecaster.Forecasts) take a context first and return
// ctx.Err() promptly once it ends: models check it between rounds and
// within a long round. Rounds are bounded by MaxRounds.
//
// # Parameters
//
// A model declares each parameter in Info.Params with FloatParam,
// IntParam, EnumParam or BoolParam: its kind, range or named values (each
// with a numeric code), and default. Optional turns a declaration into one
// without a default whose absence means something ("take the scenario's
// setting"): no sentinel values.
//
// Callers set parameters in Options.Params as values of package param:
// model.Text("0.5") for a word as the command line's -p NAME=VALUE gives
// it, model.Number(0.5) and model.Boolean(true) for typed values; a JSON
// request's number, boolean or string decodes into a Value directly. The
// one routine Param.Parse checks a value against its declaration and
// returns it in canonical form (a Float or Int as a number, an Enum as its
// value's name, a Bool as a boolean), refusing anything else with the
// allowed values listed. Resolve applies it to every given parameter and
// fills in the defaults; a model reads the result by name and kind:
//
//	r, err := model.Resolve(m.Info(), opt)
//	q, _ := r.Params.Float("q")
//	t, set := r.Params.Float("t") // optional: set is false when not given
//	rule, _ := r.Params.Enum("voting_rule") // rule.Name, rule.Code
//
// Values.Params gives the canonical values a stored run records.
package model

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Model is a forecasting model.
type Model interface {
	// Info describes the model, its variants and parameters.
	Info() Info
	// Run forecasts every issue of the scenario. It checks ctx between
	// rounds (and within a long round) and returns ctx.Err() once the
	// context has ended.
	Run(ctx context.Context, sc *scenario.Scenario, opt Options) (*result.Result, error)
}

// Info describes a model for listings and for checking options.
type Info struct {
	Name        string
	Description string
	// Variants lists the model's variants, the default first; empty when
	// the model has none.
	Variants []Variant
	// Params declares the parameters the model accepts.
	Params []Param
	// Rounds is the default number of rounds (0 for static models).
	Rounds int
}

// Variant is a named version of a model.
type Variant struct {
	Name        string
	Description string
}

// MaxRounds bounds Options.Rounds: no model runs more rounds than this,
// however it is asked (command line, server, process stage, sweep). The
// models settle or cycle within tens of rounds (their defaults are 10 and
// KTAB's 100), while a run records every round: the EUM's 10,000 rounds
// of the six-issue Kosovo scenario take about 3 s and 330 MB and print
// 64 MB of JSON (docs/performance.md), so a larger count buys nothing but
// memory.
const MaxRounds = 10000

// Options are the settings of one run.
type Options struct {
	// Variant names the model variant; "" means the default.
	Variant string
	// Rounds is the most rounds to run, at most MaxRounds; 0 means the
	// model's default.
	Rounds int
	// Params sets model parameters by name; each is checked by its
	// declaration (Param.Parse) and the rest take their defaults.
	Params Params
	// Stop ends a dynamic model early once its forecast has settled.
	Stop StopRule
	// Workers bounds the goroutines a model may use; 0 means one per CPU.
	// Results never depend on it.
	Workers int
}

// StopRule ends a run once a forecast has settled: stayed fixed for K
// consecutive rounds, or gone round a cycle that has repeated K times
// (result.Repeats). K = 0 disables it. Epsilon is the tolerance within
// which two forecasts count as equal; 0 means the issue's settlement
// tolerance (result.Tolerance: 1/10,000 of its scale).
type StopRule struct {
	Epsilon float64
	K       int
}

// Check reports whether the forecasts so far (round 0 first) satisfy the
// rule, and why: result.StoppedFixed, result.StoppedCycle, or "" when
// they do not. tol is the issue's settlement tolerance, used when Epsilon
// is 0.
func (s StopRule) Check(forecasts []float64, tol float64) string {
	if s.K <= 0 {
		return ""
	}
	if s.Epsilon > 0 {
		tol = s.Epsilon
	}
	switch p := result.Repeats(forecasts, tol, s.K); {
	case p == 1:
		return result.StoppedFixed
	case p > 1:
		return result.StoppedCycle
	}
	return ""
}

// Settle sets the settlement of every issue of a round-based model's
// result (result.Issue.SettleIssue), with each issue's tolerance taken
// from its scale in sc.
func Settle(sc *scenario.Scenario, res *result.Result) {
	for k := range res.Issues {
		ir := &res.Issues[k]
		tol := 0.0
		if is := sc.Issue(ir.ID); is != nil {
			tol = result.Tolerance(is.Min, is.Max)
		}
		ir.SettleIssue(tol)
	}
}

// Resolved are a run's options checked against the model's Info.
type Resolved struct {
	// Variant is the variant's name ("" for a model without variants).
	Variant string
	// Rounds is the most rounds to run.
	Rounds int
	// Params are the checked parameters, defaults filled in.
	Params Values
}

// Resolve checks the options against the model's Info and returns the
// variant name, the number of rounds and the full parameter set. Errors
// name the option or parameter and what it accepts.
func Resolve(info Info, opt Options) (Resolved, error) {
	variant := opt.Variant
	if len(info.Variants) == 0 {
		if variant != "" {
			return Resolved{}, fmt.Errorf("model %s has no variants (got %q)", info.Name, variant)
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
			return Resolved{}, fmt.Errorf("model %s has no variant %q (have %s)", info.Name, variant, strings.Join(names, ", "))
		}
	}
	if err := numeric.CheckWorkers(opt.Workers); err != nil {
		return Resolved{}, err
	}
	rounds := opt.Rounds
	if rounds < 0 || rounds > MaxRounds {
		return Resolved{}, fmt.Errorf("rounds: %d is outside 0 to %d (0 means the model's default)", rounds, MaxRounds)
	}
	if rounds == 0 {
		rounds = info.Rounds
	}
	params, err := resolveParams(info, opt.Params)
	if err != nil {
		return Resolved{}, err
	}
	if opt.Stop.K < 0 || !(opt.Stop.Epsilon >= 0) || math.IsInf(opt.Stop.Epsilon, 0) {
		return Resolved{}, fmt.Errorf("stop rule needs a finite, non-negative epsilon and a non-negative round count")
	}
	return Resolved{Variant: variant, Rounds: rounds, Params: params}, nil
}

// IssueFunc forecasts one issue from its stakeholders.
type IssueFunc func(is *scenario.Issue, st []scenario.Stakeholder) (result.Issue, error)

// PerIssue runs a one-dimensional model on each issue of the scenario in
// turn and assembles the result. It returns ctx.Err() when the context
// ends before an issue starts.
func PerIssue(ctx context.Context, sc *scenario.Scenario, name, variant string, f IssueFunc) (*result.Result, error) {
	res := &result.Result{Scenario: sc.Name, Model: name, Variant: variant}
	for i := range sc.Issues {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		is := &sc.Issues[i]
		st := sc.Stakeholders(is.ID)
		if len(st) == 0 {
			return nil, fmt.Errorf("issue %q: no actor holds a position", is.ID)
		}
		ir, err := f(is, st)
		if err != nil {
			return nil, fmt.Errorf("issue %q: %w", is.ID, err)
		}
		ir.ID, ir.Name = is.ID, is.DisplayName()
		if len(ir.Rounds) > 0 {
			ir.Forecast = ir.Final().Forecast
		}
		res.Issues = append(res.Issues, ir)
	}
	return res, nil
}

// StaticFunc gives a one-shot model's forecast of one issue from its
// stakeholders' positions x and weights w (capability × salience).
type StaticFunc func(variant string, is *scenario.Issue, x, w []float64, st []scenario.Stakeholder) (float64, error)

// Static runs a one-shot model on each issue: round 0 holds the
// positions, the forecast, the weighted median and the weighted mean, and
// the issue is marked "static".
func Static(ctx context.Context, sc *scenario.Scenario, info Info, opt Options, f StaticFunc) (*result.Result, error) {
	r, err := Resolve(info, opt)
	if err != nil {
		return nil, err
	}
	variant := r.Variant
	return PerIssue(ctx, sc, info.Name, variant, func(is *scenario.Issue, st []scenario.Stakeholder) (result.Issue, error) {
		x, w := Positions(st), Weights(st)
		fc, err := f(variant, is, x, w, st)
		if err != nil {
			return result.Issue{}, err
		}
		r := result.Round{
			Forecast:  fc,
			Median:    numeric.WeightedMedian(x, w),
			Mean:      numeric.WeightedMean(x, w),
			Positions: PositionMap(st, x),
		}
		return result.Issue{Stopped: "static", Rounds: []result.Round{r}}, nil
	})
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

// SettledForecaster is a Forecaster that also gives each issue's
// settlement value, bit for bit the Settlement.Value of each issue of
// Run's result (for a sweep of the value a summary shows).
type SettledForecaster interface {
	Forecaster
	// Settled appends to dst the settlement value of each issue of sc, in
	// the scenario's issue order. Like Run it returns ctx.Err() once the
	// context has ended.
	Settled(ctx context.Context, sc *scenario.Scenario, opt Options, dst []float64) ([]float64, error)
}

// Forecaster gives the final forecast of each issue of a scenario; it may
// keep working memory from call to call, so one Forecaster serves one
// goroutine.
type Forecaster interface {
	// Forecasts appends to dst the final forecast of each issue of sc, in
	// the scenario's issue order. Like Run it returns ctx.Err() once the
	// context has ended.
	Forecasts(ctx context.Context, sc *scenario.Scenario, opt Options, dst []float64) ([]float64, error)
}
