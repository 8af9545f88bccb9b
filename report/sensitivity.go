package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/sensitivity"
)

// SensitivityColumns explains the columns of the sensitivity table; the
// table prints it, and so does parley sensitivity --help.
const SensitivityColumns = `  Low, High  the forecast with this input at the low and at the high end of
             its range, every other input as coded
  Effect     the change the input alone can make: the span of Low, High
             and the forecast as coded (|High − Low| when the coded forecast
             lies between them); inputs are ranked by it
  S1         first-order Sobol index: the share of the forecast's variance
             over the sample that this input causes alone
  ST         total Sobol index: that share with the input's interactions
             with the others (ST ≥ S1; ST near 0: the input does not matter)
  S1 and ST are estimates from the sample: an S1 below 0 means the true
  index is close to 0 and the sample too small to tell it from 0 (the true
  index cannot be negative); more --samples narrow the estimates.`

// Sensitivity writes the ranking of inputs for each issue: the
// one-at-a-time forecasts at the low and high end of each input's range,
// the effect that ranks them and the first-order and total Sobol indices,
// with what each column means, fitted to the writer's width (WithWidth).
// top > 0 keeps the top inputs of each issue. The HTML report shows the
// same settings and tables (SensitivitySettings, SensitivityTable).
func Sensitivity(w io.Writer, r *sensitivity.Result, top int) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	for _, l := range SensitivitySettings(r) {
		ew.printf("%s\n", Wrap(l[1], width, fmt.Sprintf("%-10s", l[0]+":"), "          "))
	}
	ew.printf("\nColumns:\n%s\n", SensitivityColumns)
	for _, is := range r.Issues {
		line := fmt.Sprintf("Issue %s: %s, forecast as coded %s", is.ID, is.Name, Num(is.Baseline))
		if is.Variance != nil {
			line += fmt.Sprintf(", variance over the sample %s", Num(*is.Variance))
		}
		ew.printf("\n%s\n\n", Wrap(line, width, "", "  "))
		SensitivityTable(is, top).Write(ew, width, "")
	}
	return ew.err
}

// SensitivitySettings are an analysis's settings as labelled lines: the
// scenario, the model, what the forecast is, the inputs' ranges and the
// Sobol sample.
func SensitivitySettings(r *sensitivity.Result) [][2]string {
	m := modelName(r.Model, r.Variant)
	if r.Rounds > 0 {
		m += ", " + plural.Count(r.Rounds, "round")
	}
	out := [][2]string{{"Scenario", r.Scenario}, {"Model", m},
		{"Forecast", "each issue's headline (where it settles; the mean over a cycle)"}}
	switch {
	case r.Ranges != nil:
		out = append(out, [2]string{"Ranges", fmt.Sprintf("own ranges where coded, else position ±%g of the scale, salience ×(1 ± %g), capability ×(1 ± %g)", r.Ranges.Position, r.Ranges.Salience, r.Ranges.Capability)})
	case r.Levels != nil && r.ThinLevels != nil:
		d, t := *r.Levels, *r.ThinLevels
		out = append(out, [2]string{"Ranges", fmt.Sprintf("own ranges where coded, else the 5th–95th percentile of the uncertainty by evidence (direct evidence / inferred or none): position sd %g / %g of the scale, salience σ %g / %g, capability σ %g / %g (log-normal)",
			d.Position, t.Position, d.Salience, t.Salience, d.Capability, t.Capability)})
	}
	if r.Samples > 0 {
		out = append(out, [2]string{"Sobol", fmt.Sprintf("%s, seed %d (Saltelli 2010 first-order, Jansen total)", plural.Count(r.Samples, "base sample"), r.Seed)})
	}
	return out
}

// SensitivityTable ranks an issue's inputs: rank, the actor, the input,
// the forecasts at the low and high end of its range, its effect and the
// Sobol indices ("-" without a sample); top > 0 keeps the top inputs.
func SensitivityTable(is sensitivity.Issue, top int) Table {
	factors := is.Factors
	if top > 0 && len(factors) > top {
		factors = factors[:top]
	}
	t := Table{Head: []string{"Rank", "Actor", "Input", "Low", "High", "Effect", "S1", "ST"},
		Cols: []Column{numCol, wrapCol(14), {}, numCol, numCol, numCol, numCol, numCol}}
	for k, f := range factors {
		s1, st := "-", "-"
		if f.Total != nil {
			s1, st = fmt.Sprintf("%.3f", *f.First), fmt.Sprintf("%.3f", *f.Total)
		}
		t.Rows = append(t.Rows, []string{count(k + 1), factorName(f), f.Attribute, Num(f.Low), Num(f.High), Num(f.Effect), s1, st})
	}
	return t
}

