// Package backtest measures how well Parley's models forecast real
// outcomes. It runs models on every usable issue of a data set (DEU III,
// package deu3), scores the forecasts against the recorded outcomes, puts
// bootstrap intervals on every score by resampling whole proposals, and
// evaluates a stacked ensemble by cross-validation grouped by proposal.
//
// Data flows deu3 (data) → scenario → model → Forecasts → Report.
package backtest

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/model"
)

// Spec names one model run: a registry model and a variant ("" for the
// model's default).
type Spec struct {
	Model, Variant string
}

func (s Spec) String() string {
	if s.Variant == "" {
		return s.Model
	}
	return s.Model + ":" + s.Variant
}

// ParseSpecs reads a comma-separated list of model[:variant]. A model
// named without a variant stands for all its variants. "all" (or an empty
// list) means every model and variant of the registry.
func ParseSpecs(list string, reg *model.Registry) ([]Spec, error) {
	list = strings.TrimSpace(list)
	var out []Spec
	add := func(m model.Model, variant string) {
		info := m.Info()
		if variant != "" || len(info.Variants) == 0 {
			out = append(out, Spec{info.Name, variant})
			return
		}
		for _, v := range info.Variants {
			out = append(out, Spec{info.Name, v.Name})
		}
	}
	if list == "" || list == "all" {
		for _, m := range reg.All() {
			add(m, "")
		}
		return out, nil
	}
	for _, item := range strings.Split(list, ",") {
		name, variant, _ := strings.Cut(strings.TrimSpace(item), ":")
		m, err := reg.Get(name)
		if err != nil {
			return nil, err
		}
		if variant != "" {
			if _, _, _, err := model.Resolve(m.Info(), model.Options{Variant: variant}); err != nil {
				return nil, err
			}
		}
		add(m, variant)
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
	// ImputedSaliences counts saliences filled in (deu3.Conversion).
	ImputedSaliences int
}

// Predict runs each model on each issue, in parallel over issues on the
// given number of workers (0 or less: 1). Results do not depend on the
// number of workers.
func Predict(d *deu3.Dataset, issues []deu3.Issue, scheme string, specs []Spec, reg *model.Registry, workers int) (*Forecasts, error) {
	models := make([]model.Model, len(specs))
	for s, sp := range specs {
		m, err := reg.Get(sp.Model)
		if err != nil {
			return nil, err
		}
		models[s] = m
	}
	fc := &Forecasts{Scheme: scheme, Issues: issues, Specs: specs, F: make([][]float64, len(specs))}
	for s := range fc.F {
		fc.F[s] = make([]float64, len(issues))
	}
	imputed := make([]int, len(issues))
	errs := make([]error, len(issues))
	parallel(len(issues), workers, func(i int) {
		is := &issues[i]
		sc, conv, err := d.ToScenario(is, scheme)
		if err != nil {
			errs[i] = err
			return
		}
		imputed[i] = conv.ImputedSaliences
		for s, m := range models {
			opt := model.Options{Variant: specs[s].Variant, Workers: 1, Params: Params(is)}
			if !acceptsParams(m) {
				opt.Params = nil
			}
			res, err := m.Run(sc, opt)
			if err != nil {
				errs[i] = fmt.Errorf("%s:%d: issue %s: model %s: %w", d.File, is.Line, is.ID, specs[s], err)
				return
			}
			f := res.Issues[0].Forecast
			if math.IsNaN(f) || math.IsInf(f, 0) {
				errs[i] = fmt.Errorf("%s:%d: issue %s: model %s gave no finite forecast", d.File, is.Line, is.ID, specs[s])
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
	for _, n := range imputed {
		fc.ImputedSaliences += n
	}
	return fc, nil
}

// StatusQuoParam is the parameter by which models that use the reference
// point (the procedure-aware model) receive it.
const StatusQuoParam = "status_quo"

// Params returns the issue's parameters for models that take a status
// quo: the reference point, or -1 when the file has none.
func Params(is *deu3.Issue) map[string]float64 {
	rp := is.Reference
	if math.IsNaN(rp) {
		rp = -1
	}
	return map[string]float64{StatusQuoParam: rp}
}

// acceptsParams reports whether a model declares the parameter Params
// gives; other models get none.
func acceptsParams(m model.Model) bool {
	return slices.ContainsFunc(m.Info().Params, func(p model.Param) bool { return p.Name == StatusQuoParam })
}

// parallel calls f(i) for i in 0..n-1 on up to workers goroutines.
func parallel(n, workers int, f func(i int)) {
	if workers < 1 {
		workers = 1
	}
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
