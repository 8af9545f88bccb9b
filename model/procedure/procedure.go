// Package procedure implements a procedure-aware forecast: a bargaining
// model's forecast, constrained to outcomes the scenario's institutions
// can adopt. A proposal y is adopted only if every voting body the
// scenario declares passes y against the status quo q, with each member
// voting for the nearer of the two (package institution). In one
// dimension the points that pass, together with q, form an interval
// around q — the win set of q under the bodies' rules — and the forecast
// is moved to its nearest point. For an EU proposal that means a Council
// qualified majority (or unanimity) and, under codecision, the
// Parliament's approval (Tsebelis 2002, ch. 11; Crombez 1996).
package procedure

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Model is the procedure-aware model. Its variant names the bargaining
// model whose forecast it constrains: one of the bases it was made with
// (New), the first the default. The registry gives it the mean, median,
// Condorcet and EUM models; the model imports none of them (models import
// only model, scenario, result and numeric).
type Model struct {
	bases []model.Model
}

// New returns the procedure-aware model over the given bargaining models,
// each a variant named after its model, the first the default.
func New(bases ...model.Model) Model { return Model{bases: bases} }

// Info describes the model.
func (m Model) Info() model.Info {
	info := model.Info{
		Name:        "procedure",
		Description: "a bargaining forecast moved into the win set of the status quo under the scenario's voting bodies (Council QMV or unanimity, Parliament under codecision)",
		Params: []model.Param{
			model.FloatParam("status_quo", 0, math.Inf(-1), math.Inf(1), "the status quo (reference point) of every issue; on an issue whose scale it lies outside, the scenario's process.status_quo is taken instead").
				Optional("the scenario's process.status_quo; an issue without one is left unconstrained"),
		},
		Rounds: 10,
	}
	for _, b := range m.bases {
		name := b.Info().Name
		info.Variants = append(info.Variants, model.Variant{Name: name, Description: "constrain the " + name + " model's forecast"})
	}
	return info
}

// base resolves opt and returns the bargaining model its variant names,
// with the options it runs under, and the resolved settings.
func (m Model) base(opt model.Options) (model.Model, model.Options, model.Resolved, error) {
	r, err := model.Resolve(m.Info(), opt)
	if err != nil {
		return nil, opt, r, err
	}
	var base model.Model
	for _, b := range m.bases {
		if b.Info().Name == r.Variant {
			base = b
		}
	}
	bopt := model.Options{Workers: opt.Workers, Stop: opt.Stop}
	if base.Info().Rounds > 0 {
		bopt.Rounds = opt.Rounds
	}
	return base, bopt, r, nil
}

// CheckSize refuses a scenario too large for the bargaining model the
// variant names, as Run does (model.Sized).
func (m Model) CheckSize(sc *scenario.Scenario, opt model.Options) error {
	base, bopt, _, err := m.base(opt)
	if err != nil {
		return err
	}
	return model.CheckSize(base, sc, bopt)
}

// Run forecasts each issue with the base model and then constrains the
// forecast. The constrained forecast is appended as a last round.
func (m Model) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	base, bopt, r, err := m.base(opt)
	if err != nil {
		return nil, err
	}
	variant := r.Variant
	sq, sqSet := r.Params.Float("status_quo")
	res, err := base.Run(ctx, sc, bopt)
	if err != nil {
		return nil, err
	}
	res.Model, res.Variant = m.Info().Name, variant
	// Each body's vote and its members' positions, as the scenario's
	// institutions declare them (scenario.Institution).
	type body struct {
		passes    func(y, q float64, pos map[string]float64) bool
		positions func(issue string) map[string]float64
	}
	bodies := make([]body, len(sc.Institutions))
	for i := range sc.Institutions {
		in := &sc.Institutions[i]
		b, err := in.Body()
		if err != nil {
			return nil, fmt.Errorf("institution %s: %w", in.ID, err)
		}
		opt := in.VoteOptions()
		bodies[i] = body{
			passes:    func(y, q float64, pos map[string]float64) bool { return b.Vote(y, q, pos, opt).Passed },
			positions: func(issue string) map[string]float64 { return sc.Positions(in, b, issue) },
		}
	}
	for k := range res.Issues {
		ir := &res.Issues[k]
		q, ok := statusQuo(sc, ir.ID, sq, sqSet)
		if !ok || len(bodies) == 0 {
			continue
		}
		pos := make([]map[string]float64, len(bodies))
		var cuts []float64
		for i, b := range bodies {
			pos[i] = b.positions(ir.ID)
			for _, x := range pos[i] {
				cuts = append(cuts, 2*x-q)
			}
		}
		passes := func(y float64) bool {
			for i, b := range bodies {
				if !b.passes(y, q, pos[i]) {
					return false
				}
			}
			return true
		}
		f := Constrain(ir.Forecast, q, cuts, passes)
		if ir.Settlement != nil {
			// The settlement of the constrained forecast: each round's
			// forecast moved into the win set, then settled as any run is.
			// Projecting the base model's low and high instead would call
			// a cycle that the win set flattens "a cycle from 50 to 50".
			fs := make([]float64, len(ir.Rounds))
			for r, rd := range ir.Rounds {
				fs[r] = Constrain(rd.Forecast, q, cuts, passes)
			}
			is := sc.Issue(ir.ID)
			st := result.SettleRun(fs, ir.Stopped, result.Tolerance(is.Min, is.Max))
			st.FromRound = ir.Rounds[st.FromRound].Round
			ir.Settlement = &st
		}
		last := ir.Final()
		ir.Rounds = append(ir.Rounds, result.Round{Round: last.Round + 1, Forecast: f, Median: last.Median, Mean: last.Mean, Positions: last.Positions})
		ir.Forecast = f
	}
	return res, nil
}

// statusQuo returns the issue's status quo: the parameter when it is set
// and lies on the issue's scale, else the scenario's process.status_quo
// entry.
func statusQuo(sc *scenario.Scenario, issue string, param float64, set bool) (float64, bool) {
	if is := sc.Issue(issue); set && is != nil && param >= is.Min && param <= is.Max {
		return param, true
	}
	if sc.Process != nil {
		q, ok := sc.Process.StatusQuo[issue]
		return q, ok
	}
	return 0, false
}

// Constrain returns the point nearest to f among q and the points that
// pass against q. passes must be monotone along the ray from q through f
// (true up to some distance, false beyond), which holds when every voter
// supports the nearer of y and q; support can change only at the cut
// points 2x − q of voters at x. The segments between consecutive cut
// points are tested at their midpoints, walking away from q: the result is
// the start of the first segment that fails, or f when none does.
func Constrain(f, q float64, cuts []float64, passes func(float64) bool) float64 {
	if f == q || math.IsNaN(f) || passes(f) {
		return f
	}
	dir := math.Copysign(1, f-q)
	var between []float64
	for _, c := range cuts {
		if d := (c - q) * dir; d > 0 && d < math.Abs(f-q) {
			between = append(between, c)
		}
	}
	sort.Slice(between, func(a, b int) bool { return (between[a]-q)*dir < (between[b]-q)*dir })
	start := q
	for _, end := range append(between, f) {
		if end == start {
			continue
		}
		if !passes((start + end) / 2) {
			return start
		}
		start = end
	}
	return f
}
