// Package smp implements the Spatial Model of Politics (SMP) of KTAB, the
// KAPSARC Toolkit for Behavioral Analysis, as KTAB's own code does it
// (lsyaseen/KTAB: examples/smp/libsrc/smp.cpp, smpbcn.cpp and
// KTAB/kmodel/libsrc/kmodel.cpp), with KTAB's default settings and the
// other settings as parameters.
//
// The model is multi-dimensional: every issue of the scenario is one
// dimension, and each actor holds a position on all of them. In each turn
// every actor estimates, from its own perception of everyone's risk
// attitude, which other actor it gains most by challenging; it proposes a
// bargain that moves both toward each other; then every actor's new
// position is the bargain that wins a probabilistic Condorcet election
// among the bargains it is party to. Turns continue until the positions
// stop moving by KTAB's rule. docs/models/smp.md writes out the equations.
package smp

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// MaxTurns is KTAB's turn limit (smp.cpp configExec maxIter).
const MaxTurns = 100

// Model is KTAB's Spatial Model of Politics.
type Model struct{}

// Info describes the model. Each KTAB setting is an enumeration of KTAB's
// own names with KTAB's codes (its enumeration values); left unset it
// takes the scenario's KTAB setting, else KTAB's default.
func (Model) Info() model.Info {
	params := make([]model.Param, 0, len(paramNames)+1)
	for i, p := range scenario.KTABParameters {
		values := make([]model.EnumValue, len(p.Values))
		for code, name := range p.Values {
			values[code] = model.EnumValue{Name: name, Code: code, Aliases: aliases[name]}
		}
		params = append(params, model.EnumParam(paramNames[i], "", values, "KTAB "+p.Name).
			Optional("the scenario's KTAB setting, else KTAB's default "+scenario.KTABDefaults[p.Name]))
	}
	params = append(params, model.IntParam("seed", 0, 0, model.MaxInt,
		"seed of stochastic state transitions; Parley's generator, not KTAB's").
		Optional("the scenario's KTAB seed, else 0"))
	return model.Info{
		Name:        "smp",
		Description: "KTAB's Spatial Model of Politics: multi-issue challenge–bargain–resolve turns with risk attitudes from probabilistic Condorcet elections",
		Params:      params,
		Rounds:      MaxTurns,
	}
}

// aliases are further names for KTAB's abbreviated voting rules.
var aliases = map[string][]string{
	"PropBin":   {"proportional-binary"},
	"Prop":      {"proportional"},
	"PropCbc":   {"proportional-cubic"},
	"ASymProsp": {"asymmetric-prospect"},
}

// Resolve returns the settings of a run: KTAB's defaults, overridden by
// the scenario's KTAB model parameters, overridden by the parameters
// given. The scenario's settings (KTAB's names, as a KTAB XML file's
// <ModelParameters> give them) are read by the same declarations as the
// parameters.
func Resolve(sc *scenario.Scenario, params model.Params) (Settings, error) {
	r, err := model.Resolve(Model{}.Info(), model.Options{Params: params})
	if err != nil {
		return Settings{}, err
	}
	return settings(sc, r.Params)
}

// settings applies the scenario's KTAB settings and the checked
// parameters to KTAB's defaults.
func settings(sc *scenario.Scenario, params model.Values) (Settings, error) {
	set := Defaults()
	info := Model{}.Info()
	for i, p := range scenario.KTABParameters {
		field := set.fields()[i]
		if v, ok := params.Enum(paramNames[i]); ok {
			*field = v.Code
			continue
		}
		if sc.KTAB == nil {
			continue
		}
		if name, ok := sc.KTAB.Parameters[p.Name]; ok {
			decl, _ := info.Param(paramNames[i])
			v, err := decl.Parse(model.Text(name))
			if err != nil {
				return set, fmt.Errorf("ktab.parameters.%s: %w", p.Name, err)
			}
			code, _ := v.Text()
			*field = slices.Index(p.Values, code)
		}
	}
	return set, nil
}

// engine sets up a run: the settings, the seed and the scenario on
// KTAB's scale, and the most turns to play.
func (m Model) engine(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*engine, *scenario.Spatial, int, error) {
	r, err := model.Resolve(m.Info(), opt)
	if err != nil {
		return nil, nil, 0, err
	}
	rounds := r.Rounds
	set, err := settings(sc, r.Params)
	if err != nil {
		return nil, nil, 0, err
	}
	var seed uint64
	if s, ok := r.Params.Int("seed"); ok {
		seed = uint64(s)
	} else if sc.KTAB != nil && sc.KTAB.Seed != "" {
		if s, err := strconv.ParseUint(sc.KTAB.Seed, 10, 64); err == nil {
			seed = s
		}
	}
	if len(sc.Actors) == 0 || len(sc.Issues) == 0 {
		return nil, nil, 0, fmt.Errorf("the spatial model needs at least one actor and one issue")
	}
	sp, err := sc.Spatial()
	if err != nil {
		return nil, nil, 0, err
	}
	n, d := len(sc.Actors), len(sc.Issues)
	if err := (Model{}).CheckSize(sc, opt); err != nil {
		return nil, nil, 0, err
	}
	if err := model.CheckPositions(sc, m.Info().Name, rounds); err != nil {
		return nil, nil, 0, err
	}
	in := input{n: n, d: d, cap: sp.Cap, acc: sp.Acc}
	for i := 0; i < n; i++ {
		in.pos = append(in.pos, sp.Pos[i]...)
		in.sal = append(in.sal, sp.Sal[i]...)
	}
	return &engine{in: in, set: set, workers: opt.Workers, seed: seed, ctx: ctx}, sp, rounds, nil
}

