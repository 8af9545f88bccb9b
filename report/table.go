// Package report renders results and scenarios for people: plain-text
// tables for the terminal.
package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Num formats a position or forecast for tables.
func Num(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.2f", v)
}

// Place describes where v lies on an issue scale in terms of its labelled
// anchors: the anchor's label when v is within 1% of the scale of it, else
// the nearest anchor's label after "≈".
func Place(is *scenario.Issue, v float64) string {
	if len(is.Anchors) == 0 {
		return ""
	}
	if l := is.Label(v, (is.Max-is.Min)/100); l != "" {
		return l
	}
	return "≈ " + is.Label(v, math.Inf(1))
}

// Forecast writes a readable account of a model run: per issue the
// forecast, median and mean of every round, then each actor's starting
// and final position with the scale's labels, and the trades of an
// exchange model round by round.
func Forecast(w io.Writer, sc *scenario.Scenario, res *result.Result) error {
	ew := &errWriter{w: w}
	header(ew, sc)
	m := modelName(res.Model, res.Variant)
	ew.printf("Model:    %s\n", m)
	if len(res.Issues) > 1 {
		summary(ew, sc, res)
	}
	for n, ir := range res.Issues {
		is := sc.Issue(ir.ID)
		if len(res.Issues) > 1 {
			ew.printf("\n%s\n", rule(fmt.Sprintf("Issue %d of %d", n+1, len(res.Issues))))
		}
		ew.printf("\nIssue %s: %s, scale %s to %s\n", is.ID, is.DisplayName(), Num(is.Min), Num(is.Max))
		for _, a := range is.SortedAnchors() {
			ew.printf("  %6s  %s\n", Num(a.Value), a.Label)
		}
		ew.printf("\n")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "Round\tForecast\tMedian\tMean\tMoves\t\n")
		for _, r := range ir.Rounds {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t\n", r.Round, Num(r.Forecast), Num(r.Median), Num(r.Mean), len(r.Moves)+exchangeMoves(res, ir.ID, r.Round))
		}
		tw.Flush()
		played := len(ir.Rounds) - 1
		label := "Forecast:"
		if s := ir.Settlement; s != nil && s.Kind != result.Fixed {
			label = "Last round:" // not the headline: see the settlement
		}
		ew.printf("\n%s %s  %s", label, Num(ir.Forecast), Place(is, ir.Forecast))
		if why := StopReason(ir.Stopped); why != "" {
			ew.printf("  (%s, %s)", why, plural.Count(played, "round"))
		}
		ew.printf("\n")
		if s := ir.Settlement; s != nil {
			ew.printf("Settles:  %s", Settlement(s, ir.Final().Round))
			if s.Kind != result.Fixed {
				ew.printf("; mean %s", Num(s.Value))
				if place := HeadlinePlace(is, &ir); place != "" {
					ew.printf("  %s", place)
				}
			}
			ew.printf("\n")
		}
		if iv := ir.Interval; iv != nil {
			ew.printf("Interval: %s\n", IntervalText(iv))
		}
		ew.printf("\n")

		first, last := ir.Rounds[0], ir.Final()
		ids := make([]string, 0, len(first.Positions))
		for id := range first.Positions {
			ids = append(ids, id)
		}
		order := map[string]int{}
		for i, a := range sc.Actors {
			order[a.ID] = i
		}
		sort.Slice(ids, func(a, b int) bool { return order[ids[a]] < order[ids[b]] })
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "Actor\tStart\tFinal\tWhere it ends\n")
		for _, id := range ids {
			a := sc.Actor(id)
			fmt.Fprintf(tw, "%s\t%7s\t%7s\t%s\n", a.DisplayName(), Num(first.Positions[id]), Num(last.Positions[id]), Place(is, last.Positions[id]))
		}
		tw.Flush()
		if out := notInvolved(sc, first.Positions); len(out) > 0 {
			ew.printf("\nNo stance on this issue (%d): %s\n", len(out), strings.Join(out, ", "))
		}
	}
	exchangeTables(ew, sc, res)
	return ew.err
}

// summary writes one line per issue: the starting forecast, the headline
// (the settlement value, with its range when the issue cycles or did not
// settle), the rounds played, how the forecast ended, the interval when
// the run has one, and where the headline lies on the labelled scale.
func summary(ew *errWriter, sc *scenario.Scenario, res *result.Result) {
	ew.printf("\nSummary of %s\n\n", plural.Count(len(res.Issues), "issue"))
	intervals, settled := false, false
	for _, ir := range res.Issues {
		intervals = intervals || ir.Interval != nil
		settled = settled || ir.Settlement != nil
	}
	width := len("Forecast")
	for _, ir := range res.Issues {
		width = max(width, utf8.RuneCountInString(Headline(&ir)))
	}
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Issue\t%6s\t%7s\t%*s\t%6s", "Actors", "Start", width, "Forecast", "Rounds")
	if settled {
		fmt.Fprintf(tw, "\tEnds")
	}
	if intervals {
		fmt.Fprintf(tw, "\t90%% interval")
	}
	fmt.Fprintf(tw, "\tWhere the forecast lies\n")
	for _, ir := range res.Issues {
		is := sc.Issue(ir.ID)
		start, actors := math.NaN(), 0
		if len(ir.Rounds) > 0 {
			start, actors = ir.Rounds[0].Forecast, len(ir.Rounds[0].Positions)
		}
		fmt.Fprintf(tw, "%s\t%6d\t%7s\t%*s\t%6d", is.ID, actors, Num(start), width, Headline(&ir), max(len(ir.Rounds)-1, 0))
		if settled {
			fmt.Fprintf(tw, "\t%s", SettlementKind(ir.Settlement))
		}
		if intervals {
			iv := ""
			if ir.Interval != nil {
				iv = Num(ir.Interval.P05) + "–" + Num(ir.Interval.P95)
			}
			fmt.Fprintf(tw, "\t%s", iv)
		}
		fmt.Fprintf(tw, "\t%s\n", HeadlinePlace(is, &ir))
	}
	tw.Flush()
	ew.printf("\nActors: how many hold a stance on the issue. Start: the forecast before any round.\n")
	if settled {
		ew.printf("Forecast: where the forecast settles; when it cycles or does not settle, the mean over\n" +
			"the cycle (or over the last half of the run) with the range it moves in, in brackets.\n")
	}
	if intervals {
		ew.printf("90%% interval: 5th to 95th percentile of that forecast over a seeded sweep under the\n" +
			"scenario's uncertainty.\n")
	}
}

