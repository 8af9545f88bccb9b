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
			model.FloatParam("p", 0, 0, 1, "equal gain: Decide's randomised equal gain, the share of randomness in the exchange rate (0: equal gain)"),
			model.IntParam("repetitions", 1, 1, maxRepetitions, "repeat the run, the random stream going on (Decide's repetitions); trajectories and summaries are means over the repetitions"),
		},
		Rounds: 10,
	}
}

// maxRepetitions bounds the repetitions parameter: each repetition is a
// whole run (COP21's 10 rounds take some 20 ms), and the summaries keep
// only sums, so memory does not grow with it.
const maxRepetitions = 10000

// config is a run's resolved options.
type config struct {
	variant       string
	rounds, reps  int
	seed          uint64
	sw, fw, p     float64
	exact, random bool
	stop          model.StopRule
}

// configure resolves opt and refuses combinations the model does not run.
func (m Model) configure(opt model.Options) (config, error) {
	r, err := model.Resolve(m.Info(), opt)
	if err != nil {
		return config{}, err
	}
	c := config{variant: r.Variant, rounds: r.Rounds, random: r.Variant == RandomRate, stop: opt.Stop}
	seed, _ := r.Params.Int("seed")
	reps, _ := r.Params.Int("repetitions")
	c.seed, c.reps = uint64(seed), int(reps)
	c.sw, _ = r.Params.Float("salience_weight")
	c.fw, _ = r.Params.Float("fixed_weight")
	c.p, _ = r.Params.Float("p")
	c.exact, _ = r.Params.Bool("exact")
	switch {
	case c.p > 0 && c.random:
		return c, fmt.Errorf("param p: %v: randomised equal gain belongs to the %s variant, not %s", c.p, EqualGain, RandomRate)
	case c.p > 0 && !c.exact:
		return c, fmt.Errorf("param p: %v: randomised equal gain is computed in Decide's decimals; it does not combine with exact=false", c.p)
	case c.reps > 1 && opt.Stop.K > 0:
		return c, fmt.Errorf("param repetitions: %d: a repeated run plays every round of every repetition; it does not combine with a stop rule (--stable)", c.reps)
	}
	return c, nil
}

// Run plays the rounds on the scenario's issues, once per repetition.
// Positions are worked on a 0–100 scale (each issue's min to max) and
// reported on the issue's own scale.
func (m Model) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	c, err := m.configure(opt)
	if err != nil {
		return nil, err
	}
	if err := model.CheckPositions(sc, m.Info().Name, c.rounds); err != nil {
		return nil, err
	}
	trades := &result.Trades{}
	if c.reps > 1 {
		trades.Repetitions = c.reps
	}
	out, err := simulate(ctx, sc, c, trades)
	if err != nil {
		return nil, err
	}
	res := &result.Result{Scenario: sc.Name, Model: m.Info().Name, Variant: c.variant, Extensions: result.Extensions{Trades: trades}}
	for q := range sc.Issues {
		res.Issues = append(res.Issues, result.Issue{ID: sc.Issues[q].ID, Name: sc.Issues[q].DisplayName()})
	}
	out.sum.result(res, trades, out.ids)
	for q := range res.Issues {
		res.Issues[q].Stopped = out.stopped[q]
		res.Issues[q].Forecast = res.Issues[q].Final().Forecast
	}
	model.Settle(sc, res)
	return res, nil
}

// NewForecaster returns a Forecaster (model.Forecasting).
func (m Model) NewForecaster() model.Forecaster { return Forecaster{model: m} }

// Forecaster gives each issue's final forecast (Forecasts) or settlement
// value (Settled), bit for bit those of Run's result, from the same rounds
// without recording positions, medians, means, trades or the per-actor and
// voting summaries: strategy advice and sweeps run the model hundreds of
// times and read one number per issue.
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
	c, err := f.model.configure(opt)
	if err != nil {
		return dst, err
	}
	out, err := simulate(ctx, sc, c, nil)
	if err != nil {
		return dst, err
	}
	for q := range sc.Issues {
		h := out.sum.forecasts(q)
		v := h[len(h)-1]
		if settled {
			is := &sc.Issues[q]
			v = result.SettleRun(h, out.stopped[q], result.Tolerance(is.Min, is.Max)).Value
		}
		dst = append(dst, v)
	}
	return dst, nil
}

// simulated is what the repetitions of a run produced.
type simulated struct {
	sum     *summary
	ids     []string
	stopped []string // why each issue's run ended
}