// MaxActors is the most actors of a scenario the spatial model takes, the
// size issue 20 asks it to run at: a turn works out every actor's
// challenge to every other (up to n³ steps, and a probabilistic Condorcet
// election of n options among n voters); 1,000 actors on one dimension
// take about 80 s of CPU over KTAB's 100 turns (docs/performance.md),
// and the work of a turn can grow with the cube of the actors.
const MaxActors = 1000

// CheckSize refuses a scenario with more actors than MaxActors, with the
// error Run gives it (model.Sized: a sweep asks before its first draw).
func (Model) CheckSize(sc *scenario.Scenario, _ model.Options) error {
	if n := len(sc.Actors); n > MaxActors {
		return fmt.Errorf("the spatial model takes at most %d actors (the scenario has %d): a turn compares every actor's position with every other's for every actor (up to n³ steps in n × n tables)", MaxActors, n)
	}
	return nil
}

// Run forecasts every issue of the scenario jointly.
func (m Model) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	e, sp, rounds, err := m.engine(ctx, sc, opt)
	if err != nil {
		return nil, err
	}
	var settled func([]*state) bool
	// why[k] is the reason the stop rule holds for issue k ("" while it
	// does not); the run stops when it holds for every issue.
	why := make([]string, len(sc.Issues))
	if opt.Stop.K > 0 {
		// fs[k] holds issue k's forecast after each turn so far; the
		// history only grows, so each state is summarised once.
		fs := make([][]float64, len(sc.Issues))
		settled = func(hist []*state) bool {
			all := true
			for k := range fs {
				for _, s := range hist[len(fs[k]):] {
					fs[k] = append(fs[k], summarise(sc, sp, s, k).Forecast)
				}
				is := &sc.Issues[k]
				why[k] = opt.Stop.Check(fs[k], result.Tolerance(is.Min, is.Max))
				all = all && why[k] != ""
			}
			return all
		}
	}
	hist, stopped, err := e.run(rounds, settled)
	if err != nil {
		return nil, err
	}
	res := &result.Result{Scenario: sc.Name, Model: m.Info().Name, Variant: ""}
	for k := range sc.Issues {
		is := &sc.Issues[k]
		ir := result.Issue{ID: is.ID, Name: is.DisplayName(), Stopped: "rounds"}
		switch {
		case stopped && !slices.Contains(why, ""):
			ir.Stopped = why[k] // the stop rule held for every issue
		case stopped:
			ir.Stopped = "converged" // KTAB's own rule: the positions stopped moving
		}
		for t, s := range hist {
			r := summarise(sc, sp, s, k)
			r.Round = t
			if t > 0 {
				r.Moves = moves(sc, sp, hist[t-1], s, k)
			}
			ir.Rounds = append(ir.Rounds, r)
		}
		ir.Forecast = ir.Final().Forecast
		res.Issues = append(res.Issues, ir)
	}
	model.Settle(sc, res)
	return res, nil
}

// toScale maps a position on 0–1 back to the issue's scale.
func toScale(is *scenario.Issue, p float64) float64 { return is.Min + p*(is.Max-is.Min) }

// summarise gives the positions on issue k of the actors holding one, and
// their capability×salience weighted mean (the forecast) and median.
func summarise(sc *scenario.Scenario, sp *scenario.Spatial, s *state, k int) result.Round {
	is := &sc.Issues[k]
	d := len(sc.Issues)
	r := result.Round{Positions: map[string]float64{}}
	var x, w []float64
	for i := range sc.Actors {
		if !sp.Held[i][k] {
			continue
		}
		v := toScale(is, s.pos[i*d+k])
		r.Positions[sc.Actors[i].ID] = v
		x = append(x, v)
		w = append(w, sp.IssueCap[i][k]*sp.Sal[i][k]) // the capability on issue k
	}
	r.Mean = numeric.WeightedMean(x, w)
	r.Median = numeric.WeightedMedian(x, w)
	r.Forecast = r.Mean
	return r
}

// moves lists the actors whose position on issue k changed between two
// states, with the partner of the bargain that moved them.
func moves(sc *scenario.Scenario, sp *scenario.Spatial, prev, next *state, k int) []result.Move {
	is := &sc.Issues[k]
	d := len(sc.Issues)
	var out []result.Move
	for i := range sc.Actors {
		if !sp.Held[i][k] || next.partner[i] < 0 || prev.pos[i*d+k] == next.pos[i*d+k] {
			continue
		}
		out = append(out, result.Move{Actor: sc.Actors[i].ID, Partner: sc.Actors[next.partner[i]].ID, Kind: "bargain",
			From: toScale(is, prev.pos[i*d+k]), To: toScale(is, next.pos[i*d+k])})
	}
	return out
}
