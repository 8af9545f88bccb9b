// Package eum implements Bueno de Mesquita's expected-utility model (EUM)
// as specified by Scholz, Calbert & Smith (2011), "Unravelling Bueno de
// Mesquita's group decision model", Journal of Theoretical Politics 23(4).
//
// Two variants are offered. "scholz" behaves exactly like Scholz's own code
// as replicated by jmckib/bdm-scholz-expected-utility-model, including its
// departures from the paper. "paper" follows the equations as printed, with
// the status-quo probability Q and the improvement probability T as
// parameters. docs/models/eum.md lists every difference.
package eum

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Kinds of move.
const (
	Confrontation = "confrontation"
	Compromise    = "compromise"
	Capitulation  = "capitulation"
)

// Variant names.
const (
	VariantScholz = "scholz"
	VariantPaper  = "paper"
)

// Model is the expected-utility model.
type Model struct{}

// Info describes the model.
func (Model) Info() model.Info {
	return model.Info{
		Name:        "eum",
		Description: "Bueno de Mesquita's expected-utility model after Scholz, Calbert & Smith (2011)",
		Variants: []model.Variant{
			{Name: VariantScholz, Description: "exactly as Scholz's own code (jmckib replication), quirks included"},
			{Name: VariantPaper, Description: "the equations as printed in Scholz et al. (2011), O(n² log n) per round"},
		},
		Params: []model.Param{
			{Name: "q", Default: 1, Description: "probability Q that the status quo persists if no challenge is made (eq. 7)"},
			{Name: "t", Default: -1, Description: "paper variant: probability T that an unchallenged status quo improves for the actor (eq. 7); -1 derives T from Figs. 1–4"},
		},
		Rounds: 10,
	}
}

// Run forecasts each issue of the scenario.
func (m Model) Run(sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	variant, rounds, params, err := model.Resolve(m.Info(), opt)
	if err != nil {
		return nil, err
	}
	if q := params["q"]; q < 0 || q > 1 {
		return nil, fmt.Errorf("parameter q must lie in [0, 1], got %v", q)
	}
	if t := params["t"]; t != -1 && (t < 0 || t > 1) {
		return nil, fmt.Errorf("parameter t must be -1 or lie in [0, 1], got %v", t)
	}
	return model.PerIssue(sc, m.Info().Name, variant, func(_ *scenario.Issue, st []scenario.Stakeholder) (result.Issue, error) {
		in := input{q: params["q"], t: params["t"], workers: opt.Workers}
		for _, s := range st {
			in.ids = append(in.ids, s.ID)
			in.c = append(in.c, s.Capability)
			in.s = append(in.s, s.Salience)
			in.x = append(in.x, s.Position)
		}
		var sim simulator
		switch variant {
		case VariantScholz:
			sim = newScholz(in)
		default:
			sim = newPaper(in, st)
		}
		return simulate(sim, in.ids, rounds, opt.Stop), nil
	})
}

// input is one issue's data.
type input struct {
	ids     []string
	c, s, x []float64
	q, t    float64
	workers int
}

// simulator is one variant's round-by-round state.
type simulator interface {
	positions() []float64
	median() float64
	mean() float64
	// round plays one round and returns the moves made.
	round() []result.Move
}

func simulate(sim simulator, ids []string, rounds int, stop model.StopRule) result.Issue {
	snapshot := func(n int, moves []result.Move) result.Round {
		pos := make(map[string]float64, len(ids))
		for i, x := range sim.positions() {
			pos[ids[i]] = x
		}
		med := sim.median()
		return result.Round{Round: n, Forecast: med, Median: med, Mean: sim.mean(), Positions: pos, Moves: moves}
	}
	is := result.Issue{Rounds: []result.Round{snapshot(0, nil)}, Stopped: "rounds"}
	forecasts := []float64{is.Rounds[0].Forecast}
	if spread(sim.positions()) == 0 {
		is.Stopped = "agreement"
		return is
	}
	// A memoryless simulator's round depends only on the positions, so once
	// the positions after round n equal those after round n−p the rounds
	// repeat with period p: round m is round m−p, moves included. Later
	// rounds are then copied instead of recomputed (bit-identical).
	_, memoryless := sim.(interface{ memoryless() })
	past := [][]float64{slices.Clone(sim.positions())}
	period := 0
	for n := 1; n <= rounds; n++ {
		var r result.Round
		var x []float64
		if period > 0 {
			r = is.Rounds[n-period]
			r.Round, r.Positions, r.Moves = n, maps.Clone(r.Positions), slices.Clone(r.Moves)
			x = past[n-period]
		} else {
			r = snapshot(n, sim.round())
			x = sim.positions()
			if memoryless {
				for p := 1; p <= maxPeriod && p <= n; p++ {
					if slices.Equal(past[n-p], x) {
						period = p
						break
					}
				}
			}
		}
		past = append(past, slices.Clone(x))
		is.Rounds = append(is.Rounds, r)
		forecasts = append(forecasts, r.Forecast)
		if spread(x) == 0 {
			is.Stopped = "agreement"
			break
		}
		if stop.Settled(forecasts) {
			is.Stopped = "converged"
			break
		}
	}
	return is
}

// maxPeriod is the longest cycle of positions simulate looks for.
const maxPeriod = 4

func spread(x []float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return hi - lo
}

func newScholz(in input) *scholzState {
	n := len(in.x)
	st := &scholzState{
		ids: in.ids, c: in.c, s: in.s, x: append([]float64(nil), in.x...),
		r: make([]float64, n), span: spread(in.x), q: in.q, workers: in.workers,
	}
	for i := range st.r {
		st.r[i] = 1
	}
	return st
}

func (st *scholzState) positions() []float64 { return st.x }

// memoryless marks the scholz variant's rounds as depending on the
// positions alone: the risk exponents are recomputed from them at the start
// of every round, and the other fields never change.
func (st *scholzState) memoryless() {}
