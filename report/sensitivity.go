package report

import (
	"fmt"
	"github.com/parley-project/parley/internal/plural"
	"io"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"

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

var heightRE = regexp.MustCompile(`height="([0-9.]+)"`)

// SensitivitySVG draws, for each issue, a horizontal bar chart of the top
// inputs by total Sobol index (or by one-at-a-time effect without a Sobol
// sample), the charts stacked in one SVG document.
func SensitivitySVG(r *sensitivity.Result, top int) string {
	var charts []string
	var heights []float64
	width := 640.0
	for _, is := range r.Issues {
		c := svg.BarChart{Title: fmt.Sprintf("%s: inputs ranked by total Sobol index", is.Name), XLabel: "total Sobol index S_T", Width: width, Horizontal: true}
		if r.Samples == 0 {
			c.Title, c.XLabel = fmt.Sprintf("%s: inputs ranked by one-at-a-time effect", is.Name), "|forecast(high) − forecast(low)|"
		}
		for k, f := range is.Factors {
			if top > 0 && k >= top {
				break
			}
			b := svg.Bar{Label: f.Actor + " · " + f.Attribute, Value: f.Effect}
			if f.Total != nil {
				b.Value, b.Note = *f.Total, fmt.Sprintf("(S1 %.3f)", *f.First)
			}
			c.Bars = append(c.Bars, b)
		}
		s := c.SVG()
		h := 0.0
		if m := heightRE.FindStringSubmatch(s); m != nil {
			h, _ = strconv.ParseFloat(m[1], 64)
		}
		charts, heights = append(charts, s), append(heights, h+24)
	}
	var total float64
	for _, h := range heights {
		total += h
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g">`, width, total, width, total)
	y := 0.0
	for k, c := range charts {
		fmt.Fprintf(&b, "\n<g transform=\"translate(0,%g)\">%s</g>", y, c)
		y += heights[k]
	}
	b.WriteString("\n</svg>\n")
	return b.String()
}
