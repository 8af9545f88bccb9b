package exchange

import (
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// This file gathers what every round of every repetition produced into the
// run's result: the trajectories (means over the repetitions) and Decide's
// summaries per actor (own gains and externalities) and per issue
// (outcomes and dispersion of the start and voting positions), each with
// its mean and variance over the repetitions, as Decide's summary files
// give them.

// stat accumulates a mean and variance (Welford's method): for one value
// the mean is that value exactly.
type stat struct {
	n        int
	mean, m2 float64
}

func (s *stat) add(x float64) {
	s.n++
	d := x - s.mean
	s.mean += d / float64(s.n)
	s.m2 += d * (x - s.mean)
}

// scaled returns the stat as a result.Stat, the mean mapped by f and the
// variance multiplied by v.
func (s stat) scaled(f func(float64) float64, v float64) result.Stat {
	out := result.Stat{Mean: f(s.mean)}
	if s.n > 0 {
		out.Variance = s.m2 / float64(s.n) * v
	}
	return out
}

func same(x float64) float64 { return x }

// roundStats are the accumulators of one round; positions on 0–100.
type roundStats struct {
	pos                  []stat // voting positions per actor-issue pair
	forecast             []stat // per issue, on the issue's scale
	pref, prefDisp, disp []stat // per issue, on 0–100
	gains                [][6]stat
}

// summary gathers the rounds of every repetition.
type summary struct {
	sc     *scenario.Scenario
	st     *state // the first repetition's state: who holds which issue
	rounds []roundStats
	played int // rounds played by the longest repetition
	// forecastsOnly: only the forecasts are gathered (the Forecaster).
	forecastsOnly bool
}

func newSummary(sc *scenario.Scenario, st *state, rounds int, forecastsOnly bool) *summary {
	s := &summary{sc: sc, st: st, rounds: make([]roundStats, rounds+1), forecastsOnly: forecastsOnly}
	for r := range s.rounds {
		rs := &s.rounds[r]
		rs.forecast = make([]stat, st.nI)
		if forecastsOnly {
			continue
		}
		rs.pos = make([]stat, len(st.x))
		rs.pref, rs.prefDisp, rs.disp = make([]stat, st.nI), make([]stat, st.nI), make([]stat, st.nI)
		rs.gains = make([][6]stat, st.nA)
	}
	return s
}

// forecasts returns issue q's forecast in every round played (round 0
// first): the mean over the repetitions, as the result's rounds hold it.
func (s *summary) forecasts(q int) []float64 {
	h := make([]float64, s.played+1)
	for r := range h {
		h[r] = s.rounds[r].forecast[q].mean
	}
	return h
}

// add records round r of a repetition: the start positions start (nil
// for round 0), the voting positions vote and the round's gains per actor.
func (s *summary) add(r int, st *state, start, vote []float64, gains []actorGain) {
	rs := &s.rounds[r]
	if s.forecastsOnly {
		for q := range s.sc.Issues {
			rs.forecast[q].add(denorm(&s.sc.Issues[q], st.nbs(q, vote)))
		}
		return
	}
	for k, v := range vote {
		if st.has[k] {
			rs.pos[k].add(v)
		}
	}
	for q := range s.sc.Issues {
		is := &s.sc.Issues[q]
		o := st.nbs(q, vote)
		rs.forecast[q].add(denorm(is, o))
		rs.disp[q].add(dispersion(st, q, vote, o))
		if start != nil {
			p := st.nbs(q, start)
			rs.pref[q].add(p)
			rs.prefDisp[q].add(dispersion(st, q, start, p))
		}
	}
	if start == nil {
		return
	}
	for a := range rs.gains {
		var ag actorGain
		if a < len(gains) {
			ag = gains[a]
		}
		for k, v := range [6]float64{ag.exchanges, ag.own, ag.innerPos, ag.innerNeg, ag.outerPos, ag.outerNeg} {
			rs.gains[a][k].add(v)
		}
	}
}

// dispersion is Decide's "MDS variance" of issue q: the mean squared
// distance of the positions from the outcome o, over the actors on it.
func dispersion(st *state, q int, pos []float64, o float64) float64 {
	var sum float64
	n := 0
	for a := 0; a < st.nA; a++ {
		if k := st.at(a, q); st.has[k] {
			d := pos[k] - o
			sum += d * d
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// result fills res's trajectories (rounds 0 to the longest repetition's
// last) and trades' summaries.
func (s *summary) result(res *result.Result, trades *result.Trades, ids []string) {
	st, sc := s.st, s.sc
	for r := 0; r <= s.played; r++ {
		rs := &s.rounds[r]
		for q := range sc.Issues {
			is := &sc.Issues[q]
			var x, w []float64
			posm := map[string]float64{}
			for a := 0; a < st.nA; a++ {
				k := st.at(a, q)
				if !st.has[k] {
					continue
				}
				v := denorm(is, rs.pos[k].mean)
				x = append(x, v)
				w = append(w, st.c[k]*st.s[k])
				posm[ids[a]] = v
			}
			res.Issues[q].Rounds = append(res.Issues[q].Rounds, result.Round{Round: r, Forecast: rs.forecast[q].mean,
				Median: numeric.WeightedMedian(x, w), Mean: numeric.WeightedMean(x, w), Positions: posm})
		}
		if r == 0 {
			continue
		}
		for a, g := range rs.gains {
			trades.ActorGains = append(trades.ActorGains, result.ActorGains{Round: r, Actor: ids[a],
				Exchanges: g[0].scaled(same, 1), Own: g[1].scaled(same, 1), InnerPositive: g[2].scaled(same, 1),
				InnerNegative: g[3].scaled(same, 1), OuterPositive: g[4].scaled(same, 1), OuterNegative: g[5].scaled(same, 1)})
		}
		for q := range sc.Issues {
			is := &sc.Issues[q]
			f := (is.Max - is.Min) / 100 // 0–100 to the issue's scale
			den := func(v float64) float64 { return denorm(is, v) }
			sq := func(v float64) float64 { return v * f * f }
			trades.IssueVoting = append(trades.IssueVoting, result.IssueVoting{Round: r, Issue: is.ID,
				Preference: rs.pref[q].scaled(den, f*f), Voting: rs.forecast[q].scaled(same, 1),
				PreferenceDispersion: rs.prefDisp[q].scaled(sq, f*f*f*f), VotingDispersion: rs.disp[q].scaled(sq, f*f*f*f)})
		}
	}
}
