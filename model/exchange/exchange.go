// Package exchange implements the exchange (vote-trading) model of
// Stokman & Van Oosten (1994), "The exchange of voting positions: an
// object-oriented model of policy networks", as implemented by the Decide
// reference implementation (foarsitter/decide-exchange-model).
//
// Each round, for every pair of issues, actors whose positions lie on
// opposite sides of both outcomes and who care about the two issues in
// different proportions can trade: each moves its voting position on the
// issue it cares less about towards the other. Exchanges are realised in
// order of gain; a realised exchange changes the positions the others
// start from. The outcome of an issue is the capability×salience weighted
// mean of the voting positions. Between rounds actors shift their
// positions part of the way to the voting positions.
//
// The equal-gain variant (the default) splits the gain of each exchange
// equally between the partners and reproduces Decide; the random-rate
// variant draws the exchange rate, seeded, between the rates at which
// either partner would gain nothing.
package exchange

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// storePool keeps the engine's storage between runs (sweeps run the
// model many times).
var storePool sync.Pool

// Variant names.
const (
	EqualGain  = "equal-gain"
	RandomRate = "random-rate"
)

// Model is the exchange model.
type Model struct{}

// Info describes the exchange model.
func (Model) Info() model.Info {
	return model.Info{
		Name:        "exchange",
		Description: "Stokman–Van Oosten exchange of voting positions (vote trading) across issues, as in Decide; the forecast is the weighted mean of voting positions",
		Variants: []model.Variant{
			{Name: EqualGain, Description: "partners gain equally (Decide's Equal Gain); reproduces Decide, ties broken as Decide does with its seed"},
			{Name: RandomRate, Description: "exchange rate drawn between the partners' break-even rates, seeded"},
		},
		Params: []model.Param{
			model.IntParam("seed", 1, 0, model.MaxInt, "seed of the tie-breaking draws (Decide's random.seed) and of random-rate draws"),
			model.FloatParam("salience_weight", 0.4, 0, 1, "share of the move to the voting position kept into the next round, times 1−salience"),
			model.FloatParam("fixed_weight", 0.1, 0, 1, "share of the move to the voting position always kept into the next round"),
			model.BoolParam("exact", true, "equal gain: settle near-ties in Decide's 28-digit decimals (reproduces Decide exactly); false uses float64 only (faster; may break ties differently from Decide)"),
		},
		Rounds: 10,
	}
}

// Run plays the rounds on the scenario's issues. Positions are worked on
// a 0–100 scale (each issue's min to max) and reported on the issue's own
// scale.
func (m Model) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	r, err := model.Resolve(m.Info(), opt)
	if err != nil {
		return nil, err
	}
	trades := &result.Trades{}
	res := &result.Result{Scenario: sc.Name, Model: m.Info().Name, Variant: r.Variant, Extensions: result.Extensions{Trades: trades}}
	for q := range sc.Issues {
		res.Issues = append(res.Issues, result.Issue{ID: sc.Issues[q].ID, Name: sc.Issues[q].DisplayName()})
	}
	ids := make([]string, len(sc.Actors))
	for a := range sc.Actors {
		ids[a] = sc.Actors[a].ID
	}
	rec := &recorder{res: res, trades: trades, ids: ids}
	p, err := play(ctx, sc, r, opt.Stop, rec)
	if err != nil {
		return nil, err
	}
	for q := range res.Issues {
		res.Issues[q].Stopped = p.stopped[q]
		res.Issues[q].Forecast = res.Issues[q].Final().Forecast
	}
	model.Settle(sc, res)
	return res, nil
}

// NewForecaster returns a Forecaster (model.Forecasting).
func (m Model) NewForecaster() model.Forecaster { return Forecaster{model: m} }

// Forecaster gives each issue's final forecast (Forecasts) or settlement
// value (Settled), bit for bit those of Run's result, from the same rounds
// without recording positions, medians, means or trades: strategy advice
// and sweeps run the model hundreds of times and read one number per
// issue.
type Forecaster struct{ model Model }

// Forecasts appends to dst the last round's forecast of each issue.
func (f Forecaster) Forecasts(ctx context.Context, sc *scenario.Scenario, opt model.Options, dst []float64) ([]float64, error) {
	return f.forecasts(ctx, sc, opt, dst, false)
}

