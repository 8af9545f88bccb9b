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
	"fmt"
	"math"
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

// Info describes the model.
func (Model) Info() model.Info {
	params := make([]model.Param, 0, len(paramNames)+1)
	for i, p := range scenario.KTABParameters {
		desc := fmt.Sprintf("KTAB %s:", p.Name)
		for v, name := range p.Values {
			desc += fmt.Sprintf(" %d %s", v, name)
			if name == scenario.KTABDefaults[p.Name] {
				desc += " (default)"
			}
			if v < len(p.Values)-1 {
				desc += ","
			}
		}
		desc += "; -1 the scenario's own or the default"
		params = append(params, model.Param{Name: paramNames[i], Default: -1, Description: desc})
	}
	params = append(params, model.Param{Name: "seed", Default: 0,
		Description: "seed for state_transitions=1 (0: the scenario's KTAB seed); Parley's generator, not KTAB's"})
	return model.Info{
		Name:        "smp",
		Description: "KTAB's Spatial Model of Politics: multi-issue challenge–bargain–resolve turns with risk attitudes from probabilistic Condorcet elections",
		Params:      params,
		Rounds:      MaxTurns,
	}
}

// Resolve returns the settings of a run: KTAB's defaults, overridden by
// the scenario's KTAB model parameters, overridden by the parameters
// given (codes ≥ 0).
func Resolve(sc *scenario.Scenario, params map[string]float64) (Settings, error) {
	set := Defaults()
	if sc.KTAB != nil {
		for _, p := range scenario.KTABParameters {
			if v, ok := sc.KTAB.Parameters[p.Name]; ok {
				if err := set.Set(p.Name, v); err != nil {
					return set, err
				}
			}
		}
	}
	for i, name := range paramNames {
		v, ok := params[name]
		if !ok || v == -1 {
			continue
		}
		n := len(scenario.KTABParameters[i].Values)
		if v != math.Trunc(v) || v < 0 || int(v) >= n {
			return set, fmt.Errorf("parameter %s must be -1 or a whole number from 0 to %d, got %v", name, n-1, v)
		}
		*set.fields()[i] = int(v)
	}
	return set, nil
}

// engine sets up a run: the settings, the seed and the scenario on
// KTAB's scale, and the most turns to play.
func (m Model) engine(sc *scenario.Scenario, opt model.Options) (*engine, *scenario.Spatial, int, error) {
	_, rounds, params, err := model.Resolve(m.Info(), opt)
	if err != nil {
		return nil, nil, 0, err
	}
	set, err := Resolve(sc, params)
	if err != nil {
		return nil, nil, 0, err
	}
	seed := params["seed"]
	if seed < 0 || seed != math.Trunc(seed) || seed > 1<<53 {
		return nil, nil, 0, fmt.Errorf("parameter seed must be a whole number from 0 to 2^53, got %v", seed)
	}
	if seed == 0 && sc.KTAB != nil && sc.KTAB.Seed != "" {
		if s, err := strconv.ParseUint(sc.KTAB.Seed, 10, 64); err == nil {
			seed = float64(s)
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
	in := input{n: n, d: d, cap: sp.Cap, acc: sp.Acc}
	for i := 0; i < n; i++ {
		in.pos = append(in.pos, sp.Pos[i]...)
		in.sal = append(in.sal, sp.Sal[i]...)
	}
	return &engine{in: in, set: set, workers: opt.Workers, seed: uint64(seed)}, sp, rounds, nil
}

// Run forecasts every issue of the scenario jointly.
func (m Model) Run(sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	e, sp, rounds, err := m.engine(sc, opt)
	if err != nil {
		return nil, err
	}
	var settled func([]*state) bool
	if opt.Stop.K > 0 {
		// fs[k] holds issue k's forecast after each turn so far; the
		// history only grows, so each state is summarised once.
		fs := make([][]float64, len(sc.Issues))
		settled = func(hist []*state) bool {
			for k := range fs {
				for _, s := range hist[len(fs[k]):] {
					fs[k] = append(fs[k], summarise(sc, sp, s, k).Forecast)
				}
			}
			for k := range fs {
				if !opt.Stop.Settled(fs[k]) {
					return false
				}
			}
			return true
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
		if stopped {
			ir.Stopped = "converged"
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
		w = append(w, sp.Cap[i]*sp.Sal[i][k])
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
