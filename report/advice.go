package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/strategy/advice"
)

// MaxAdviceRows is the most actors and pairs the advice tables list.
const MaxAdviceRows = 12

// Advice writes an actor's advice: its own levers, whom to work on (and
// how far each must move to reach the target), and the best pairs, each
// with the forecast with the change and its gain.
func Advice(w io.Writer, sc *scenario.Scenario, r *advice.Result) error {
	ew := &errWriter{w: w}
	width := WidthOf(w)
	header(ew, sc, width)
	is := sc.Issue(r.Issue)
	approx := false
	place := func(v float64) string {
		if p := Place(is, v); p != "" {
			approx = approx || strings.HasPrefix(p, "≈")
			return Num(v) + " (" + p + ")"
		}
		return Num(v)
	}
	ew.field(width, "Model", modelName(r.Model, r.Variant))
	ew.field(width, "Adviser", fmt.Sprintf("%s (%s), position %s on %s: %s", r.Name, r.Adviser, place(r.Ideal), is.ID, is.DisplayName()))
	fc := outcomeHeadline(r.Baseline)
	if p := HeadlinePlace(is, &result.Issue{Forecast: r.Baseline.Forecast, Settlement: r.Baseline.Settlement}); p != "" {
		fc += " (" + p + ")"
		approx = approx || strings.Contains(p, "≈")
	}
	ew.field(width, "Forecast", fc+", "+outcomeEnd(r.Baseline))
	ew.field(width, "Target", fmt.Sprintf("%s (reached within %s, or when the forecast passes it)", place(r.Target), Num(r.Tolerance)))
	ew.field(width, "Runs", fmt.Sprintf("%d model runs; gain = how much nearer %s the forecast comes", r.Runs, Num(r.Ideal)))
	ew.printf("\n%s\n", Wrap(fmt.Sprintf("Own levers: the forecast if %s states another position or salience", r.Name), width, "", ""))
	if own := LeverTable(r); len(own.Rows) == 0 {
		ew.printf("  no change could be run\n")
	} else {
		own.Write(ew, width, "  ")
		if r.Own[0].Gain <= 0 {
			ew.printf("  (no change of its own moves the forecast nearer)\n")
		}
	}
	ew.printf("\n%s\n", Wrap(fmt.Sprintf("Whom to work on: each actor's most helpful change, and the move of its position alone that would bring the forecast to %s", Num(r.Target)), width, "", ""))
	others := OthersTable(r)
	if len(others.Rows) == 0 {
		ew.printf("  no other actor's change moves the forecast toward %s\n", Num(r.Ideal))
	} else {
		others.Write(ew, width, "  ")
	}
	ew.printf("\nPairs: the two actors' best changes made together\n")
	if len(r.Pairs) == 0 {
		ew.printf("  none (fewer than two actors have a helpful change)\n")
	} else {
		pairs := PairsLeverTable(r)
		pairs.Write(ew, width, "  ")
	}
	ew.printf("\n%s\n", Wrap(AdviceNote, width, "", ""))
	if approx {
		ew.printf("%s\n", Wrap(ApproxLegend, width, "", ""))
	}
	return ew.err
}

// AdviceNote explains the notation of the advice tables.
const AdviceNote = "A change reads ACTOR what FROM → TO; gain and beyond the two alone are in points of the scale, + nearer the adviser's position."

