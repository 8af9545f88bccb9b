package report

import (
	"fmt"
	"github.com/parley-project/parley/internal/plural"
	"io"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/sensitivity"
)

// SensitivityColumns explains the columns of the sensitivity table; the
// table prints it, and so does parley sensitivity --help.
const SensitivityColumns = `  Low, High  the forecast with this input at the low and at the high end of
             its range, every other input as coded
  Effect     |High − Low|, the change the input alone can make; inputs are
             ranked by it
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

var heightRE = regexp.MustCompile(`height="([0-9.]+)"`)

// SensitivitySVG draws, for each issue, a horizontal bar chart of the top
// inputs by one-at-a-time effect (the table's ranking), with their Sobol
// indices beside the bars, the charts stacked in one SVG document.
func SensitivitySVG(r *sensitivity.Result, top int) string {
	var charts []string
	var heights []float64
	width := 640.0
	for _, is := range r.Issues {
		c := svg.BarChart{Title: fmt.Sprintf("%s: inputs ranked by one-at-a-time effect", is.Name), XLabel: "effect |forecast(high) − forecast(low)|", Width: width, Horizontal: true}
		for k, f := range is.Factors {
			if top > 0 && k >= top {
				break
			}
			b := svg.Bar{Label: factorName(f) + " · " + f.Attribute, Value: f.Effect}
			if f.Total != nil {
				b.Note = fmt.Sprintf("(S1 %.3f, ST %.3f)", *f.First, *f.Total)
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