// simulate plays every repetition of the run into a summary, and the first
// repetition's exchanges into trades. With trades nil it is the
// Forecaster's run: the summary keeps the forecasts only, and no
// externalities are measured (neither changes the rounds).
func simulate(ctx context.Context, sc *scenario.Scenario, c config, trades *result.Trades) (simulated, error) {
	if err := checkSize(sc); err != nil {
		return simulated{}, err
	}
	st, err := newState(sc)
	if err != nil {
		return simulated{}, err
	}
	ids := make([]string, st.nA)
	for a := range sc.Actors {
		ids[a] = sc.Actors[a].ID
	}
	sum := newSummary(sc, st, c.rounds, trades == nil)
	// One stream for the whole run: each repetition goes on where the
	// last left it, as Decide's random module does.
	g := &engine{rng: newPyRandom(c.seed), seed: c.seed, random: c.random, sw: c.sw, fw: c.fw, ctx: ctx,
		gainsOff: trades == nil}
	if c.p > 0 {
		g.pOn, g.p = true, decFloat(c.p)
	}
	if s, ok := storePool.Get().(*storage); ok {
		g.storage = *s
	}
	defer func() {
		s := g.storage
		storePool.Put(&s)
	}()
	stopped := result.StoppedFinal // unless a repetition plays every round
	var perIssue []string          // why the stop rule held for each issue
	for rep := 0; rep < c.reps; rep++ {
		if rep > 0 {
			st, _ = newState(sc) // the first call checked the scenario
		}
		g.st, g.rep, g.ex8 = st, rep, nil
		if c.exact && !c.random {
			g.ex8 = newExact(sc, st)
		}
		var tr *result.Trades // the first repetition's exchanges
		if rep == 0 {
			tr = trades
		}
		played, why, err := g.repetition(c, sum, sc, ids, tr)
		if err != nil {
			return simulated{}, err
		}
		switch {
		case played == c.rounds && why == nil:
			stopped = "rounds"
		case why != nil: // one repetition only: the stop rule held
			perIssue = why
		}
		sum.played = max(sum.played, played)
		// A repetition that ended early holds its positions from then on.
		for r := played + 1; r <= c.rounds && c.reps > 1; r++ {
			sum.add(r, st, st.x, st.x, nil)
		}
	}
	out := simulated{sum: sum, ids: ids, stopped: make([]string, len(sc.Issues))}
	for q := range out.stopped {
		out.stopped[q] = stopped
		if perIssue != nil {
			out.stopped[q] = perIssue[q]
		}
	}
	return out, nil
}

// repetition plays one repetition's rounds into sum, and its exchanges
// into trades unless that is nil. It returns the rounds played and, when
// the stop rule ended the run, why it held for each issue
// (model.StopRule.Check). A run that ends before its last round without
// the stop rule found a round without an exchange: nothing can change
// after it.
func (g *engine) repetition(c config, sum *summary, sc *scenario.Scenario, ids []string, trades *result.Trades) (int, []string, error) {
	st := g.st
	sum.add(0, st, nil, st.x, nil)
	history := make([][]float64, st.nI)
	for q := range history {
		history[q] = append(history[q], denorm(&sc.Issues[q], st.nbs(q, st.x)))
	}
	start, vote, set := make([]float64, len(st.x)), make([]float64, len(st.x)), make([]bool, len(st.x))
	for r := 1; r <= c.rounds; r++ {
		g.round = r
		clear(g.gains)
		copy(start, st.x)
		done, err := g.play()
		if err != nil {
			return 0, nil, err
		}
		// Voting positions: each realised exchange's sides vote at y.
		copy(vote, st.x)
		for _, e := range done {
			for _, sd := range []*side{&e.i, &e.j} {
				vote[st.at(sd.actor, sd.sup)] = sd.y
			}
			if trades != nil {
				trades.Exchanges = append(trades.Exchanges, g.report(sc, ids, r, e))
			}
		}
		sum.add(r, st, start, vote, g.gains)
		for q := range history {
			history[q] = append(history[q], denorm(&sc.Issues[q], st.nbs(q, vote)))
		}
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
			return r, nil, nil
		}
		if c.stop.K > 0 {
			// The rounds are joint: the run stops once the stop rule holds
			// for every issue, and each issue records why it held.
			why := make([]string, len(history))
			for q := range history {
				is := &sc.Issues[q]
				why[q] = c.stop.Check(history[q], result.Tolerance(is.Min, is.Max))
			}
			if !slices.Contains(why, "") {
				return r, why, nil
			}
		}
	}
	return c.rounds, nil, nil
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
	if g.random || g.pOn {
		x.GainBy = map[string]float64{ids[e.i.actor]: e.gainI, ids[e.j.actor]: e.gainJ}
	}
	return x
}
