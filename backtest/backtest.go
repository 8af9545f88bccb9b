// Package backtest measures how well Parley's models forecast real
// outcomes. It runs models on every usable issue of a data set (DEU III,
// package deu3), scores the forecasts against the recorded outcomes, puts
// bootstrap intervals on every score by resampling whole proposals, and
// evaluates a stacked ensemble by cross-validation grouped by proposal.
//
// Data flows deu3 (data) → scenario → model → Forecasts → Report.
package backtest

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Spec names one model run: a registry model, a variant ("" for the
// model's default) and the scope: one scenario per issue, or, with
// Proposal, one scenario per proposal holding all its issues, so that
// models that link issues (vote trading, the spatial model) can.
type Spec struct {
	Model, Variant string
	Proposal       bool
}

// ProposalSuffix marks a spec run on whole proposals.
const ProposalSuffix = "@proposal"

func (s Spec) String() string {
	out := s.Model
	if s.Variant != "" {
		out += ":" + s.Variant
	}
	if s.Proposal {
		out += ProposalSuffix
	}
	return out
}

// LinkingModels are the models that link issues. In the list "all" they
// run on whole proposals; the spatial model also runs issue by issue, the
// exchange model does not, since with one issue there is nothing to
// trade and its forecast is the weighted mean.
var LinkingModels = map[string]struct{ PerIssue bool }{"smp": {true}, "exchange": {false}}

// ParseSpecs reads a comma-separated list of model[:variant][@proposal].
// A model named without a variant stands for all its variants. "all" (or
// an empty list) means every model and variant of the registry, issue by
// issue, and the LinkingModels also on whole proposals.
func ParseSpecs(list string, reg *model.Registry) ([]Spec, error) {
	list = strings.TrimSpace(list)
	var out []Spec
	add := func(m model.Model, variant string, proposal bool) {
		info := m.Info()
		if variant != "" || len(info.Variants) == 0 {
			out = append(out, Spec{info.Name, variant, proposal})
			return
		}
		for _, v := range info.Variants {
			out = append(out, Spec{info.Name, v.Name, proposal})
		}
	}
	if list == "" || list == "all" {
		for _, m := range reg.All() {
			l, linking := LinkingModels[m.Info().Name]
			if !linking || l.PerIssue {
				add(m, "", false)
			}
		}
		for _, m := range reg.All() {
			if _, linking := LinkingModels[m.Info().Name]; linking {
				add(m, "", true)
			}
		}
		return out, nil
	}
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		item, proposal := strings.CutSuffix(item, ProposalSuffix)
		name, variant, _ := strings.Cut(item, ":")
		m, err := reg.Get(name)
		if err != nil {
			return nil, err
		}
		if variant != "" {
			if _, err := model.Resolve(m.Info(), model.Options{Variant: variant}); err != nil {
				return nil, err
			}
		}
		add(m, variant, proposal)
	}
	return out, nil
}

// Forecasts holds every model's forecast of every usable issue under one
// capability scheme.
type Forecasts struct {
	Scheme string
	Issues []deu3.Issue
	Specs  []Spec
	// F[s][i] is model Specs[s]'s forecast of Issues[i].
	F [][]float64
	// Cases are what learned models may know of each issue before its
	// outcome (Learner).
	Cases []Case
	// ImputedSaliences counts saliences filled in and ZeroSalience the
	// actors left out for salience 0 (deu3.Conversion).
	ImputedSaliences, ZeroSalience int
}