// Settled appends to dst the settlement value of each issue
// (model.SettledForecaster).
func (f Forecaster) Settled(ctx context.Context, sc *scenario.Scenario, opt model.Options, dst []float64) ([]float64, error) {
	return f.forecasts(ctx, sc, opt, dst, true)
}

func (f Forecaster) forecasts(ctx context.Context, sc *scenario.Scenario, opt model.Options, dst []float64, settled bool) ([]float64, error) {
	r, err := model.Resolve(f.model.Info(), opt)
	if err != nil {
		return dst, err
	}
	p, err := play(ctx, sc, r, opt.Stop, nil)
	if err != nil {
		return dst, err
	}
	for q, h := range p.history {
		v := h[len(h)-1]
		if settled {
			is := &sc.Issues[q]
			v = result.SettleRun(h, p.stopped[q], result.Tolerance(is.Min, is.Max)).Value
		}
		dst = append(dst, v)
	}
	return dst, nil
}

// recorder keeps what Run reports beyond the forecasts: every round's
// positions, median and mean, and the trades.
type recorder struct {
	res    *result.Result
	trades *result.Trades
	ids    []string
}

// round records round r with the voting positions pos (0–100) and the
// forecasts fc.
func (rc *recorder) round(sc *scenario.Scenario, st *state, r int, pos, fc []float64) {
	for q := range sc.Issues {
		is := &sc.Issues[q]
		var x, w []float64
		posm := map[string]float64{}
		for a := 0; a < st.nA; a++ {
			k := st.at(a, q)
			if !st.has[k] {
				continue
			}
			v := denorm(is, pos[k])
			x = append(x, v)
			w = append(w, st.c[k]*st.s[k])
			posm[rc.ids[a]] = v
		}
		rc.res.Issues[q].Rounds = append(rc.res.Issues[q].Rounds, result.Round{Round: r, Forecast: fc[q],
			Median: numeric.WeightedMedian(x, w), Mean: numeric.WeightedMean(x, w), Positions: posm})
	}
}

// played is what play returns: each issue's forecast per round (round 0
// first) and why it stopped.
type played struct {
	history [][]float64
	stopped []string
}

// play plays the rounds, recording them in rec when it is not nil.
func play(ctx context.Context, sc *scenario.Scenario, r model.Resolved, stop model.StopRule, rec *recorder) (played, error) {
	seed, _ := r.Params.Int("seed")
	sw, _ := r.Params.Float("salience_weight")
	fw, _ := r.Params.Float("fixed_weight")
	exact, _ := r.Params.Bool("exact")
	st, err := newState(sc)
	if err != nil {
		return played{}, err
	}
	g := &engine{st: st, rng: newPyRandom(uint64(seed)), seed: uint64(seed), random: r.Variant == RandomRate,
		sw: sw, fw: fw, ctx: ctx}
	if exact && !g.random {
		g.ex8 = newExact(sc, st)
	}
	if s, ok := storePool.Get().(*storage); ok {
		g.storage = *s
	}
	defer func() {
		s := g.storage
		storePool.Put(&s)
	}()
	history := make([][]float64, st.nI)
	fc := make([]float64, st.nI)
	observe := func(round int, pos []float64) {
		for q := range sc.Issues {
			fc[q] = denorm(&sc.Issues[q], st.nbs(q, pos))
			history[q] = append(history[q], fc[q])
		}
		if rec != nil {
			rec.round(sc, st, round, pos, fc)
		}
	}
	observe(0, st.x)
	stopped := "rounds"
	var perIssue []string // why the stop rule held for each issue
	vote := make([]float64, len(st.x))
	set := make([]bool, len(st.x))
	for round := 1; round <= r.Rounds; round++ {
		g.round = round
		done, err := g.play()
		if err != nil {
			return played{}, err
		}
		// Voting positions: each realised exchange's sides vote at y.
		copy(vote, st.x)
		for _, e := range done {
			for _, sd := range []*side{&e.i, &e.j} {
				vote[st.at(sd.actor, sd.sup)] = sd.y
			}
			if rec != nil {
				rec.trades.Exchanges = append(rec.trades.Exchanges, g.report(sc, rec.ids, round, e))
			}
		}
		observe(round, vote)
		// The next round starts part of the way from each side's start
		// position to its voting position (Decide's new start position).
		// A later exchange of the same side overrides an earlier one.
		clear(set)
		for n := len(done) - 1; n >= 0; n-- {
			for _, sd := range []*side{&done[n].j, &done[n].i} {
				k := st.at(sd.actor, sd.sup)
				if set[k] {
					continue
				}
				set[k] = true
				if g.ex8 != nil {
					g.ex8.x[k] = g.nextStartD(sd)
					st.x[k] = g.ex8.x[k].float()
				} else {
					st.x[k] = g.nextStart(sd)
				}
			}
		}
		if len(done) == 0 {
			stopped = result.StoppedFinal // nothing can change after this round
			break
		}
		if stop.K > 0 {
			// The rounds are joint: the run stops once the stop rule holds
			// for every issue, and each issue records why it held.
			why := make([]string, len(history))
			for q := range history {
				is := &sc.Issues[q]
				why[q] = stop.Check(history[q], result.Tolerance(is.Min, is.Max))
			}
			if !slices.Contains(why, "") {
				perIssue = why
				break
			}
		}
	}
	p := played{history: history, stopped: make([]string, st.nI)}
	for q := range p.stopped {
		p.stopped[q] = stopped
		if perIssue != nil {
			p.stopped[q] = perIssue[q]
		}
	}
	return p, nil
}