// factorName is the actor's name, or its id in results stored before
// factors carried names.
func factorName(f sensitivity.Factor) string {
	if f.Name != "" {
		return f.Name
	}
	return f.Actor
}

// sensitivityRow is one input of an issue's ranking with its measures:
// the one-at-a-time forecasts low and high, their effect and, with a Sobol
// sample, the first-order and total indices.
type sensitivityRow struct {
	Input    string
	Measures []measure
}

// measure is one named effect size.
type measure struct {
	Name  string
	Value float64
}

// sensitivityRows are the inputs of an issue with their measures, and
// the measure that ranks them: the one-at-a-time effect, the change the
// table shows. The rows are in that order, most influential first.
func sensitivityRows(is sensitivity.Issue) ([]sensitivityRow, string) {
	const key = "effect"
	var rows []sensitivityRow
	for _, f := range is.Factors {
		r := sensitivityRow{Input: factorName(f) + " × " + f.Attribute, Measures: []measure{{"low", f.Low}, {"high", f.High}, {"effect", f.Effect}}}
		if f.First != nil {
			r.Measures = append(r.Measures, measure{"first_order", *f.First})
		}
		if f.Total != nil {
			r.Measures = append(r.Measures, measure{"total", *f.Total})
		}
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].measure(key), rows[j].measure(key)
		if math.IsNaN(b) {
			return !math.IsNaN(a)
		}
		return a > b
	})
	return rows, key
}

func (r sensitivityRow) measure(name string) float64 {
	for _, m := range r.Measures {
		if m.Name == name {
			return m.Value
		}
	}
	return math.NaN()
}

// SensitivityTop is the number of inputs a sensitivity chart shows by
// default: the rest are summed up in a note under it.
const SensitivityTop = 15

// SensitivityChart ranks an issue's inputs as horizontal bars by their
// one-at-a-time effect, each named by the actor's name and the input:
// the top inputs (SensitivityTop when top ≤ 0) that move the forecast at
// all, and a note under the chart of how many are left out and how far
// the largest of them moves the forecast.
func SensitivityChart(is sensitivity.Issue, top int) svg.BarChart {
	if top <= 0 {
		top = SensitivityTop
	}
	rows, key := sensitivityRows(is)
	var bars []svg.Bar
	shown, zero, rest := 0, 0, 0.0
	for _, r := range rows {
		v := math.Abs(r.measure(key))
		switch {
		case math.IsNaN(v) || v == 0:
			zero++
		case shown < top:
			bars = append(bars, svg.Bar{Label: r.Input, Value: v})
			shown++
		default:
			rest = max(rest, v)
		}
	}
	c := svg.BarChart{Title: "Inputs ranked by " + key, XLabel: "|" + key + "|", Width: 760, LabelWidth: 300, Bars: bars}
	var left []string
	if n := len(rows) - shown - zero; n > 0 {
		by := Num(rest) + " or less"
		if Num(rest) == Num(0) {
			by = "less than " + Num(0.01)
		}
		left = append(left, fmt.Sprintf("%s, each moving the forecast by %s", plural.Count(n, "more input"), by))
	}
	if zero > 0 {
		left = append(left, fmt.Sprintf("%s that do not move it at all", plural.Count(zero, "input")))
	}
	if len(left) > 0 {
		c.Note = fmt.Sprintf("Not shown: %s (%s in all).", strings.Join(left, "; "), plural.Count(len(rows), "input"))
	}
	return c
}

// SensitivityCharts is every issue's SensitivityChart under a heading
// naming the issue, in one grid: the charts of 'parley sensitivity --svg'
// and the server. With no table beside them, each bar also gives the
// Sobol indices when there is a Sobol sample.
func SensitivityCharts(r *sensitivity.Result, top int) svg.Grid {
	g := svg.Grid{Class: "chart", Background: true}
	for _, is := range r.Issues {
		c := SensitivityChart(is, top)
		c.XLabel = "effect: how far the input alone moves the forecast across its range"
		if rows, _ := sensitivityRows(is); r.Samples > 0 {
			c.NoteWidth = 150
			for i := range c.Bars {
				c.Bars[i].Note = fmt.Sprintf("(S1 %.3f, ST %.3f)", rows[i].measure("first_order"), rows[i].measure("total"))
			}
		}
		w, _ := c.Size()
		g.Parts = append(g.Parts, svg.Heading{Text: "Issue " + is.ID + ": " + is.Name, Width: w, Height: 24, X: 8, Baseline: 17, FontSize: 12, Bold: true}, c)
	}
	return g
}

// SensitivitySVG writes SensitivityCharts as an SVG document of its own.
func SensitivitySVG(r *sensitivity.Result, top int) string {
	return SensitivityCharts(r, top).SVG() + "\n"
}