// Predict runs each model on each issue (a spec with Proposal once per
// proposal, on all its issues together), in parallel over issues and over
// proposals on the given number of workers (0 or less: 1). Models that
// take a status quo get the issue's reference point (Params). Results do
// not depend on the number of workers.
// It returns ctx.Err() once ctx has ended (the models check it as they
// run).
func Predict(ctx context.Context, d *deu3.Dataset, issues []deu3.Issue, scheme string, specs []Spec, reg *model.Registry, workers int) (*Forecasts, error) {
	models := make([]model.Model, len(specs))
	for s, sp := range specs {
		m, err := reg.Get(sp.Model)
		if err != nil {
			return nil, err
		}
		models[s] = m
	}
	fc := &Forecasts{Scheme: scheme, Issues: issues, Specs: specs, F: make([][]float64, len(specs)), Cases: make([]Case, len(issues))}
	for s := range fc.F {
		fc.F[s] = make([]float64, len(issues))
	}
	conv := make([]deu3.Conversion, len(issues))
	errs := make([]error, len(issues))
	run := func(m model.Model, s int, sc *scenario.Scenario, params model.Params) (*result.Result, error) {
		opt := model.Options{Variant: specs[s].Variant, Workers: 1}
		if acceptsParams(m) {
			opt.Params = params
		}
		return m.Run(ctx, sc, opt)
	}
	numeric.ParallelFor(len(issues), workers, func(i int) {
		is := &issues[i]
		sc, c, err := d.ToScenario(is, scheme)
		if err != nil {
			errs[i] = err
			return
		}
		conv[i] = c
		fc.Cases[i] = newCase(is, sc)
		for s, m := range models {
			if specs[s].Proposal {
				continue
			}
			res, err := run(m, s, sc, Params(is))
			if err != nil {
				errs[i] = fmt.Errorf("%s:%d: issue %q: model %s: %w", d.File, is.Line, is.ID, specs[s], err)
				return
			}
			f := res.Issues[0].Forecast
			if math.IsNaN(f) || math.IsInf(f, 0) {
				errs[i] = fmt.Errorf("%s:%d: issue %q: model %s gave no finite forecast", d.File, is.Line, is.ID, specs[s])
				return
			}
			fc.F[s][i] = f
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	// Whole proposals, for the specs that ask for them.
	keys := make([]string, len(issues))
	for i := range issues {
		keys[i] = issues[i].Proposal
	}
	group, groups := groupIndex(keys)
	addProposals(fc.Cases, group)
	members := make([][]int, groups)
	for i, g := range group {
		members[g] = append(members[g], i)
	}
	perr := make([]error, groups)
	numeric.ParallelFor(groups, workers, func(g int) {
		var ps []*deu3.Issue
		for _, i := range members[g] {
			ps = append(ps, &issues[i])
		}
		var sc *scenario.Scenario
		for s, m := range models {
			if !specs[s].Proposal {
				continue
			}
			if sc == nil {
				var err error
				if sc, _, err = d.ToProposalScenario(ps, scheme); err != nil {
					perr[g] = err
					return
				}
			}
			res, err := run(m, s, sc, nil)
			if err != nil {
				perr[g] = fmt.Errorf("%s:%d: proposal %s: model %s: %w", d.File, ps[0].Line, ps[0].Proposal, specs[s], err)
				return
			}
			for _, i := range members[g] {
				var found bool
				for _, ir := range res.Issues {
					if ir.ID == issues[i].ID {
						fc.F[s][i], found = ir.Forecast, true
					}
				}
				if f := fc.F[s][i]; !found || math.IsNaN(f) || math.IsInf(f, 0) {
					perr[g] = fmt.Errorf("%s:%d: issue %q: model %s gave no finite forecast", d.File, issues[i].Line, issues[i].ID, specs[s])
					return
				}
			}
		}
	})
	for _, err := range perr {
		if err != nil {
			return nil, err
		}
	}
	for _, c := range conv {
		fc.ImputedSaliences += c.ImputedSaliences
		fc.ZeroSalience += c.ZeroSalience
	}
	return fc, nil
}

// StatusQuoParam is the parameter by which models that use the reference
// point (the procedure-aware model) receive it.
const StatusQuoParam = "status_quo"

// Params returns the issue's parameters for models that take a status
// quo: the reference point, or none when the file has none.
func Params(is *deu3.Issue) model.Params {
	if math.IsNaN(is.Reference) {
		return nil
	}
	return model.Params{StatusQuoParam: model.Number(is.Reference)}
}

// acceptsParams reports whether a model declares the parameter Params
// gives; other models get none.
func acceptsParams(m model.Model) bool {
	return slices.ContainsFunc(m.Info().Params, func(p model.Param) bool { return p.Name == StatusQuoParam })
}
