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
//
// The tables fit the writer's width (WithWidth): the labels of the places
// are cut with "…", as each issue lists its labels in full above them.
func Forecast(w io.Writer, sc *scenario.Scenario, res *result.Result) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	header(ew, sc, width)
	m := modelName(res.Model, res.Variant)
	ew.printf("Model:    %s\n", m)
	approx := false
	if len(res.Issues) > 1 {
		approx = summary(ew, sc, res, width)
	}
	for n, ir := range res.Issues {
		is := sc.Issue(ir.ID)
		if len(res.Issues) > 1 {
			ew.printf("\n%s\n", rule(fmt.Sprintf("Issue %d of %d", n+1, len(res.Issues))))
		}
		ew.printf("\n%s\n", Wrap(fmt.Sprintf("Issue %s: %s, scale %s to %s", is.ID, is.DisplayName(), Num(is.Min), Num(is.Max)), width, "", "  "))
		anchors(ew, is, width)
		ew.printf("\n")
		RoundsTable(res, &ir).Write(ew, width, "  ")
		played := len(ir.Rounds) - 1
		label := "Forecast:"
		if s := ir.Settlement; s != nil && s.Kind != result.Fixed {
			label = "Last round:" // not the headline: see the settlement
		}
		place := Place(is, ir.Forecast)
		approx = approx || strings.HasPrefix(place, "≈")
		line := strings.TrimRight(Num(ir.Forecast)+"  "+place, " ")
		if why := StopReason(ir.Stopped); why != "" {
			line += fmt.Sprintf("  (%s, %s)", why, plural.Count(played, "round"))
		}
		ew.printf("\n%s\n", Wrap(line, width, label+" ", "          "))
		if s := ir.Settlement; s != nil {
			line := Settlement(s, ir.Final().Round)
			if s.Kind != result.Fixed {
				line += "; mean " + Num(s.Value)
				if place := HeadlinePlace(is, &ir); place != "" {
					approx = approx || strings.Contains(place, "≈")
					line += "  " + place
				}
			}
			ew.printf("%s\n", Wrap(line, width, "Settles:  ", "          "))
		}
		if iv := ir.Interval; iv != nil {
			ew.printf("%s\n", Wrap(IntervalText(iv), width, "Interval: ", "          "))
		}
		ew.printf("\n")

		first := ir.Rounds[0]
		pos := PositionsTable(sc, is, &ir)
		approx = approx || pos.Note != ""
		pos.Note = ""
		pos.Write(ew, width, "")
		if out := notInvolved(sc, first.Positions); len(out) > 0 {
			ew.printf("\n%s\n", Wrap(strings.Join(out, ", "), width, fmt.Sprintf("No stance on this issue (%d): ", len(out)), "  "))
		}
	}
	exchangeTables(ew, sc, res, width)
	if approx {
		ew.printf("\n%s\n", Wrap(ApproxLegend, width, "", ""))
	}
	return ew.err
}

// RoundsTable is an issue's forecast, median and weighted mean round by
// round, with the number of moves made in each round.
func RoundsTable(res *result.Result, ir *result.Issue) Table {
	t := Table{Head: []string{"Round", "Forecast", "Median", "Mean", "Moves"}, Cols: []Column{numCol, numCol, numCol, numCol, numCol}}
	for _, r := range ir.Rounds {
		t.Rows = append(t.Rows, []string{count(r.Round), Num(r.Forecast), Num(r.Median), Num(r.Mean), count(len(r.Moves) + exchangeMoves(res, ir.ID, r.Round))})
	}
	return t
}