// nextStart is the position a side starts the next round from: a share
// (1−s)·w_s + w_f of the way from its start position to its voting
// position, where s is its salience on the issue (Decide's
// new_start_position, with w_s = 0.4 and w_f = 0.1 by default).
func (g *engine) nextStart(sd *side) float64 {
	k := (1-sd.ss)*g.sw + g.fw
	return k*sd.y + (1-k)*sd.start
}

// report turns a realised exchange into its result form.
func (g *engine) report(sc *scenario.Scenario, ids []string, r int, e *exch) result.Exchange {
	x := result.Exchange{Round: r, Actors: [2]string{ids[e.i.actor], ids[e.j.actor]},
		Supply: map[string]string{}, Moves: map[string]result.ExchangeMove{}, Gain: e.gain}
	for _, sd := range []*side{&e.i, &e.j} {
		is := &sc.Issues[sd.sup]
		id := ids[sd.actor]
		x.Supply[id] = is.ID
		x.Moves[id] = result.ExchangeMove{Issue: is.ID, From: denorm(is, sd.x), To: denorm(is, sd.y)}
	}
	if g.random {
		x.GainBy = map[string]float64{ids[e.i.actor]: e.gainI, ids[e.j.actor]: e.gainJ}
	}
	return x
}

// maxCount is the most actors and issues the engine indexes (ratedKey
// packs them in 16 bits).
const maxCount = 1<<16 - 1

// newState reads the scenario into the engine's arrays, positions on 0–100.
func newState(sc *scenario.Scenario) (*state, error) {
	st := &state{nA: len(sc.Actors), nI: len(sc.Issues)}
	if st.nA > maxCount || st.nI > maxCount {
		return nil, fmt.Errorf("the exchange model takes at most %d actors and %d issues; the scenario has %d and %d", maxCount, maxCount, st.nA, st.nI)
	}
	n := st.nA * st.nI
	st.has, st.x, st.s, st.c = make([]bool, n), make([]float64, n), make([]float64, n), make([]float64, n)
	st.den, st.num = make([]float64, st.nI), make([]float64, st.nI)
	for q := range sc.Issues {
		is := &sc.Issues[q]
		if !(is.Max > is.Min) {
			return nil, fmt.Errorf("issue %s: scale maximum %v must exceed minimum %v", is.ID, is.Max, is.Min)
		}
		sh := sc.Stakeholders(is.ID)
		if len(sh) == 0 {
			return nil, fmt.Errorf("issue %s: no actor holds a position", is.ID)
		}
		for _, h := range sh {
			a := actorIndex(sc, h.ID)
			k := st.at(a, q)
			st.has[k] = true
			st.x[k] = norm(is, h.Position)
			st.s[k] = h.Salience
			st.c[k] = h.Capability
			st.den[q] += h.Capability * h.Salience
		}
	}
	return st, nil
}

func actorIndex(sc *scenario.Scenario, id string) int {
	for i := range sc.Actors {
		if sc.Actors[i].ID == id {
			return i
		}
	}
	return -1
}

// norm maps a position on the issue's scale to 0–100, as Decide does with
// the #M range of the issue.
func norm(is *scenario.Issue, v float64) float64 { return (v - is.Min) * (100 / (is.Max - is.Min)) }

func denorm(is *scenario.Issue, v float64) float64 { return v/(100/(is.Max-is.Min)) + is.Min }
