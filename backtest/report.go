package backtest

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
)

// Config sets the evaluation.
type Config struct {
	// Seed seeds the bootstrap and the cross-validation folds.
	Seed uint64
	// Bootstrap is the number of bootstrap resamples of proposals.
	Bootstrap int
	// Folds is K of the ensemble's K-fold cross-validation; 0 leaves the
	// ensemble out.
	Folds int
	// Workers bounds the goroutines used; results do not depend on it.
	Workers int
	// Learners are the learned models cross-validated with the ensemble
	// (when Folds > 1); nil: none.
	Learners []Learner
}

// Limits of a backtest's settings.
const (
	// MaxBootstrap is the most bootstrap resamples.
	MaxBootstrap = 100_000
	// MaxFolds is the largest K of the cross-validation.
	MaxFolds = 1000
)

// Check reports settings out of bounds: bootstrap resamples beyond 0 to
// MaxBootstrap, folds other than 0 (no ensemble) or 2 to MaxFolds, and
// workers beyond numeric.CheckWorkers.
func (c Config) Check() error {
	if c.Bootstrap < 0 || c.Bootstrap > MaxBootstrap {
		return fmt.Errorf("bootstrap must be 0 to %d, got %d", MaxBootstrap, c.Bootstrap)
	}
	if c.Folds < 0 || c.Folds == 1 || c.Folds > MaxFolds {
		return fmt.Errorf("folds must be 0 (no ensemble) or 2 to %d, got %d", MaxFolds, c.Folds)
	}
	return numeric.CheckWorkers(c.Workers)
}

// Report is the outcome of a backtest; its JSON is the contract of
// `parley backtest --json`.
type Report struct {
	Data          string `json:"data,omitempty"`
	IssuesUsed    int    `json:"issues_used"`
	IssuesSkipped int    `json:"issues_skipped"`
	// Skipped counts the skipped issues by reason.
	Skipped   map[string]int `json:"skipped"`
	Proposals int            `json:"proposals"`
	// ImputedSaliences counts the positioned actors whose missing
	// salience was filled in (deu3.Conversion), per capability scheme.
	ImputedSaliences int `json:"imputed_saliences"`
	// ZeroSalience counts the positioned actors left out of the scenarios
	// because their salience is 0, per capability scheme.
	ZeroSalience int     `json:"zero_salience_actors"`
	Seed         uint64  `json:"seed"`
	Bootstrap    int     `json:"bootstrap"`
	Folds        int     `json:"folds,omitempty"`
	Models       []Entry `json:"models"`
}

// Entry is one model's accuracy under one capability scheme.
type Entry struct {
	Model        string `json:"model"`
	Variant      string `json:"variant"`
	Capabilities string `json:"capabilities"`
	// Scope is "issue" (one scenario per issue) or "proposal" (one per
	// proposal, for models that link issues; see Spec).
	Scope string `json:"scope"`
	Metrics
	MAECI      [2]float64 `json:"mae_ci"`
	RMSECI     [2]float64 `json:"rmse_ci"`
	MedianAECI [2]float64 `json:"median_ae_ci"`
	Within10CI [2]float64 `json:"within10_ci"`
	// CV marks forecasts made out of fold by cross-validation.
	CV bool `json:"cv"`
	// VsMean is this model's MAE minus the weighted mean's on the same
	// issues with the same capabilities, with a paired bootstrap interval
	// (the same resamples score both); BeatsMean says whether that
	// interval lies wholly below zero. All are absent when the mean model
	// was not run.
	VsMean    *float64    `json:"mae_vs_mean,omitempty"`
	VsMeanCI  *[2]float64 `json:"mae_vs_mean_ci,omitempty"`
	BeatsMean *bool       `json:"beats_mean,omitempty"`
	// CRPS is the mean continuous ranked probability score of a model
	// that gives a predictive distribution (absent for point forecasts,
	// whose CRPS is their absolute error), with its interval, and
	// CRPSVsMean its difference from the weighted mean's MAE (the mean's
	// CRPS as a point forecast) with a paired interval.
	CRPS         *float64    `json:"crps,omitempty"`
	CRPSCI       *[2]float64 `json:"crps_ci,omitempty"`
	CRPSVsMean   *float64    `json:"crps_vs_mean,omitempty"`
	CRPSVsMeanCI *[2]float64 `json:"crps_vs_mean_ci,omitempty"`
	// ByRule and ByProcedure break the metrics down by Council voting
	// rule (QMV, Unan) and legislative procedure (COD, CNS).
	ByRule      map[string]Metrics `json:"by_rule"`
	ByProcedure map[string]Metrics `json:"by_procedure"`
	// Weights are an ensemble's weights, averaged over the folds, by
	// input name; Alphas the shrinkage chosen in each fold.
	Weights map[string]float64 `json:"weights,omitempty"`
	Alphas  []float64          `json:"alphas,omitempty"`
	// Params are a learned model's parameters averaged over the folds.
	Params map[string]float64 `json:"params,omitempty"`

	errors []float64
	crps   []float64 // per issue, for models with a distribution
}