// PositionsTable is each actor's starting and final position on an issue,
// in the scenario's actor order, with where it ends on the labelled scale
// (cut on a narrow terminal: the labels are listed in full above). Its
// Note is ApproxLegend when a place is approximate ("≈").
func PositionsTable(sc *scenario.Scenario, is *scenario.Issue, ir *result.Issue) Table {
	t := Table{Head: []string{"Actor", "Start", "Final", "Where it ends"},
		Cols: []Column{{Fit: FitWrap, Min: 20}, numCol, numCol, {Fit: FitCut, Min: 16}}}
	if len(ir.Rounds) == 0 {
		return t
	}
	first, last := ir.Rounds[0], ir.Final()
	ids := make([]string, 0, len(first.Positions))
	for id := range first.Positions {
		ids = append(ids, id)
	}
	order := map[string]int{}
	for i, a := range sc.Actors {
		order[a.ID] = i
	}
	sort.Slice(ids, func(a, b int) bool {
		if order[ids[a]] != order[ids[b]] {
			return order[ids[a]] < order[ids[b]]
		}
		return ids[a] < ids[b]
	})
	for _, id := range ids {
		place := Place(is, last.Positions[id])
		if strings.HasPrefix(place, "≈") {
			t.Note = ApproxLegend
		}
		t.Rows = append(t.Rows, []string{name(sc, id), Num(first.Positions[id]), Num(last.Positions[id]), place})
	}
	return t
}

// ApproxLegend explains the "≈" before a label, once in each report that
// shows one.
const ApproxLegend = "≈: the value lies between labelled anchors; the label is the nearest one's."

// anchors lists an issue's labelled anchors, one a line, each label
// wrapped to the width under itself.
func anchors(ew *errWriter, is *scenario.Issue, width int) {
	for _, a := range is.SortedAnchors() {
		ew.printf("%s\n", Wrap(a.Label, width, fmt.Sprintf("  %6s  ", Num(a.Value)), strings.Repeat(" ", 10)))
	}
}

// writeRows writes rows as a table, columns two spaces apart (text/tabwriter),
// with no spaces at the ends of lines.
func writeRows(w io.Writer, rows [][]string) {
	for _, l := range tableLines(rows) {
		fmt.Fprintln(w, l)
	}
}

// WriteTable writes rows as a table, columns two spaces apart, with no
// spaces at the ends of lines (fit them to a width with FitTable first).
func WriteTable(w io.Writer, rows [][]string) error {
	ew := &errWriter{w: w}
	writeRows(ew, rows)
	return ew.err
}

// tableLines lays rows out as writeRows writes them, a line each.
func tableLines(rows [][]string) []string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, padding, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}

// TableWidth is the width of the widest line of rows laid out as a table.
func TableWidth(rows [][]string) int {
	w := 0
	for _, l := range tableLines(rows) {
		w = max(w, TextWidth(l))
	}
	return w
}

