package report

import (
	"fmt"
	"math"

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
func SettlementKind(s *result.Settlement) string {
	switch {
	case s == nil:
		return ""
	case s.Kind == result.Fixed:
		return "fixed"
	case s.Kind == result.Cycle:
		return fmt.Sprintf("cycle, period %d", s.Period)
	}
	return "did not settle"
}

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