// OthersTable is whom to work on: each other actor's most helpful change
// and the move of its position alone that would reach the target, at
// most MaxAdviceRows.
func OthersTable(r *advice.Result) Table {
	others := Table{Head: []string{"#", "actor", "position", "salience", "best change", "forecast", "gain", "settled", "to reach " + Num(r.Target)},
		Cols: []Column{numCol, wrapCol(10), numCol, numCol, wrapCol(8), {Fit: FitWrap, Min: 13, Right: true}, numCol, wrapCol(8), wrapCol(8)}}
	for _, o := range r.Others {
		if len(others.Rows) == MaxAdviceRows {
			break
		}
		best := o.BestPosition
		if o.BestSalience != nil && (best == nil || o.BestSalience.Gain > best.Gain) {
			best = o.BestSalience
		}
		reach := "not alone"
		if o.Reach != nil {
			reach = fmt.Sprintf("move to %s (%+.1f)", Num(o.Reach.To[0]), o.Reach.To[0]-o.Reach.From[0])
		}
		n := count(len(others.Rows) + 1)
		if best == nil {
			if o.Reach == nil {
				continue
			}
			others.Rows = append(others.Rows, []string{n, o.Name, numOrDash(o.Position), numOrDash(o.Salience), "none helps", "", "", "", reach})
			continue
		}
		others.Rows = append(others.Rows, []string{n, o.Name, numOrDash(o.Position), numOrDash(o.Salience),
			changeText(best, 0, r.Issue), outcomeHeadline(best.Outcome), fmt.Sprintf("%+.2f", best.Gain), outcomeKind(best.Outcome), reach})
	}
	return others
}

// PairsLeverTable is the best pairs of changes, at most MaxAdviceRows.
func PairsLeverTable(r *advice.Result) Table {
	pairs := Table{Head: []string{"#", "changes", "forecast", "gain", "settled", "beyond the two alone"},
		Cols: []Column{numCol, wrapCol(20), {}, numCol, wrapCol(8), numCol}}
	for k, p := range r.Pairs {
		if k == MaxAdviceRows {
			break
		}
		pairs.Rows = append(pairs.Rows, []string{count(k + 1), changeText(&p.Lever, 0, r.Issue) + "; " + changeText(&p.Lever, 1, r.Issue),
			outcomeHeadline(p.Outcome), fmt.Sprintf("%+.2f", p.Gain), outcomeKind(p.Outcome), fmt.Sprintf("%+.2f", p.Synergy)})
	}
	return pairs
}

// LeverTable lists the adviser's own levers, at most MaxAdviceRows.
func LeverTable(r *advice.Result) Table {
	ls, limit, issue := r.Own, MaxAdviceRows, r.Issue
	t := Table{Head: []string{"change", "forecast", "gain", "settled"}, Cols: []Column{wrapCol(20), {}, numCol, wrapCol(8)}}
	for k, l := range ls {
		if k == limit {
			break
		}
		t.Rows = append(t.Rows, []string{changeText(&l, 0, issue), outcomeHeadline(l.Outcome), fmt.Sprintf("%+.2f", l.Gain), outcomeKind(l.Outcome)})
	}
	return t
}

// changeText describes the k-th change of a lever, naming its issue when
// it is not the advised one.
func changeText(l *advice.Lever, k int, issue string) string {
	what := l.Attributes[k]
	if k < len(l.Issues) && l.Issues[k] != issue {
		what = l.Issues[k] + " " + what
	}
	return fmt.Sprintf("%s %s %s → %s", l.Actors[k], what, Num(l.From[k]), Num(l.To[k]))
}

// outcomeHeadline is a run's value as the tables show a forecast: with its
// range when the run cycles or did not settle (Headline).
func outcomeHeadline(o advice.Outcome) string {
	return Headline(&result.Issue{Forecast: o.Forecast, Settlement: o.Settlement})
}

// outcomeKind is how a run ended, short: "fixed", "cycle, period 4",
// "did not settle", or why a static or unfinished run stopped.
func outcomeKind(o advice.Outcome) string {
	if k := SettlementKind(o.Settlement); k != "" {
		return k
	}
	return o.Stopped
}

// outcomeEnd says how a run ended in words.
func outcomeEnd(o advice.Outcome) string {
	if o.Settlement == nil {
		return "run ended: " + o.Stopped
	}
	return Settlement(o.Settlement, o.Rounds)
}

// numOrDash formats a number that may be absent.
func numOrDash(v *float64) string {
	if v == nil {
		return "-"
	}
	return Num(*v)
}