// Scopes of an entry.
const (
	ScopeIssue    = "issue"
	ScopeProposal = "proposal"
)

// EnsembleName is the model name of the cross-validated ensemble.
const EnsembleName = "ensemble"

// ReferenceInput names the reference point among the ensemble's inputs.
const ReferenceInput = "reference"

// Run is a whole backtest of d, as 'parley backtest' and the server's
// backtest job make it: for each capability scheme in turn it predicts the
// usable issues with every model in specs (Predict, on cfg.Workers), then
// evaluates all the forecasts together (Evaluate). progress, if not nil,
// is called with the number of schemes done after each one. Run stops with
// ctx's error if ctx is done before a scheme or before the evaluation.
func Run(ctx context.Context, d *deu3.Dataset, schemes []string, specs []Spec, reg *model.Registry, cfg Config, progress func(done int)) (*Report, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	issues, skipped := d.Usable()
	var fcs []*Forecasts
	for i, scheme := range schemes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fc, err := Predict(ctx, d, issues, scheme, specs, reg, cfg.Workers)
		if err != nil {
			return nil, err
		}
		fcs = append(fcs, fc)
		if progress != nil {
			progress(i + 1)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return Evaluate(d, fcs, skipped, cfg), nil
}

// Evaluate scores each set of forecasts (one per capability scheme; all on
// the same issues) and adds a cross-validated ensemble per scheme when
// cfg.Folds > 1.
func Evaluate(d *deu3.Dataset, fcs []*Forecasts, skipped map[string]int, cfg Config) *Report {
	rep := &Report{Data: d.File, Skipped: skipped, Seed: cfg.Seed, Bootstrap: cfg.Bootstrap}
	for _, n := range skipped {
		rep.IssuesSkipped += n
	}
	if len(fcs) == 0 {
		return rep
	}
	issues := fcs[0].Issues
	rep.IssuesUsed = len(issues)
	group, groups := groupIndex(issueKeys(issues, func(is deu3.Issue) string { return is.Proposal }))
	rep.Proposals = groups
	if cfg.Folds > 1 {
		rep.Folds = cfg.Folds
	}
	// Imputation does not depend on the capability scheme.
	rep.ImputedSaliences, rep.ZeroSalience = fcs[0].ImputedSaliences, fcs[0].ZeroSalience
	for _, fc := range fcs {
		meanIdx := -1
		for s, sp := range fc.Specs {
			if sp.Model == "mean" {
				meanIdx = s
			}
			e := entry(sp.Model, sp.Variant, fc.Scheme, issues, fc.F[s])
			if sp.Proposal {
				e.Scope = ScopeProposal
			}
			rep.Models = append(rep.Models, e)
		}
		if cfg.Folds > 1 && len(fc.Specs) > 0 {
			rep.Models = append(rep.Models, ensembleEntry(fc, group, groups, meanIdx, cfg, "", nil))
			rules, _ := groupIndex(issueKeys(issues, func(is deu3.Issue) string { return is.Rule }))
			rep.Models = append(rep.Models, ensembleEntry(fc, group, groups, meanIdx, cfg, ByRuleVariant, rules))
			if e, ok := selectEntry(fc, group, groups, meanIdx, cfg); ok {
				rep.Models = append(rep.Models, e)
			}
		}
		if cfg.Folds > 1 && len(fc.Cases) == len(issues) {
			for _, l := range cfg.Learners {
				rep.Models = append(rep.Models, learnedEntry(l, fc, group, groups, cfg))
			}
		}
	}
	addIntervals(rep, group, groups, cfg)
	return rep
}

func entry(name, variant, scheme string, issues []deu3.Issue, f []float64) Entry {
	e := Entry{Model: name, Variant: variant, Capabilities: scheme, Scope: ScopeIssue, errors: make([]float64, len(issues)),
		ByRule: map[string]Metrics{}, ByProcedure: map[string]Metrics{}}
	byRule, byProc := map[string][]float64{}, map[string][]float64{}
	for i, is := range issues {
		e.errors[i] = math.Abs(f[i] - is.Outcome)
		byRule[is.Rule] = append(byRule[is.Rule], e.errors[i])
		byProc[is.Procedure] = append(byProc[is.Procedure], e.errors[i])
	}
	e.Metrics = measure(e.errors, nil)
	for k, v := range byRule {
		e.ByRule[k] = measure(v, nil)
	}
	for k, v := range byProc {
		e.ByProcedure[k] = measure(v, nil)
	}
	return e
}

// ByRuleVariant is the variant of the ensemble fitted separately for each
// Council voting rule.
const ByRuleVariant = "rule"

// SelectVariant is the variant of a model whose own variant is chosen by
// cross-validation (Ensemble.Select).
const SelectVariant = "cv"

// SelectModels are the models whose variant the backtest also chooses by
// cross-validation, among the model's variants run and the weighted mean.
var SelectModels = []string{"power-mean"}

func issueKeys(issues []deu3.Issue, key func(deu3.Issue) string) []string {
	keys := make([]string, len(issues))
	for i, is := range issues {
		keys[i] = key(is)
	}
	return keys
}

// selectEntry learns the exponents of the power-weighted mean in
// cross-validation: in each fold the variant (or the plain weighted mean)
// with the lowest training MAE forecasts the test issues. It needs the
// mean and at least one issue-scope variant of a SelectModels model.
func selectEntry(fc *Forecasts, group []int, groups, meanIdx int, cfg Config) (Entry, bool) {
	if meanIdx < 0 {
		return Entry{}, false
	}
	for _, name := range SelectModels {
		cand := []int{meanIdx}
		for s, sp := range fc.Specs {
			if sp.Model == name && !sp.Proposal {
				cand = append(cand, s)
			}
		}
		if len(cand) < 2 {
			continue
		}
		X := make([][]float64, len(fc.Issues))
		y := make([]float64, len(fc.Issues))
		for i, is := range fc.Issues {
			X[i] = make([]float64, len(fc.Specs))
			for s := range fc.Specs {
				X[i][s] = fc.F[s][i]
			}
			y[i] = is.Outcome
		}
		cv := Ensemble{Folds: cfg.Folds, Seed: cfg.Seed}.Select(X, y, group, groups, cand)
		e := entry(name, SelectVariant, fc.Scheme, fc.Issues, cv.Forecast)
		e.CV = true
		e.Weights = map[string]float64{}
		for _, s := range cand {
			e.Weights[fc.Specs[s].String()] = cv.Weights[s]
		}
		return e, true
	}
	return Entry{}, false
}

// ensembleEntry cross-validates the ensemble over the scheme's models and
// the reference point. Where the reference point is missing the weighted
// mean's forecast stands in for it (the average of the models' when the
// mean was not run). The prior the weights shrink towards is the weighted
// mean alone (equal weights when it was not run). With strata (variant
// ByRuleVariant) each stratum gets its own weights.
func ensembleEntry(fc *Forecasts, group []int, groups, meanIdx int, cfg Config, variant string, strata []int) Entry {
	m := len(fc.Specs) + 1
	X := make([][]float64, len(fc.Issues))
	y := make([]float64, len(fc.Issues))
	for i, is := range fc.Issues {
		x := make([]float64, m)
		var avg float64
		for s := range fc.Specs {
			x[s] = fc.F[s][i]
			avg += x[s] / float64(len(fc.Specs))
		}
		switch {
		case !math.IsNaN(is.Reference):
			x[m-1] = is.Reference
		case meanIdx >= 0:
			x[m-1] = fc.F[meanIdx][i]
		default:
			x[m-1] = avg
		}
		X[i], y[i] = x, is.Outcome
	}
	prior := make([]float64, m)
	if meanIdx >= 0 {
		prior[meanIdx] = 1
	} else {
		for j := range prior {
			prior[j] = 1 / float64(m)
		}
	}
	cv := Ensemble{Folds: cfg.Folds, Seed: cfg.Seed, Workers: cfg.Workers}.CrossValidateStrata(X, y, group, groups, prior, strata)
	e := entry(EnsembleName, variant, fc.Scheme, fc.Issues, cv.Forecast)
	e.CV = true
	e.Weights = map[string]float64{}
	for s, sp := range fc.Specs {
		e.Weights[sp.String()] = cv.Weights[s]
	}
	e.Weights[ReferenceInput] = cv.Weights[m-1]
	e.Alphas = cv.Alpha
	return e
}

// learnedEntry cross-validates a learned model on the scheme's cases.
func learnedEntry(l Learner, fc *Forecasts, group []int, groups int, cfg Config) Entry {
	y := make([]float64, len(fc.Issues))
	for i, is := range fc.Issues {
		y[i] = is.Outcome
	}
	res := crossValidateLearner(l, fc.Cases, y, group, groups, cfg.Folds, cfg.Seed, cfg.Workers)
	name, variant := l.Name()
	e := entry(name, variant, fc.Scheme, fc.Issues, res.point)
	e.CV, e.Params = true, res.params
	if !slices.Contains(res.dist, nil) {
		e.crps = make([]float64, len(y))
		var sum float64
		for i, d := range res.dist {
			e.crps[i] = d.CRPS(y[i])
			sum += e.crps[i]
		}
		mean := sum / float64(len(y))
		e.CRPS = &mean
	}
	return e
}

// addIntervals puts paired bootstrap intervals on every entry: the same
// resamples of proposals score every model.
func addIntervals(rep *Report, group []int, groups int, cfg Config) {
	if cfg.Bootstrap < 1 || len(rep.Models) == 0 {
		return
	}
	counts := resamples(group, groups, cfg.Bootstrap, cfg.Seed)
	// stats[e][b] are entry e's metrics on resample b, crps[e][b] its
	// mean CRPS when it has a distribution.
	stats := make([][]Metrics, len(rep.Models))
	crps := make([][]float64, len(rep.Models))
	numeric.ParallelFor(len(rep.Models), cfg.Workers, func(e int) {
		errs := rep.Models[e].errors
		order := ascending(errs)
		stats[e] = make([]Metrics, len(counts))
		for b, c := range counts {
			stats[e][b] = measureSorted(errs, order, c)
		}
		if v := rep.Models[e].crps; v != nil {
			crps[e] = make([]float64, len(counts))
			for b, c := range counts {
				var s, n float64
				for i := range v {
					s += c[i] * v[i]
					n += c[i]
				}
				crps[e][b] = s / n
			}
		}
	})
	col := func(e int, get func(Metrics) float64) []float64 {
		v := make([]float64, len(counts))
		for b := range counts {
			v[b] = get(stats[e][b])
		}
		return v
	}
	mae := func(m Metrics) float64 { return m.MAE }
	for e := range rep.Models {
		en := &rep.Models[e]
		en.MAECI = interval(col(e, mae))
		en.RMSECI = interval(col(e, func(m Metrics) float64 { return m.RMSE }))
		en.MedianAECI = interval(col(e, func(m Metrics) float64 { return m.MedianAE }))
		en.Within10CI = interval(col(e, func(m Metrics) float64 { return m.Within10 }))
		if crps[e] != nil {
			ci := interval(crps[e])
			en.CRPSCI = &ci
		}
	}
	for e := range rep.Models {
		en := &rep.Models[e]
		base := -1
		for k, o := range rep.Models {
			if o.Model == "mean" && o.Capabilities == en.Capabilities && !o.CV && o.Scope == ScopeIssue {
				base = k
			}
		}
		if base < 0 {
			continue
		}
		a, b := col(e, mae), col(base, mae)
		for r := range a {
			a[r] -= b[r]
		}
		diff := en.MAE - rep.Models[base].MAE
		ci := interval(a)
		beats := ci[1] < 0
		en.VsMean, en.VsMeanCI, en.BeatsMean = &diff, &ci, &beats
		if crps[e] != nil {
			d := make([]float64, len(counts))
			for r := range d {
				d[r] = crps[e][r] - b[r]
			}
			cdiff, cci := *en.CRPS-rep.Models[base].MAE, interval(d)
			en.CRPSVsMean, en.CRPSVsMeanCI = &cdiff, &cci
		}
	}
}
