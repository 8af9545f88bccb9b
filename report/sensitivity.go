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
// the effect |high − low| that ranks them and the first-order and total
// Sobol indices, with what each column means. top > 0 keeps the top
// inputs of each issue.
func Sensitivity(w io.Writer, r *sensitivity.Result, top int) error {
	ew := &errWriter{w: w}
	m := modelName(r.Model, r.Variant)
	ew.printf("Scenario: %s\nModel:    %s", r.Scenario, m)
	if r.Rounds > 0 {
		ew.printf(", %s", plural.Count(r.Rounds, "round"))
	}
	ew.printf("\nForecast: each issue's headline (where it settles; the mean over a cycle)\n")
	switch {
	case r.Ranges != nil:
		ew.printf("Ranges:   own ranges where coded, else position ±%g of the scale, salience ×(1 ± %g), capability ×(1 ± %g)\n", r.Ranges.Position, r.Ranges.Salience, r.Ranges.Capability)
	case r.Levels != nil && r.ThinLevels != nil:
		d, t := *r.Levels, *r.ThinLevels
		ew.printf("Ranges:   own ranges where coded, else the 5th–95th percentile of the uncertainty by evidence\n")
		ew.printf("          (direct evidence / inferred or none): position sd %g / %g of the scale,\n", d.Position, t.Position)
		ew.printf("          salience σ %g / %g, capability σ %g / %g (log-normal)\n", d.Salience, t.Salience, d.Capability, t.Capability)
	}
	if r.Samples > 0 {
		ew.printf("Sobol:    %s, seed %d (Saltelli 2010 first-order, Jansen total)\n", plural.Count(r.Samples, "base sample"), r.Seed)
	}
	ew.printf("\nColumns:\n%s\n", SensitivityColumns)
	for _, is := range r.Issues {
		ew.printf("\nIssue %s: %s, forecast as coded %s", is.ID, is.Name, Num(is.Baseline))
		if is.Variance != nil {
			ew.printf(", variance over the sample %s", Num(*is.Variance))
		}
		ew.printf("\n\n")
		factors := is.Factors
		if top > 0 && len(factors) > top {
			factors = factors[:top]
		}
		// Names and inputs read left-aligned: padded here to one width,
		// the right-aligning tabwriter leaves them as they are.
		nw, aw := len("Actor"), len("Input")
		for _, f := range factors {
			nw, aw = max(nw, utf8.RuneCountInString(factorName(f))), max(aw, len(f.Attribute))
		}
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "Rank\t%-*s\t%-*s\tLow\tHigh\tEffect\tS1\tST\t\n", nw, "Actor", aw, "Input")
		for k, f := range factors {
			s1, st := "-", "-"
			if f.Total != nil {
				s1, st = fmt.Sprintf("%.3f", *f.First), fmt.Sprintf("%.3f", *f.Total)
			}
			fmt.Fprintf(tw, "%d\t%-*s\t%-*s\t%s\t%s\t%s\t%s\t%s\t\n", k+1, nw, factorName(f), aw, f.Attribute, Num(f.Low), Num(f.High), Num(f.Effect), s1, st)
		}
		tw.Flush()
	}
	return ew.err
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
		c.XLabel = "effect |forecast(high) − forecast(low)|"
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
