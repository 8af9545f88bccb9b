package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

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
	header(ew, sc, WidthOf(w))
	is := sc.Issue(r.Issue)
	place := func(v float64) string {
		if p := Place(is, v); p != "" {
			return Num(v) + " (" + p + ")"
		}
		return Num(v)
	}
	ew.printf("Model:    %s\n", modelName(r.Model, r.Variant))
	ew.printf("Adviser:  %s (%s), position %s on %s: %s\n", r.Name, r.Adviser, place(r.Ideal), is.ID, is.DisplayName())
	fc := outcomeHeadline(r.Baseline)
	if p := HeadlinePlace(is, &result.Issue{Forecast: r.Baseline.Forecast, Settlement: r.Baseline.Settlement}); p != "" {
		fc += " (" + p + ")"
	}
	ew.printf("Forecast: %s, %s\n", fc, outcomeEnd(r.Baseline))
	ew.printf("Target:   %s (reached within %s, or when the forecast passes it)\n", place(r.Target), Num(r.Tolerance))
	ew.printf("Runs:     %d model runs; gain = how much nearer %s the forecast comes\n", r.Runs, Num(r.Ideal))
	ew.printf("\nOwn levers: the forecast if %s states another position or salience\n", r.Name)
	ew.printf("%s", leverTable(r.Own, MaxAdviceRows, r.Issue))
	ew.printf("\nWhom to work on: each actor's most helpful change, and the move of its position alone\nthat would bring the forecast to %s\n", Num(r.Target))
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  #\tactor\tposition\tsalience\tbest change\tforecast\tgain\tsettled\tto reach %s\n", Num(r.Target))
	shown := 0
	for _, o := range r.Others {
		if shown == MaxAdviceRows {
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
		if best == nil {
			if o.Reach == nil {
				continue
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\tnone helps\t\t\t\t%s\n", shown+1, clip(o.Name, 30), numOrDash(o.Position), numOrDash(o.Salience), reach)
		} else {
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\t%+.2f\t%s\t%s\n", shown+1, clip(o.Name, 30), numOrDash(o.Position), numOrDash(o.Salience),
				changeText(best, 0, r.Issue), outcomeHeadline(best.Outcome), best.Gain, outcomeKind(best.Outcome), reach)
		}
		shown++
	}
	tw.Flush()
	if shown == 0 {
		ew.printf("  no other actor's change moves the forecast toward %s\n", Num(r.Ideal))
	}
	ew.printf("\nPairs: the two actors' best changes made together\n")
	if len(r.Pairs) == 0 {
		ew.printf("  none (fewer than two actors have a helpful change)\n")
	} else {
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  #\tchanges\tforecast\tgain\tsettled\tbeyond the two alone\n")
		for k, p := range r.Pairs {
			if k == MaxAdviceRows {
				break
			}
			fmt.Fprintf(tw, "  %d\t%s; %s\t%s\t%+.2f\t%s\t%+.2f\n", k+1, changeText(&p.Lever, 0, r.Issue), changeText(&p.Lever, 1, r.Issue), outcomeHeadline(p.Outcome), p.Gain, outcomeKind(p.Outcome), p.Synergy)
		}
		tw.Flush()
	}
	return ew.err
}

// leverTable lists levers of one actor.
func leverTable(ls []advice.Lever, limit int, issue string) string {
	if len(ls) == 0 {
		return "  no change could be run\n"
	}
	var sb strings.Builder
	tw := tabwriter.NewWriter(&sb, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  change\tforecast\tgain\tsettled\n")
	for k, l := range ls {
		if k == limit {
			break
		}
		fmt.Fprintf(tw, "  %s\t%s\t%+.2f\t%s\n", changeText(&l, 0, issue), outcomeHeadline(l.Outcome), l.Gain, outcomeKind(l.Outcome))
	}
	tw.Flush()
	if ls[0].Gain <= 0 {
		sb.WriteString("  (no change of its own moves the forecast nearer)\n")
	}
	return sb.String()
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
