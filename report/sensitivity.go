package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"text/tabwriter"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/sensitivity"
)

// Sensitivity writes the ranking of inputs for each issue: the
// one-at-a-time forecasts at the low and high end of each input's range,
// the effect |high − low| and the first-order and total Sobol indices.
// top > 0 keeps the top inputs of each issue.
func Sensitivity(w io.Writer, r *sensitivity.Result, top int) error {
	ew := &errWriter{w: w}
	m := modelName(r.Model, r.Variant)
	ew.printf("Scenario: %s\nModel:    %s", r.Scenario, m)
	if r.Rounds > 0 {
		ew.printf(", %s", plural.Count(r.Rounds, "round"))
	}
	ew.printf("\nRanges:   position ±%g of the scale, salience ×(1 ± %g), capability ×(1 ± %g)\n", r.Ranges.Position, r.Ranges.Salience, r.Ranges.Capability)
	if r.Samples > 0 {
		ew.printf("Sobol:    %s, seed %d (Saltelli 2010 first-order, Jansen total)\n", plural.Count(r.Samples, "base sample"), r.Seed)
	}
	for _, is := range r.Issues {
		ew.printf("\nIssue %s: %s, forecast as coded %s", is.ID, is.Name, Num(is.Baseline))
		if is.Variance != nil {
			ew.printf(", variance over the sample %s", Num(*is.Variance))
		}
		ew.printf("\n\n")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "Rank\tActor\tInput\tLow\tHigh\tEffect\tS1\tST\t\n")
		for k, f := range is.Factors {
			if top > 0 && k >= top {
				break
			}
			s1, st := "-", "-"
			if f.Total != nil {
				s1, st = fmt.Sprintf("%.3f", *f.First), fmt.Sprintf("%.3f", *f.Total)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", k+1, f.Actor, f.Attribute, Num(f.Low), Num(f.High), Num(f.Effect), s1, st)
		}
		tw.Flush()
	}
	return ew.err
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
// the measure that ranks them: the total Sobol index, else the
// one-at-a-time effect. The rows are in the analysis's order, most
// influential first.
func sensitivityRows(is sensitivity.Issue) ([]sensitivityRow, string) {
	key := "effect"
	var rows []sensitivityRow
	for _, f := range is.Factors {
		r := sensitivityRow{Input: f.Actor + " × " + f.Attribute, Measures: []measure{{"low", f.Low}, {"high", f.High}, {"effect", f.Effect}}}
		if f.First != nil {
			r.Measures = append(r.Measures, measure{"first_order", *f.First})
		}
		if f.Total != nil {
			r.Measures = append(r.Measures, measure{"total", *f.Total})
			key = "total"
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

// SensitivityChart ranks an issue's inputs as horizontal bars by the
// measure that ranks them (the total Sobol index, else the one-at-a-time
// effect); top > 0 keeps the top inputs.
func SensitivityChart(is sensitivity.Issue, top int) svg.BarChart {
	rows, key := sensitivityRows(is)
	var bars []svg.Bar
	for k, r := range rows {
		if top > 0 && k >= top {
			break
		}
		bars = append(bars, svg.Bar{Label: r.Input, Value: math.Abs(r.measure(key))})
	}
	return svg.BarChart{Title: "Inputs ranked by " + key, XLabel: "|" + key + "|", Horizontal: true, LabelWidth: 230, Bars: bars}
}

// SensitivityCharts is every issue's SensitivityChart under a heading
// naming the issue, in one grid: the charts of 'parley sensitivity --svg'
// and the server. With no table beside them, each bar also gives the
// first-order index when there is a Sobol sample.
func SensitivityCharts(r *sensitivity.Result, top int) svg.Grid {
	g := svg.Grid{Class: "chart", Background: true}
	for _, is := range r.Issues {
		c := SensitivityChart(is, top)
		if rows, key := sensitivityRows(is); key == "total" {
			c.XLabel, c.NoteWidth = "total Sobol index S_T", 120
			for i := range c.Bars {
				c.Bars[i].Note = fmt.Sprintf("(S1 %.3f)", rows[i].measure("first_order"))
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
