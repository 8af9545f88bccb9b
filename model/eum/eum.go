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
	"context"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
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
		Name:        Name,
		Description: "Bueno de Mesquita's expected-utility model after Scholz, Calbert & Smith (2011)",
		Variants: []model.Variant{
			{Name: VariantScholz, Description: "exactly as Scholz's own code (jmckib replication), quirks included"},
			{Name: VariantPaper, Description: "the equations as printed in Scholz et al. (2011), O(n² log n) per round"},
		},
		Params: []model.Param{
			model.FloatParam("q", 1, 0, 1, "probability Q that the status quo persists if no challenge is made (eq. 7)"),
			model.FloatParam("t", 0, 0, 1, "paper variant: probability T that an unchallenged status quo improves for the actor (eq. 7)").
				Optional("derived from the positions as in Figs. 1–4"),
		},
		Rounds: 10,
	}
}

// Name is the model's name.
const Name = "eum"

// MaxActors is the most actors that may hold a position on one issue, the
// size issue 20 asks the model to run at: the scholz variant keeps an
// n × n table of prefix sums (800 MB at 10,000 actors, 80 GB at 100,000,
// which ended the server before this limit), and 10 rounds at 10,000
// take about 91 s of CPU (paper: 15 s and 46 MB); docs/performance.md.
const MaxActors = 10000

// MaxPerceiveActors is the most actors Perceive takes: its answer is a set
// of n × n tables of expected utilities (parley conflicts) that a person
// reads, 8 MB each at 1,000.
const MaxPerceiveActors = 1000

// What the refusals beyond MaxActors and MaxPerceiveActors give as the
// reason (model.TooManyActors): a round compares every pair of actors,
// after sorting the positions (the paper variant's O(n² log n) in Info),
// and a perception is n × n tables.
const (
	actorsGrowth   = "its work grows with the square of the actors: n² log n steps a round"
	perceiveGrowth = "its answer is n × n tables of expected utilities, growing with the square of the actors"
)

// CheckSize refuses a scenario with more than MaxActors stakeholders on
// an issue, as Run and the Forecaster do (model.Sized).
func (m Model) CheckSize(sc *scenario.Scenario, _ model.Options) error {
	for k, n := range model.IssueActors(sc) {
		if err := fits(&sc.Issues[k], n); err != nil {
			return err
		}
	}
	return nil
}

// fits refuses issue is when its n stakeholders are more than MaxActors.
func fits(is *scenario.Issue, n int) error {
	if err := model.TooManyActors(n, Name, MaxActors, actorsGrowth); err != nil {
		return fmt.Errorf("issue %q: %w", is.ID, err)
	}
	return nil
}

// Run forecasts each issue of the scenario.
func (m Model) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	set, err := m.settings(opt)
	if err != nil {
		return nil, err
	}
	if err := model.CheckPositions(sc, Name, set.rounds); err != nil {
		return nil, err
	}
	if err := m.CheckSize(sc, opt); err != nil {
		return nil, err
	}
	res, err := model.PerIssue(ctx, sc, m.Info().Name, set.variant, func(is *scenario.Issue, st []scenario.Stakeholder) (result.Issue, error) {
		var in input
		in.fill(ctx, st, set, opt.Workers)
		var sim simulator
		switch set.variant {
		case VariantScholz:
			sim = newScholz(in)
		default:
			sim = newPaper(in, st)
		}
		return simulate(ctx, sim, in.ids, set.rounds, opt.Stop, result.Tolerance(is.Min, is.Max))
	})
	if err != nil {
		return nil, err
	}
	model.Settle(sc, res)
	return res, nil
}

// settings are a run's checked options.
type settings struct {
	variant string
	rounds  int
	q       float64
	// t is the paper variant's T, NaN when it is derived (unset).
	t float64
}

// settings checks the options.
func (m Model) settings(opt model.Options) (settings, error) {
	r, err := model.Resolve(m.Info(), opt)
	if err != nil {
		return settings{}, err
	}
	q, _ := r.Params.Float("q")
	t, ok := r.Params.Float("t")
	if !ok {
		t = math.NaN()
	}
	return settings{variant: r.Variant, rounds: r.Rounds, q: q, t: t}, nil
}