// StopReason says in words why a run stopped (result.Issue.Stopped).
func StopReason(stopped string) string {
	return map[string]string{
		"rounds":      "after the last round",
		"fixed":       "stopped: the forecast stayed fixed",
		"cycle":       "stopped: the forecast's cycle repeated",
		"converged":   "the model's convergence rule held",
		"agreement":   "all actors agree",
		"no-exchange": "no exchange left",
		"static":      "static model",
	}[stopped]
}

// rule centres a title in a line of dashes, to separate the issues of a
// multi-issue report.
func rule(title string) string {
	const width = 72
	side := max((width-len(title)-2)/2, 3)
	return strings.Repeat("─", side) + " " + title + " " + strings.Repeat("─", side)
}

// notInvolved lists, in file order, the ids of the actors that hold no
// position in the round (the scenario gives them no stance on the issue).
func notInvolved(sc *scenario.Scenario, positions map[string]float64) []string {
	var out []string
	for i := range sc.Actors {
		if _, ok := positions[sc.Actors[i].ID]; !ok {
			out = append(out, sc.Actors[i].ID)
		}
	}
	return out
}

// Moves writes the moves of each round.
func Moves(w io.Writer, sc *scenario.Scenario, res *result.Result) error {
	ew := &errWriter{w: w}
	for _, ir := range res.Issues {
		for _, r := range ir.Rounds {
			if len(r.Moves) == 0 {
				continue
			}
			ew.printf("\nIssue %s, round %d moves:\n", ir.ID, r.Round)
			for _, mv := range r.Moves {
				u := mv.ExpectedUtilities()
				ew.printf("  %s %s %s: %s → %s (EU %.4f vs %.4f)\n", name(sc, mv.Actor), verb(mv.Kind), name(sc, mv.Partner), Num(mv.From), Num(mv.To), u.EU, u.PartnerEU)
			}
		}
	}
	return ew.err
}

func name(sc *scenario.Scenario, id string) string {
	if a := sc.Actor(id); a != nil {
		return a.DisplayName()
	}
	return id
}

func verb(kind string) string {
	switch kind {
	case "confrontation":
		return "loses a confrontation to"
	case "compromise":
		return "compromises with"
	case "capitulation":
		return "capitulates to"
	}
	return kind + " with"
}

// header writes the scenario's name, title and as-of date.
// modelName names a model run's model with its variant, if any.
func modelName(model, variant string) string {
	if variant != "" {
		return model + " (variant " + variant + ")"
	}
	return model
}

func header(ew *errWriter, sc *scenario.Scenario) {
	title := sc.Name
	if sc.Title != "" {
		title += " — " + sc.Title
	}
	ew.printf("Scenario: %s\n", title)
	if sc.AsOf != "" {
		ew.printf("As of:    %s\n", sc.AsOf)
	}
}

// Scenario writes a table of the actors on each issue, with the issue's
// labelled scale.
func Scenario(w io.Writer, sc *scenario.Scenario) error {
	ew := &errWriter{w: w}
	header(ew, sc)
	if sc.Description != "" {
		ew.printf("\n%s\n", strings.TrimSpace(sc.Description))
	}
	smax := sc.SalienceMax()
	own := false // some actor has a capability of its own on an issue
	for i := range sc.Issues {
		is := &sc.Issues[i]
		ew.printf("\nIssue %s: %s, scale %s to %s\n", is.ID, is.DisplayName(), Num(is.Min), Num(is.Max))
		for _, a := range is.SortedAnchors() {
			ew.printf("  %6s  %s\n", Num(a.Value), a.Label)
		}
		ew.printf("\n")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "Actor\tKind\tCapability\tPosition\tSalience\tWhere\tEvidence\n")
		for _, a := range sc.Actors {
			st, ok := a.Stances[is.ID]
			if !ok {
				continue
			}
			n := len(st.Position.Evidence) + len(st.Salience.Evidence) + len(st.Capability.Evidence)
			c := Num(a.CapabilityOn(is.ID))
			if st.Capability.Set && st.Capability.Value != a.Capability.Value {
				c += "*"
				own = true
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", a.DisplayName(), a.Kind, c,
				Num(st.Position.Value), Num(st.Salience.Value*100/smax), Place(is, st.Position.Value), n)
		}
		tw.Flush()
	}
	ew.printf("\nSalience is shown on 0–100; Evidence counts the source citations behind position and salience.\n")
	if own {
		ew.printf("Capability is the actor's on the issue; * marks a capability of its own on the issue, which\nreplaces the actor's there (the evidence count includes its citations).\n")
	}
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