// summary writes one line per issue: the starting forecast, the headline
// (the settlement value, with its range when the issue cycles or did not
// settle), the rounds played, how the forecast ended, the interval when
// the run has one, and where the headline lies on the labelled scale (cut
// to the width). It reports whether a place it shows is approximate (≈).
func summary(ew *errWriter, sc *scenario.Scenario, res *result.Result, width int) (approx bool) {
	ew.printf("\nSummary of %s\n\n", plural.Count(len(res.Issues), "issue"))
	intervals, settled := false, false
	for _, ir := range res.Issues {
		intervals = intervals || ir.Interval != nil
		settled = settled || ir.Settlement != nil
	}
	fw := len("Forecast")
	for _, ir := range res.Issues {
		fw = max(fw, utf8.RuneCountInString(Headline(&ir)))
	}
	head := []string{"Issue", fmt.Sprintf("%6s", "Actors"), fmt.Sprintf("%7s", "Start"), fmt.Sprintf("%*s", fw, "Forecast"), fmt.Sprintf("%6s", "Rounds")}
	if settled {
		head = append(head, "Ends")
	}
	if intervals {
		head = append(head, "90% interval")
	}
	rows := [][]string{append(head, "Where the forecast lies")}
	for _, ir := range res.Issues {
		is := sc.Issue(ir.ID)
		start, actors := math.NaN(), 0
		if len(ir.Rounds) > 0 {
			start, actors = ir.Rounds[0].Forecast, len(ir.Rounds[0].Positions)
		}
		row := []string{is.ID, fmt.Sprintf("%6d", actors), fmt.Sprintf("%7s", Num(start)), fmt.Sprintf("%*s", fw, Headline(&ir)), fmt.Sprintf("%6d", max(len(ir.Rounds)-1, 0))}
		if settled {
			row = append(row, SettlementKind(ir.Settlement))
		}
		if intervals {
			iv := ""
			if ir.Interval != nil {
				iv = Num(ir.Interval.P05) + "–" + Num(ir.Interval.P95)
			}
			row = append(row, iv)
		}
		place := HeadlinePlace(is, &ir)
		approx = approx || strings.Contains(place, "≈")
		rows = append(rows, append(row, place))
	}
	last := len(rows[0]) - 1
	labelled := false
	for _, r := range rows[1:] {
		labelled = labelled || r[last] != ""
	}
	if !labelled { // no issue has labels: no column for them
		for i := range rows {
			rows[i] = rows[i][:last]
		}
	}
	// A long issue id (a KTAB import's "reform-of-the-…-position")
	// breaks after its hyphens rather than take the width the other
	// columns need.
	ids := Column{Fit: FitWrap, Min: 16, Breaks: "-"}
	cols := make([]Column, last+1)
	cols[0], cols[last] = ids, Column{Fit: FitCut, Min: 24}
	// Under the places, on a narrow terminal, a range goes under its
	// forecast and how it ends wraps.
	under := make([]Column, last)
	under[0] = ids
	under[3] = Column{Fit: FitWrap, Min: 13, Right: true}
	if settled {
		under[5] = wrapCol(8)
	}
	if !labelled {
		cols = under
	}
	if fitted := FitTable(rows, cols, width); !labelled || width <= 0 || TableWidth(fitted) <= width {
		writeRows(ew, fitted)
	} else {
		// Too narrow for the places beside the numbers: each goes on a
		// line of its own under its issue's row.
		places := make([]string, len(rows))
		for i := range rows {
			places[i], rows[i] = rows[i][last], rows[i][:last]
		}
		fitted := FitTable(rows, under, width)
		lines := tableLines(fitted)
		row := 0 // the issue's row of each line: a continuation line has no issue
		for i, l := range lines {
			if i > 0 && fitted[i][0] != "" {
				row++
			}
			ew.printf("%s\n", l)
			if row > 0 && places[row] != "" && (i+1 == len(lines) || fitted[i+1][0] != "") {
				ew.printf("%s\n", Wrap(places[row], width, "    ", "      "))
			}
		}
	}
	legend := []string{"Actors: how many hold a stance on the issue. Start: the forecast before any round."}
	if settled {
		legend = append(legend, "Forecast: where the forecast settles; when it cycles or does not settle, the mean over "+
			"the cycle (or over the last half of the run) with the range it moves in, in brackets.")
	}
	if intervals {
		legend = append(legend, "90% interval: 5th to 95th percentile of that forecast over a seeded sweep under the "+
			"scenario's uncertainty.")
	}
	if labelled {
		legend = append(legend, "Where the forecast lies (beside or under each issue): the label of its place on the scale; "+
			"\"a … b\" gives each end of its range; a label cut short with \"…\" is given in full under its issue.")
	}
	ew.printf("\n")
	for _, l := range legend {
		ew.printf("%s\n", Wrap(l, width, "", ""))
	}
	return approx
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
	width := WidthOf(w)
	ew := &errWriter{w: w}
	legend := false
	for _, ir := range res.Issues {
		for _, r := range ir.Rounds {
			if len(r.Moves) == 0 {
				continue
			}
			if !legend {
				ew.printf("\n%s\n", Wrap("Moves: each actor that moves, towards whom, from → to. E[U]: the expected utility of "+
					"challenging the other, the mover's then the partner's (docs/models/eum.md).", width, "", ""))
				legend = true
			}
			ew.printf("\nIssue %s, round %d moves:\n", ir.ID, r.Round)
			for _, mv := range r.Moves {
				u := mv.ExpectedUtilities()
				ew.printf("%s\n", Wrap(fmt.Sprintf("%s %s %s: %s → %s (E[U] %.4f vs %.4f)", name(sc, mv.Actor), verb(mv.Kind), name(sc, mv.Partner),
					Num(mv.From), Num(mv.To), u.EU, u.PartnerEU), width, "  ", "    "))
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

func header(ew *errWriter, sc *scenario.Scenario, width int) {
	title := sc.Name
	if sc.Title != "" {
		title += " — " + sc.Title
	}
	ew.field(width, "Scenario", title)
	if sc.AsOf != "" {
		ew.printf("As of:    %s\n", sc.AsOf)
	}
}

// Scenario writes a table of the actors on each issue, with the issue's
// labelled scale, fitting the writer's width (WithWidth): the description
// and labels are wrapped, the Where column cut with "…" (its labels are
// listed in full above each table).
func Scenario(w io.Writer, sc *scenario.Scenario) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	header(ew, sc, width)
	if sc.Description != "" {
		ew.printf("\n%s\n", Wrap(strings.Join(strings.Fields(sc.Description), " "), width, "", ""))
	}
	smax := sc.SalienceMax()
	ew.printf("\nActors\n\n")
	rows := [][]string{{"Actor", "Id", "Kind", "Capability"}}
	for _, a := range sc.Actors {
		rows = append(rows, []string{a.DisplayName(), a.ID, a.Kind, fmt.Sprintf("%10s", Num(a.Capability.Value))})
	}
	writeRows(ew, FitTable(rows, []Column{{Fit: FitWrap, Min: 20}, {Fit: FitWrap, Min: 16}}, width))
	approx, own := false, false
	for i := range sc.Issues {
		is := &sc.Issues[i]
		ew.printf("\n%s\n", Wrap(fmt.Sprintf("Issue %s: %s, scale %s to %s", is.ID, is.DisplayName(), Num(is.Min), Num(is.Max)), width, "", "  "))
		anchors(ew, is, width)
		ew.printf("\n")
		// A Capability column where some actor has a capability of its own
		// on the issue: each actor's capability there, * on its own.
		onIssue := false
		for _, a := range sc.Actors {
			onIssue = onIssue || ownCapability(&a, is.ID)
		}
		rows := [][]string{{"Actor", "Position", "Salience", "Evidence", "Where"}}
		cols := []Column{{Fit: FitWrap, Min: 20}, {}, {}, {}, {Fit: FitCut, Min: 16}}
		if onIssue {
			rows[0] = []string{"Actor", "Capability", "Position", "Salience", "Evidence", "Where"}
			cols = []Column{{Fit: FitWrap, Min: 20}, {}, {}, {}, {}, {Fit: FitCut, Min: 16}}
		}
		for _, a := range sc.Actors {
			st, ok := a.Stances[is.ID]
			if !ok {
				continue
			}
			n := len(st.Position.Evidence) + len(st.Salience.Evidence) + len(st.Capability.Evidence)
			place := Place(is, st.Position.Value)
			approx = approx || strings.HasPrefix(place, "≈")
			row := []string{a.DisplayName(), fmt.Sprintf("%8s", Num(st.Position.Value)), fmt.Sprintf("%8s", Num(st.Salience.Value*100/smax)), fmt.Sprintf("%8d", n), place}
			if onIssue {
				c := Num(a.CapabilityOn(is.ID)) + " "
				if ownCapability(&a, is.ID) {
					c = Num(st.Capability.Value) + "*"
				}
				row = append([]string{row[0], fmt.Sprintf("%10s", c)}, row[1:]...)
				own = true
			}
			rows = append(rows, row)
		}
		writeRows(ew, FitTable(rows, cols, width))
	}
	legend := "Salience is shown on 0–100. Evidence counts the source citations behind position and salience. " +
		"Where: the label of the anchor the position sits on"
	if approx {
		legend += "; ≈ before it: the position lies between anchors, nearest this one"
	}
	if own {
		legend += ". Capability, where shown: each actor's capability on the issue; * marks a capability of its own " +
			"on the issue, in place of the actor's (the evidence count includes its citations)"
	}
	ew.printf("\n%s\n", Wrap(legend+".", width, "", ""))
	return ew.err
}

// ownCapability reports whether actor a has a capability of its own on
// the issue, other than its capability.
func ownCapability(a *scenario.Actor, issue string) bool {
	st, ok := a.Stances[issue]
	return ok && st.Capability.Set && st.Capability.Value != a.Capability.Value
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

// field writes "Label:   text", the text wrapped to width under itself
// (the labels of a report's heading lines are ten columns wide).
func (e *errWriter) field(width int, label, text string) {
	e.printf("%s\n", Wrap(text, width, fmt.Sprintf("%-10s", label+":"), "          "))
}