// NewForecaster returns a Forecaster for one goroutine (model.Forecasting).
func (m Model) NewForecaster() model.Forecaster { return &Forecaster{model: m} }

// Forecaster gives each issue's final forecast, bit for bit the Forecast
// of Run's result, without recording the rounds (positions and moves), and
// reuses its working memory from call to call: a sweep runs it millions of
// times. It runs the same code as Run. One Forecaster must not be used by
// two goroutines at once.
type Forecaster struct {
	model  Model
	st     []scenario.Stakeholder
	in     input
	scholz scholzState
	traj   trajectory
}

// Forecasts appends to dst the final forecast of each issue of sc, in the
// scenario's issue order.
func (f *Forecaster) Forecasts(ctx context.Context, sc *scenario.Scenario, opt model.Options, dst []float64) ([]float64, error) {
	return f.forecasts(ctx, sc, opt, dst, false)
}

// Settled appends to dst the settlement value of each issue of sc
// (result.Settlement.Value of Run's result, bit for bit), in the
// scenario's issue order (model.SettledForecaster).
func (f *Forecaster) Settled(ctx context.Context, sc *scenario.Scenario, opt model.Options, dst []float64) ([]float64, error) {
	return f.forecasts(ctx, sc, opt, dst, true)
}

func (f *Forecaster) forecasts(ctx context.Context, sc *scenario.Scenario, opt model.Options, dst []float64, settled bool) ([]float64, error) {
	set, err := f.model.settings(opt)
	if err != nil {
		return dst, err
	}
	for k := range sc.Issues {
		is := &sc.Issues[k]
		f.st = sc.AppendStakeholders(f.st[:0], is.ID)
		if len(f.st) == 0 {
			return dst, fmt.Errorf("issue %q: no actor holds a position", is.ID)
		}
		if err := fits(is, len(f.st)); err != nil {
			return dst, err
		}
		f.in.fill(ctx, f.st, set, opt.Workers)
		var sim simulator
		switch set.variant {
		case VariantScholz:
			f.scholz.reset(f.in)
			sim = &f.scholz
		default:
			sim = newPaper(f.in, f.st)
		}
		tol := result.Tolerance(is.Min, is.Max)
		fc, err := f.traj.run(ctx, sim, nil, set.rounds, opt.Stop, tol, nil)
		if err != nil {
			return dst, err
		}
		if settled {
			fc = result.SettleRun(f.traj.forecasts, f.traj.stopped, tol).Value
		}
		dst = append(dst, fc)
	}
	return dst, nil
}

// input is one issue's data.
type input struct {
	ids     []string
	c, s, x []float64
	q, t    float64
	workers int
	// ctx ends the run: a round's loops over actors stop early once it
	// has ended (the round is then discarded).
	ctx context.Context
}

// context returns ctx, or the background context when it is not set.
func (in *input) context() context.Context {
	if in.ctx == nil {
		return context.Background()
	}
	return in.ctx
}

// fill sets the input from the stakeholders, reusing its slices.
func (in *input) fill(ctx context.Context, st []scenario.Stakeholder, set settings, workers int) {
	in.ids, in.c, in.s, in.x = in.ids[:0], in.c[:0], in.s[:0], in.x[:0]
	in.q, in.t, in.workers, in.ctx = set.q, set.t, workers, ctx
	for _, s := range st {
		in.ids = append(in.ids, s.ID)
		in.c = append(in.c, s.Capability)
		in.s = append(in.s, s.Salience)
		in.x = append(in.x, s.Position)
	}
}

// simulator is one variant's round-by-round state.
type simulator interface {
	positions() []float64
	median() float64
	mean() float64
	// step plays one round and, when record is set, returns the moves
	// made.
	step(record bool) []result.Move
}

// simulate runs up to rounds rounds and records each of them; tol is
// the issue's settlement tolerance, for the stop rule.
func simulate(ctx context.Context, sim simulator, ids []string, rounds int, stop model.StopRule, tol float64) (result.Issue, error) {
	var is result.Issue
	_, err := new(trajectory).run(ctx, sim, ids, rounds, stop, tol, &is)
	return is, err
}

