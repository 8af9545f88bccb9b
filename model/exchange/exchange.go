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
	variant, rounds := r.Variant, r.Rounds
	seed, _ := r.Params.Int("seed")
	sw, _ := r.Params.Float("salience_weight")
	fw, _ := r.Params.Float("fixed_weight")
	exact, _ := r.Params.Bool("exact")
	st, err := newState(sc)
	if err != nil {
		return nil, err
	}
	g := &engine{st: st, rng: newPyRandom(uint64(seed)), seed: uint64(seed), random: variant == RandomRate,
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
	trades := &result.Trades{}
	res := &result.Result{Scenario: sc.Name, Model: m.Info().Name, Variant: variant, Extensions: result.Extensions{Trades: trades}}
	ids := make([]string, st.nA)
	for a := range sc.Actors {
		ids[a] = sc.Actors[a].ID
	}
	for q := range sc.Issues {
		res.Issues = append(res.Issues, result.Issue{ID: sc.Issues[q].ID, Name: sc.Issues[q].DisplayName()})
	}
	record := func(r int, pos []float64) []float64 {
		fc := make([]float64, st.nI)
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
				posm[ids[a]] = v
			}
			fc[q] = denorm(is, st.nbs(q, pos))
			res.Issues[q].Rounds = append(res.Issues[q].Rounds, result.Round{Round: r, Forecast: fc[q],
				Median: numeric.WeightedMedian(x, w), Mean: numeric.WeightedMean(x, w), Positions: posm})
		}
		return fc
	}
	history := make([][]float64, st.nI)
	for q, f := range record(0, st.x) {
		history[q] = append(history[q], f)
	}
	stopped := "rounds"
	for r := 1; r <= rounds; r++ {
		g.round = r
		done, err := g.play()
		if err != nil {
			return nil, err
		}
		// Voting positions: each realised exchange's sides vote at y.
		vote := append([]float64(nil), st.x...)
		for _, e := range done {
			for _, sd := range []*side{&e.i, &e.j} {
				vote[st.at(sd.actor, sd.sup)] = sd.y
			}
			trades.Exchanges = append(trades.Exchanges, g.report(sc, ids, r, e))
		}
		for q, f := range record(r, vote) {
			history[q] = append(history[q], f)
		}
		// The next round starts part of the way from each side's start
		// position to its voting position (Decide's new start position).
		// A later exchange of the same side overrides an earlier one.
		set := make([]bool, len(st.x))
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
			stopped = "converged"
			break
		}
		if opt.Stop.K > 0 {
			settled := true
			for q := range history {
				settled = settled && opt.Stop.Settled(history[q])
			}
			if settled {
				stopped = "converged"
				break
			}
		}
	}
	for q := range res.Issues {
		res.Issues[q].Stopped = stopped
		res.Issues[q].Forecast = res.Issues[q].Final().Forecast
	}
	return res, nil
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
