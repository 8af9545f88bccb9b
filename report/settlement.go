package report

import (
	"fmt"
	"math"
	"slices"

	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Settlement describes how an issue's forecast ended, in words: "fixed at
// 80.00 from round 0", "cycles between 26.10 and 85.00 (period 4, from
// round 21)", "did not settle: 7.00–9.96 over rounds 5–10". last is the
// last round played. It is "" without a settlement.
func Settlement(s *result.Settlement, last int) string {
	if s == nil {
		return ""
	}
	switch s.Kind {
	case result.Fixed:
		return fmt.Sprintf("fixed at %s from round %d", Num(s.Value), s.FromRound)
	case result.Cycle:
		return fmt.Sprintf("cycles between %s and %s (period %d, from round %d)", Num(s.Low), Num(s.High), s.Period, s.FromRound)
	}
	return fmt.Sprintf("did not settle: %s–%s over rounds %d–%d", Num(s.Low), Num(s.High), s.FromRound, last)
}

// SettlementKind is the short form of Settlement for summary rows:
// "fixed", "cycle, period 4", "did not settle".
func SettlementKind(s *result.Settlement) string { return s.Short() }

// Headline is the forecast a summary shows for an issue: the settlement
// value with, when the issue did not settle on a fixed point, its range
// ("62.26 (26.10–85.00)"); without a settlement (a static model) the
// forecast.
func Headline(ir *result.Issue) string {
	s := ir.Settlement
	switch {
	case s == nil:
		return Num(ir.Forecast)
	case s.Kind == result.Fixed:
		return Num(s.Value)
	}
	return fmt.Sprintf("%s (%s–%s)", Num(s.Value), Num(s.Low), Num(s.High))
}

// HeadlineValue is the number the headline gives: the settlement's value
// (the fixed point, or the mean over a cycle or the last half of the
// run), else the forecast.
func HeadlineValue(ir *result.Issue) float64 {
	if ir.Settlement != nil {
		return ir.Settlement.Value
	}
	return ir.Forecast
}

// HeadlinePlace is where the headline lies on the issue's labelled scale:
// the place of the value for a fixed point or a static model, and of both
// ends of the range otherwise ("≈ a … ≈ b"; the place of the value when
// both ends lie nearest the same anchor).
func HeadlinePlace(is *scenario.Issue, ir *result.Issue) string {
	s := ir.Settlement
	switch {
	case s == nil:
		return Place(is, ir.Forecast)
	case s.Kind == result.Fixed:
		return Place(is, s.Value)
	}
	if is.Label(s.Low, math.Inf(1)) == is.Label(s.High, math.Inf(1)) {
		return Place(is, s.Value) // both ends nearest the same anchor
	}
	return Place(is, s.Low) + " … " + Place(is, s.High)
}

// IntervalText writes an issue's interval: "5–95%: 55.00–70.00, median
// 62.50 (200 draws, seed 1)"; "" without one.
func IntervalText(iv *result.Interval) string {
	if iv == nil {
		return ""
	}
	return fmt.Sprintf("5–95%%: %s–%s, median %s (%d draws, seed %d)", Num(iv.P05), Num(iv.P95), Num(iv.P50), iv.Draws, iv.Seed)
}

// IssueSummary is how an issue's forecast reads, in the words of the
// tables, for pages that lay it out themselves (the HTML report, the web
// UI through the API).
type IssueSummary struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Headline is the forecast a summary shows (Headline), Place where it
	// lies on the labelled scale (HeadlinePlace).
	Headline string `json:"headline"`
	Place    string `json:"place,omitempty"`
	// Value is the headline as a number (absent when there is none), for
	// comparing runs.
	Value *float64 `json:"value,omitempty"`
	// Kind is the settlement's kind ("" for a static model), Ends its
	// account (Settlement).
	Kind string `json:"kind,omitempty"`
	Ends string `json:"ends,omitempty"`
	// Interval is the 5th to 95th percentile with the median, "71.24–85.39
	// (median 78.93)", over IntervalDraws draws with seed IntervalSeed; ""
	// without one.
	Interval      string `json:"interval,omitempty"`
	IntervalDraws int    `json:"interval_draws,omitempty"`
	IntervalSeed  uint64 `json:"interval_seed,omitempty"`
	// LastRound is the last round's forecast, Rounds the rounds played
	// and Stopped why the run stopped (StopReason).
	LastRound string `json:"last_round"`
	Rounds    int    `json:"rounds"`
	Stopped   string `json:"stopped,omitempty"`
}

// Summaries describes each issue of a forecast result on the scenario's
// scales (an issue the scenario lacks is described without labels).
func Summaries(sc *scenario.Scenario, res *result.Result) []IssueSummary {
	res = settled(sc, res)
	out := make([]IssueSummary, 0, len(res.Issues))
	for k := range res.Issues {
		ir := &res.Issues[k]
		is := issueOrNamed(sc, ir.ID, ir.Name)
		v := HeadlineValue(ir)
		s := IssueSummary{ID: ir.ID, Name: is.DisplayName(), Headline: Headline(ir), Place: HeadlinePlace(is, ir), Value: &v,
			LastRound: Num(ir.Forecast), Stopped: StopReason(ir.Stopped)}
		if iv := ir.Interval; iv != nil {
			s.Interval = fmt.Sprintf("%s–%s (median %s)", Num(iv.P05), Num(iv.P95), Num(iv.P50))
			s.IntervalDraws, s.IntervalSeed = iv.Draws, iv.Seed
		}
		if len(ir.Rounds) > 0 {
			s.Rounds = ir.Final().Round
			s.Ends = Settlement(ir.Settlement, s.Rounds)
		}
		if ir.Settlement != nil {
			s.Kind = ir.Settlement.Kind
		}
		out = append(out, s)
	}
	return out
}

// settled returns res, or, when some round-based issue lacks its
// settlement (a result stored before runs recorded it), a copy with the
// settlement of each such issue on the scenario's scale.
func settled(sc *scenario.Scenario, res *result.Result) *result.Result {
	var out *result.Result
	for k := range res.Issues {
		ir := &res.Issues[k]
		is := sc.Issue(ir.ID)
		if ir.Settlement != nil || ir.Stopped == "static" || len(ir.Rounds) == 0 || is == nil || !(is.Max > is.Min) {
			continue
		}
		if out == nil {
			c := *res
			c.Issues = slices.Clone(res.Issues)
			out = &c
		}
		out.Issues[k].SettleIssue(result.Tolerance(is.Min, is.Max))
	}
	if out == nil {
		return res
	}
	return out
}