// trajectory is the memory of one run of simulate: the forecasts and
// positions after each round, kept for the stop rule and the cycle
// check, in buffers a Forecaster reuses from run to run.
type trajectory struct {
	forecasts []float64
	past      []float64 // positions after round m at [m·n, (m+1)·n)
	// stopped is why the last run stopped (as result.Issue.Stopped).
	stopped string
}

// run plays the rounds and returns the final forecast, and records in
// t.stopped why it stopped; tol is the issue's settlement tolerance, for
// the stop rule. When is is not nil it also fills is with every round
// (positions and moves, named by ids) and the reason it stopped. It
// returns ctx.Err() when the context ends before the last round.
func (t *trajectory) run(ctx context.Context, sim simulator, ids []string, rounds int, stop model.StopRule, tol float64, is *result.Issue) (float64, error) {
	record := is != nil
	snapshot := func(n int, moves []result.Move) result.Round {
		pos := make(map[string]float64, len(ids))
		for i, x := range sim.positions() {
			pos[ids[i]] = x
		}
		med := sim.median()
		return result.Round{Round: n, Forecast: med, Median: med, Mean: sim.mean(), Positions: pos, Moves: moves}
	}
	x0 := sim.positions()
	n0 := len(x0)
	t.forecasts = append(t.forecasts[:0], sim.median())
	t.stopped = "rounds"
	defer func() {
		if record {
			is.Stopped = t.stopped
		}
	}()
	if record {
		is.Rounds = []result.Round{snapshot(0, nil)}
	}
	if spread(x0) == 0 {
		t.stopped = result.StoppedAgreement
		return t.forecasts[0], nil
	}
	// A memoryless simulator's round depends only on the positions, so once
	// the positions after round n equal those after round n−p the rounds
	// repeat with period p: round m is round m−p, moves included. Later
	// rounds are then copied instead of recomputed (bit-identical).
	_, memoryless := sim.(interface{ memoryless() })
	t.past = append(t.past[:0], x0...)
	pastAt := func(m int) []float64 { return t.past[m*n0 : (m+1)*n0] }
	period := 0
	for n := 1; n <= rounds; n++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		var forecast float64
		var x []float64
		if period > 0 {
			forecast = t.forecasts[n-period]
			if record {
				r := is.Rounds[n-period]
				r.Round, r.Positions, r.Moves = n, maps.Clone(r.Positions), slices.Clone(r.Moves)
				is.Rounds = append(is.Rounds, r)
			}
			x = pastAt(n - period)
		} else {
			moves := sim.step(record)
			if err := ctx.Err(); err != nil {
				return 0, err // the round may have been cut short
			}
			if record {
				r := snapshot(n, moves)
				is.Rounds = append(is.Rounds, r)
				forecast = r.Forecast
			} else {
				forecast = sim.median()
			}
			x = sim.positions()
			if memoryless {
				for p := 1; p <= maxPeriod && p <= n; p++ {
					if slices.Equal(pastAt(n-p), x) {
						period = p
						break
					}
				}
			}
		}
		t.past = append(t.past, x...)
		t.forecasts = append(t.forecasts, forecast)
		if spread(x) == 0 {
			t.stopped = result.StoppedAgreement
			break
		}
		if why := stop.Check(t.forecasts, tol); why != "" {
			t.stopped = why
			break
		}
	}
	return t.forecasts[len(t.forecasts)-1], nil
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
	st := &scholzState{}
	st.reset(in)
	return st
}

// reset starts the state on a new input, keeping the buffers.
func (st *scholzState) reset(in input) {
	n := len(in.x)
	st.ids, st.c, st.s = in.ids, in.c, in.s
	st.x = append(st.x[:0], in.x...)
	st.r = numeric.Resize(st.r, n)
	for i := range st.r {
		st.r[i] = 1
	}
	st.span, st.q, st.workers, st.ctx = spread(in.x), in.q, in.workers, in.context()
	st.w = numeric.Resize(st.w, n)
	for k := range st.w {
		st.w[k] = st.c[k] * st.s[k]
	}
}

func (st *scholzState) positions() []float64 { return st.x }

// memoryless marks the scholz variant's rounds as depending on the
// positions alone: the risk exponents are recomputed from them at the start
// of every round, and the other fields never change.
func (st *scholzState) memoryless() {}
